"""Linked views (issue 13): two embeddings side by side, aligned; a row hovered in one is ringed
in the other; a lasso in one selects in both; with ``link_zoom`` the cameras move together."""

from __future__ import annotations

import itertools

import nbformat
import numpy as np
from ew_cases import notebook_code_cells, to_screen
from ew_notebook import OpenNotebook, OpenNotebookFn
from ew_page import careful_drag, count_non_background, hover, screenshot_pixels, wait_for
from ew_widget import CANVAS, EmbedView, pixels_changed
from test_saved_page import PICTURE, SAVED_PICTURE, picture_width, saved_without_widget_state

COMPARE = """
import numpy as np, pandas as pd
from sklearn.datasets import load_digits
from embed_widget import Table
X, y = load_digits(return_X_y=True)
turn, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(64, 64)))
frame = pd.DataFrame({"a": list(X), "b": list(X @ turn * 3 + 1), "digit": y.astype(str)})
t = Table(dataframe=frame)
c = t.compare(["a", "b"], algorithm="pca", link_zoom={zoom})
c
"""
MARK = ".ew-linked-mark"


def open_pair(
    open_notebook: OpenNotebookFn, zoom: bool = False
) -> tuple[OpenNotebook, list[EmbedView]]:
    nb = open_notebook([COMPARE.replace("{zoom}", str(zoom))])
    views = [EmbedView(nb.page, 0), EmbedView(nb.page, 1)]
    for view in views:
        view.wait_painted(min_pixels=1000)
        wait_for(lambda v=view: v.root.get_attribute("data-final") == "true", 30, message="final")
    return nb, views


def screen(nb: OpenNotebook, view: EmbedView, index: int) -> tuple[np.ndarray, dict[str, float]]:
    """Each row's position in the ``index``-th view's plot (CSS px), and the plot's page box."""
    xy = np.array(nb.eval_in_kernel(f"c.views[{index}].drawn_coords.tolist()"))
    frame = nb.eval_in_kernel(f"c.views[{index}]._layout['frame']")  # (the first view's box)
    view.at(CANVAS).first.scroll_into_view_if_needed()
    box = view.at(CANVAS).first.bounding_box()
    assert box is not None
    return to_screen(xy, box["width"], box["height"], frame), box


def test_two_views_side_by_side_mark_the_row_hovered_in_the_other(
    open_notebook: OpenNotebookFn,
) -> None:
    nb, (left, right) = open_pair(open_notebook)
    points, box = screen(nb, left, 0)
    across, right_box = screen(nb, right, 1)
    assert right_box["x"] >= box["x"] + box["width"] - 1  # side by side, not stacked
    assert abs(right_box["y"] - box["y"]) < 2
    # aligned: the same row sits at the same place of each plot
    assert np.median(np.linalg.norm(points - across, axis=1)) < 2.0

    gaps = np.linalg.norm(points[:, None] - points[None], axis=2)
    np.fill_diagonal(gaps, np.inf)
    row = int(np.argmax(gaps.min(axis=1)))  # the most isolated row: hovering hits only it
    plot = right.at(".ew-canvas").first
    before = screenshot_pixels(nb.page, plot)
    hover(nb.page, box["x"] + points[row, 0], box["y"] + points[row, 1])
    mark = right.at(MARK).first
    wait_for(lambda: mark.get_attribute("data-row") == str(row), 10, message="row marked")
    after = screenshot_pixels(nb.page, plot)
    changed = np.argwhere(np.abs(after.astype(int) - before.astype(int)).max(axis=2) > 40)
    assert len(changed) > 30  # a ring of 10 px radius
    frame = right_box["x"] - plot.bounding_box()["x"], right_box["y"] - plot.bounding_box()["y"]  # type: ignore[index]
    centre = across[row] + frame
    distance = np.linalg.norm(changed[:, ::-1] - centre, axis=1)
    assert np.percentile(distance, 95) < 15  # ink only around the row's place
    assert left.at(MARK).first.get_attribute("data-row") is None  # (no mark in the hovered view)

    hover(nb.page, box["x"] + 2, box["y"] + 2)  # off every point: the mark goes
    wait_for(lambda: mark.get_attribute("data-row") is None, 10, message="mark gone")


