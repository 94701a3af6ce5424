"""Clusters on the map in the browser (issue 12): labels at the clusters, never overlapping, as
text; the labels and density toggles; contours that follow the filter and the zoom; colour by
cluster."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from ew_cases import to_screen
from ew_notebook import OpenNotebook, OpenNotebookFn
from ew_page import animation_frames, hover, wait_for
from ew_widget import CANVAS, EmbedView
from PIL import Image

GROUPS = """
import numpy as np, pandas as pd
from sklearn.datasets import make_blobs
from embed_widget import Table
X, y = make_blobs(1200, n_features=8, centers=6, cluster_std=1.0, random_state=3)
df = pd.DataFrame(X, columns=[f"d{i}" for i in range(8)])
df["group"] = ["<img src=x onerror=alert(1)>" if k == 0 else f"group {k}" for k in y]
t = Table(dataframe=df)
t.view.algorithm = "pca"
t
"""
LABEL = ".ew-cluster-labels .ew-label"
DENSITY = ".ew-canvas canvas.ew-density-layer"


def open_groups(open_notebook: OpenNotebookFn) -> tuple[OpenNotebook, EmbedView]:
    nb = open_notebook([GROUPS])
    view = EmbedView(nb.page)
    view.wait_painted(min_pixels=1000)
    wait_for(lambda: view.at(LABEL).count() >= 3, 20, message="cluster labels drawn")
    return nb, view


def label_boxes(view: EmbedView) -> list[dict[str, float | str]]:
    return view.at(LABEL).evaluate_all(
        """(els) => els.map((e) => {
            const r = e.getBoundingClientRect();
            return {text: e.textContent, cluster: e.dataset.cluster,
                    x: r.x, y: r.y, w: r.width, h: r.height};
        })"""
    )


def density_pixels(view: EmbedView) -> int:
    """Pixels the density canvas paints (alpha > 0)."""
    return int(
        view.at(DENSITY).first.evaluate(
            """(c) => {
            if (c.hidden || !c.width) return 0;
            const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
            return n;
        }"""
        )
    )


def test_labels_name_the_clusters_where_they_are_without_overlap(
    open_notebook: OpenNotebookFn,
) -> None:
    nb, view = open_groups(open_notebook)
    frame = nb.eval_in_kernel(
        "(lambda c: [c.cluster.tolist(), sorted(set(c.label) - {''})])(t.clusters())"
    )
    clusters, names = np.array(frame[0]), frame[1]
    boxes = label_boxes(view)
    assert {b["text"] for b in boxes} <= set(names)
    # the group named by HTML is shown as its text: no element made of it
    assert "<img src=x onerror=alert(1)> 100%" in {b["text"] for b in boxes}
    assert view.at(".ew-cluster-labels img").count() == 0
    for i, a in enumerate(boxes):  # no two overlap
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["w"] <= b["x"]  # type: ignore[operator]
                or b["x"] + b["w"] <= a["x"]  # type: ignore[operator]
                or a["y"] + a["h"] <= b["y"]  # type: ignore[operator]
                or b["y"] + b["h"] <= a["y"]  # type: ignore[operator]
            )
            assert apart, (a, b)
    # each label is centred on a point of its own cluster
    xy = np.array(nb.eval_in_kernel("t.projection[['x', 'y']].values.tolist()"))
    canvas = view.at(CANVAS).first.bounding_box()
    assert canvas is not None
    screen = to_screen(xy, canvas["width"], canvas["height"]) + np.array([canvas["x"], canvas["y"]])
    for box in boxes:
        centre = np.array([box["x"] + box["w"] / 2, box["y"] + box["h"] / 2])  # type: ignore[operator]
        members = screen[clusters == int(box["cluster"])]
        assert np.linalg.norm(members - centre, axis=1).min() < 2.5, box

    view.at(".ew-button.ew-labels").first.click()  # off
    layer = view.at(".ew-cluster-labels").first
    wait_for(lambda: not layer.is_visible(), 10, message="labels hidden")
    wait_for(lambda: nb.eval_in_kernel("t.view.labels") is False, 10, message="synced")
    nb.run_in_kernel("t.view.labels = True")
    button = view.at(".ew-button.ew-labels").first
    # (the hidden layer keeps its label nodes: wait for it to show, not for nodes)
    wait_for(lambda: layer.is_visible(), 10, message="labels back from Python")
    assert view.at(LABEL).count() >= 3
    assert button.get_attribute("aria-pressed") == "true"

    nb.run_in_kernel("t.view.label_column = 'd0'")  # named by a numeric column's median
    wait_for(
        lambda: all(b["text"].startswith("d0 ") for b in label_boxes(view)),  # type: ignore[union-attr]
        15,
        message="labels renamed",
    )


def test_density_contours_follow_the_filter_and_the_zoom(open_notebook: OpenNotebookFn) -> None:
    nb, view = open_groups(open_notebook)
    names = nb.eval_in_kernel("t.view._clusters['names']")
    assert view.at(DENSITY).first.is_hidden()  # off by default
    view.at(".ew-button.ew-density").first.click()
    wait_for(lambda: density_pixels(view) > 2000, 10, message="contours drawn")
    assert nb.eval_in_kernel("t.view.density") is True
    everything = density_pixels(view)
    composed = view.pixels()  # the WebGL canvas draws over it, transparent around the points
    assert composed[..., 3].mean() < 250

    nb.run_in_kernel("t.view.filter = \"group == 'group 1'\"")
    wait_for(lambda: density_pixels(view) < 0.5 * everything, 10, message="only group 1 left")
    # only clusters with a visible point keep a label
    kept = nb.eval_in_kernel("sorted(set(t.clusters().cluster[df.group == 'group 1']) - {-1})")
    wait_for(lambda: {int(b["cluster"]) for b in label_boxes(view)} <= set(kept), 10)  # type: ignore[arg-type]
    assert 0 < view.at(LABEL).count() < len(names)
    nb.run_in_kernel("t.view.filter = ''")
    wait_for(lambda: density_pixels(view) > 0.9 * everything, 10, message="all back")

    labels_before = [b["x"] for b in label_boxes(view)]
    canvas = view.at(CANVAS).first.bounding_box()
    assert canvas is not None
    view.click(0.02, 0.02)  # the plot takes the wheel once clicked
    hover(nb.page, canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2)
    for _ in range(4):
        nb.page.mouse.wheel(0, -240)  # zoom in
        animation_frames(nb.page, 2)
    animation_frames(nb.page, 6)

    def field_width() -> float:
        extent = view.at(DENSITY).first.get_attribute("data-extent") or "-1,-1,1,1"
        left, _, right, _ = (float(v) for v in extent.split(","))
        return right - left

    # computed again for the part in view (sharp at any zoom), and still drawn
    wait_for(lambda: field_width() < 1.5, 10, message="contours of the zoomed view")
    assert density_pixels(view) > 1000
    assert [b["x"] for b in label_boxes(view)] != labels_before  # labels moved with the camera


def test_the_png_export_draws_the_labels_shown(open_notebook: OpenNotebookFn) -> None:
    nb, view = open_groups(open_notebook)
    canvas = view.at(CANVAS).first.bounding_box()
    assert canvas is not None
    boxes = label_boxes(view)

    def exported() -> np.ndarray:
        with nb.page.expect_download(timeout=20_000) as info:
            view.at(".ew-png").first.click()
        png = Image.open(io.BytesIO(info.value.path().read_bytes())).convert("RGB")
        return np.asarray(png).astype(int)

    def ink(png: np.ndarray, box: dict[str, float | str]) -> int:
        """Pixels near the text colour inside the label's box, in the 2x figure."""
        left = round(2 * (float(box["x"]) - canvas["x"]))
        top = round(2 * (float(box["y"]) - canvas["y"]))
        part = png[top : top + round(2 * float(box["h"])), left : left + round(2 * float(box["w"]))]
        return int((np.abs(part - [0x1F, 0x29, 0x33]).max(axis=2) < 40).sum())

    with_labels = exported()
    view.at(".ew-button.ew-labels").first.click()  # labels off
    wait_for(lambda: nb.eval_in_kernel("t.view.labels") is False, 10, message="off")
    without = exported()
    for box in boxes:
        assert ink(with_labels, box) > 40 and ink(without, box) < 5, box["text"]


