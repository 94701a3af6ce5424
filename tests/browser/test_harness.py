"""Smoke tests of the browser harness on a tiny stand-in anywidget (not the real widget).

The stand-in (``standin.js``) carries the real widget's DOM hooks, so the ``EmbedView`` page
object is exercised too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from ew_jupyter import KernelError
from ew_notebook import OpenNotebook, OpenNotebookFn
from ew_page import (
    NotebookError,
    count_non_background,
    distinct_hues,
    dominant_hue,
    screenshot_pixels,
    wait_for,
)
from ew_widget import CANVAS, EmbedView, pixels_changed

STANDIN_JS = (Path(__file__).parent / "standin.js").read_text()

STANDIN = f"""\
import anywidget, traitlets

class StandIn(anywidget.AnyWidget):
    _esm = {STANDIN_JS!r}
    value = traitlets.Int(0).tag(sync=True)
    clicks = traitlets.Int(0).tag(sync=True)

w = StandIn(value=0)
w
"""

SQUARE = 80 * 80  # painted pixels of the stand-in's square


def _check_standin(nb: OpenNotebook) -> None:
    view = EmbedView(nb.page)
    px = view.wait_painted()
    assert view.status() == "webgl2 hue 0"
    assert px.shape == (120, 120, 4)
    assert count_non_background(px) == SQUARE  # the square on a white background
    assert distinct_hues(px) == 1
    assert dominant_hue(px) == pytest.approx(5.0)  # red: the 0..10 degree bin
    assert view.legend_items() == ["red", "green", "blue"]

    # Python -> page: a trait set in the notebook's own kernel reaches the canvas
    assert nb.eval_in_kernel("w.value") == 0
    view.watch_progress()
    nb.run_in_kernel("w.value = 120")
    px = view.wait_pixels_change(px, min_changed=SQUARE // 2, timeout=10)
    assert dominant_hue(px) == pytest.approx(125.0)
    assert view.progress_seen()
    assert view.status() == "webgl2 hue 120"
    # the compositor shows the same (screenshot path, at CSS size)
    assert dominant_hue(screenshot_pixels(nb.page, view.at(CANVAS))) == pytest.approx(125.0)

    # page -> Python: dropdown, slider and click reach the kernel
    view.choose("color_by", "blue")
    wait_for(lambda: nb.eval_in_kernel("w.value") == 240, 10, message="w.value == 240")
    view.set_param("hue", 60)
    wait_for(lambda: nb.eval_in_kernel("w.value") == 60, 10, message="w.value == 60")
    view.click(0.5, 0.5)
    wait_for(lambda: nb.eval_in_kernel("w.clicks") == 1, 10, message="w.clicks == 1")

    # an invalid value shows the error and keeps the previous picture
    before = view.wait_pixels_change(px, min_changed=SQUARE // 2, timeout=10)  # yellow now
    nb.run_in_kernel("w.value = 400")
    wait_for(view.error, 10, message="error box shown")
    assert "out of range" in (view.error() or "")
    assert pixels_changed(before, view.pixels()) == 0


def test_lab_standin_renders_and_syncs(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook([STANDIN], ui="lab")
    assert "/lab/" in nb.page.url
    _check_standin(nb)


def test_notebook7_standin_renders_and_syncs(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook([STANDIN], ui="notebook")
    assert "/notebooks/" in nb.page.url
    _check_standin(nb)


def test_errors_carry_tracebacks(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook(["x = 41", "y = 1 / 0"], ui="lab", run=False)
    with pytest.raises(NotebookError, match="ZeroDivisionError"):
        nb.run_all()
    assert nb.run_in_kernel("print(x + 1)") == "42\n"  # the same kernel as the page's cells
    with pytest.raises(KernelError, match="NameError"):
        nb.run_in_kernel("undefined_name")


def test_pixel_helpers_on_synthetic_images() -> None:
    img = np.zeros((10, 20, 4), np.uint8)
    img[..., 3] = 255  # opaque black background
    img[:, :5] = (255, 0, 0, 255)  # red, 50 px
    img[:, 5:10] = (0, 0, 255, 255)  # blue, 50 px
    assert count_non_background(img) == 100
    assert distinct_hues(img) == 2
    img[:, 10:12] = (128, 128, 128, 255)  # grey does not count as a hue
    assert distinct_hues(img) == 2
    assert pixels_changed(img, img.copy()) == 0