def test_a_lasso_in_one_view_selects_the_rows_in_both(open_notebook: OpenNotebookFn) -> None:
    nb, (left, right) = open_pair(open_notebook)
    untouched = left.pixels()
    right.at(".ew-lasso").first.click()
    points, box = screen(nb, right, 1)
    cx, cy = np.median(points, axis=0)
    corners = [(cx - 50, cy - 40), (cx + 50, cy - 40), (cx + 50, cy + 40), (cx - 50, cy + 40)]
    corners.append(corners[0])
    path = [
        (box["x"] + a[0] + (b[0] - a[0]) * f, box["y"] + a[1] + (b[1] - a[1]) * f)
        for a, b in itertools.pairwise(corners)
        for f in np.linspace(0, 1, 10, endpoint=False)
    ] + [(box["x"] + corners[0][0], box["y"] + corners[0][1])]
    careful_drag(nb.page, path)

    n = wait_for(lambda: nb.eval_in_kernel("len(c.views[1].selection)"), 10, message="selected")
    assert n > 20
    both = nb.eval_in_kernel("[v.selection.tolist() for v in c.views] + [c.selection.tolist()]")
    assert both[0] == both[1] == both[2]
    for view in (left, right):  # each view lists the selection
        wait_for(
            lambda v=view: v.at(".ew-selection").first.inner_text() == f"{n} selected",
            10,
            message="selection listed",
        )
    left.wait_pixels_change(untouched, min_changed=1000)  # the other rows faded on the left too


def test_with_zoom_linked_the_other_camera_follows(open_notebook: OpenNotebookFn) -> None:
    nb, (left, right) = open_pair(open_notebook, zoom=True)
    before = right.pixels()
    left.click(0.02, 0.02)  # the plot takes the wheel once clicked
    nb.page.mouse.move(*left.point(0.5, 0.5))
    for _ in range(4):
        nb.page.mouse.wheel(0, -240)  # zoom in on the left
    right.wait_pixels_change(before, min_changed=2000)
    wait_for(lambda: right.pixels().shape == left.pixels().shape, 5, message="same size")
    # the right plot now shows what the left shows (aligned layouts, the same camera)
    zoomed_left, zoomed_right = left.pixels(), right.pixels()
    assert pixels_changed(zoomed_left, zoomed_right) < 0.5 * pixels_changed(zoomed_left, before)


def test_the_compare_notebook_shows_two_linked_umap_views(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook(notebook_code_cells("compare.ipynb"))  # verbatim: UMAP of two epochs
    views = [EmbedView(nb.page, 0), EmbedView(nb.page, 1)]
    for view in views:
        view.wait_painted(min_pixels=1000, timeout=90)
        wait_for(lambda v=view: v.root.get_attribute("data-final") == "true", 90, message="final")
    assert nb.eval_in_kernel("[v.result.algorithm for v in c.views]") == ["umap", "umap"]
    assert nb.eval_in_kernel("repr(c)") == "Comparison of 2 linked views: epoch_1 | epoch_30"
    assert [v.at(".ew-legend-item").count() for v in views] == [10, 10]


def test_a_comparison_saved_without_widget_state_shows_both_pictures(
    open_notebook: OpenNotebookFn,
) -> None:
    nb, (left, _) = open_pair(open_notebook)
    plot = left.at(CANVAS).first.bounding_box()
    assert plot is not None
    both = 2 * plot["width"]  # (each view's figure: its plot, legend beside it)
    wait_for(lambda: picture_width(nb.page, PICTURE) > both, 30, message="the grid's picture")
    kept = "[len(v._picture) > 1000 for v in c.views]"  # (each view sends its own picture)
    wait_for(lambda: nb.eval_in_kernel(kept) == [True, True], 30, message="both pictures kept")
    assert not nb.page.locator(PICTURE).is_visible()  # beside the live grid: hidden
    notebook = saved_without_widget_state(nb)
    copy = nb.path.with_name("compare_no_state.ipynb")
    nbformat.write(notebook, copy)

    page = open_notebook([], copy_of=copy, run=False).page
    wait_for(lambda: picture_width(page, SAVED_PICTURE) > both, 20, message="the saved picture")
    pixels = screenshot_pixels(page, page.locator(SAVED_PICTURE).first)
    half = pixels.shape[1] // 2
    assert count_non_background(pixels[:, :half]) > 1000  # the first view's points and legend
    assert count_non_background(pixels[:, half:]) > 1000  # and the second's
    assert page.locator(".embed-widget").count() == 0