def test_colour_by_clusters(open_notebook: OpenNotebookFn) -> None:
    nb, view = open_groups(open_notebook)
    names = nb.eval_in_kernel("t.view._clusters['names']")
    before = view.pixels()
    view.choose("color_by", "clusters")
    wait_for(
        lambda: sum(any(n in item for item in view.legend_items()) for n in names) == len(names),
        10,
        message="every cluster in the legend",
    )
    view.wait_pixels_change(before, min_changed=200)  # recoloured
    assert nb.eval_in_kernel("t.view._colors['column']") == "clusters"


MILLION_GROUPS = """\
import numpy as np, pandas as pd
from sklearn.datasets import make_blobs
from embed_widget import Table
X, y = make_blobs(1_000_000, n_features=4, centers=8, random_state=5)
df = pd.DataFrame(X.astype("float32"), columns=list("abcd"))
df["group"] = pd.Categorical([f"group {k}" for k in y])
t = Table(dataframe=df)
t.view.algorithm = "pca"
t
"""


@pytest.mark.slow
def test_labels_at_a_million_points(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook([MILLION_GROUPS], timeout=180)
    view = EmbedView(nb.page)
    wait_for(lambda: view.root.get_attribute("data-final") == "true", 120, message="drawn")
    drawn = time.perf_counter()
    wait_for(lambda: view.at(LABEL).count() >= 3, 60, 0.05, "labels at 1M points")
    after = time.perf_counter() - drawn
    print(f"\n1M points: first labels {after:.2f} s after the layout was drawn")
    texts = {b["text"] for b in label_boxes(view)}
    assert all(t.startswith("group ") and t.endswith("%") for t in texts), texts
