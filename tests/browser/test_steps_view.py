"""Training steps in the browser (issue 13): the steps bar shows once the steps are laid out; the
slider moves the points to another step through an animation; play walks through the steps."""

from __future__ import annotations

import time

import numpy as np
from ew_notebook import OpenNotebookFn
from ew_page import set_range, wait_for
from ew_widget import EmbedView, pixels_changed

STEPS_CELL = """
import numpy as np, pandas as pd
from embed_widget import Table
rng = np.random.default_rng(0)
label = rng.integers(0, 5, 600)
centers = rng.normal(size=(5, 16)) * 3
frame = pd.DataFrame({"label": label.astype(str)})
for k in range(4):
    vectors = centers[label] * (0.3 + 0.4 * k) + rng.normal(size=(600, 16))
    frame[f"step{k}"] = list(vectors.astype("float32"))
t = Table(dataframe=frame)
t.view.steps = ["step0", "step1", "step2", "step3"]
t
"""
BAR = ".ew-steps"


def test_the_step_slider_animates_to_another_step_and_play_walks_through_them(
    open_notebook: OpenNotebookFn,
) -> None:
    nb = open_notebook([STEPS_CELL])
    view = EmbedView(nb.page)
    view.wait_painted(min_pixels=1000, timeout=90)
    bar = view.at(BAR).first
    wait_for(lambda: bar.get_attribute("data-ready") == "4", 90, message="4 steps laid out")
    wait_for(lambda: view.root.get_attribute("data-final") == "true", 30, message="final")
    assert "step 1/4 · step0" in bar.inner_text() and "all 4 laid out" in bar.inner_text()
    first = view.pixels()

    # the slider: the kernel shows step 3, the points move there through in-between frames
    seq = view.root.get_attribute("data-seq")
    set_range(nb.page, view.at(".ew-steps-slider"), 2)
    frames, started = [], time.monotonic()
    while time.monotonic() - started < 2.0:
        frames.append(view.pixels())
    wait_for(lambda: view.root.get_attribute("data-seq") != seq, 10, message="step drawn")
    wait_for(lambda: nb.eval_in_kernel("t.view.step") == 2, 10, message="step set")
    assert nb.eval_in_kernel("t.view.embedding") == ["step2"]
    assert nb.eval_in_kernel("t.projection.attrs['step']['started_from']") == "step 2 (step1)"
    time.sleep(1.0)  # (the move takes 700 ms)
    last = view.pixels()
    assert pixels_changed(first, last) > 2000
    between = [f for f in frames if min(pixels_changed(f, first), pixels_changed(f, last)) > 500]
    assert between, "no frame between the two steps: the points jumped"
    assert "step 3/4 · step2" in bar.inner_text()

    # play from the first step: the kernel is moved through every step, then it stops
    set_range(nb.page, view.at(".ew-steps-slider"), 0)
    wait_for(lambda: nb.eval_in_kernel("t.view.step") == 0, 10, message="back to the first")
    seen: set[int] = set()
    view.at(".ew-steps-play").first.click()
    assert bar.get_attribute("data-playing") == "true"

    def finished() -> bool:
        seen.add(int(nb.eval_in_kernel("t.view.step")))
        return bar.get_attribute("data-playing") is None

    wait_for(finished, 30, interval=0.3, message="played to the end")
    assert nb.eval_in_kernel("t.view.step") == 3
    assert {1, 2} <= seen, seen  # the steps in between were shown, not skipped
    assert int(np.sum(view.pixels()[..., 3] > 0)) > 0
