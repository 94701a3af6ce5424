"""Exploring in the browser (issue 11): the search box highlights and selects, the filter hides
points, a clicked point lists and rings its nearest rows in the original space."""

from __future__ import annotations

import numpy as np
from ew_cases import to_screen
from ew_notebook import OpenNotebook, OpenNotebookFn
from ew_page import careful_click, count_non_background, wait_for
from ew_widget import CANVAS, EmbedView
from test_reading import TEXTS, isolated_point


def saturated(pixels: np.ndarray) -> int:
    """Pixels drawn in a strong colour (dimmed points are pale)."""
    rgb = pixels[..., :3].astype(int)
    return int(((rgb.max(axis=2) - rgb.min(axis=2)) > 90).sum())


def open_texts(open_notebook: OpenNotebookFn) -> tuple[OpenNotebook, EmbedView]:
    nb = open_notebook([TEXTS])
    view = EmbedView(nb.page)
    view.wait_painted(min_pixels=1000)
    return nb, view


def test_search_highlights_matches_and_enter_selects_them(open_notebook: OpenNotebookFn) -> None:
    nb, view = open_texts(open_notebook)
    before = saturated(view.pixels())
    box = view.at(".ew-search").first
    box.fill("paragraph 1")  # paragraph 1, 10-19, 100-199: 111 of 200
    count = view.at(".ew-search-count").first
    wait_for(lambda: count.inner_text() == "111 of 200", 10, message="the match count")
    wait_for(lambda: saturated(view.pixels()) < 0.8 * before, 10, message="misses dimmed")
    assert nb.eval_in_kernel("t.view.search") == "paragraph 1"
    matches = nb.eval_in_kernel("t.view.matches.tolist()")
    assert len(matches) == 111
    box.press("Enter")
    wait_for(lambda: nb.eval_in_kernel("t.view.selection.tolist()") == matches, 10, message="sel")
    view.at(".ew-search-column").first.select_option("topic")  # no topic says "paragraph"
    wait_for(lambda: count.inner_text() == "0 of 200", 10, message="searched in topic only")
    assert nb.eval_in_kernel("t.view.search_column") == "topic"
    view.at(".ew-search-column").first.select_option("")
    wait_for(lambda: count.inner_text() == "111 of 200", 10, message="in every column again")
    nb.run_in_kernel("t.view.filter = \"topic == 'topic 1'\"")  # Enter skips hidden matches
    wait_for(lambda: view.at(".ew-filter-count").first.inner_text() != "", 10, message="filtered")
    box.press("Enter")
    visible = [i for i in matches if i % 4 == 1]
    wait_for(lambda: nb.eval_in_kernel("t.view.selection.tolist()") == visible, 10, message="vis")
    nb.run_in_kernel("t.view.filter = ''")
    box.fill("/(/")
    error = view.at(".ew-explore-error").first
    wait_for(error.is_visible, 10, message="the regex error shown")
    assert "regular expression" in error.inner_text()
    assert count.inner_text() == "111 of 200"  # the previous matches stay


def test_filter_hides_points_and_a_bad_one_keeps_the_last(open_notebook: OpenNotebookFn) -> None:
    nb, view = open_texts(open_notebook)
    before = count_non_background(view.pixels())
    box = view.at(".ew-filter").first
    box.fill("topic == 'topic 0'")
    box.press("Enter")
    counter = view.at(".ew-filter-count").first
    wait_for(lambda: counter.inner_text() == "50 of 200 shown", 10, message="the filter count")
    wait_for(
        lambda: count_non_background(view.pixels()) < 0.45 * before, 10, message="points hidden"
    )
    filtered = view.pixels()
    box.fill("topics == 1")  # no such column
    box.press("Enter")
    error = view.at(".ew-explore-error").first
    wait_for(error.is_visible, 10, message="the filter error shown")
    assert counter.inner_text() == "50 of 200 shown"
    assert count_non_background(view.pixels()) == count_non_background(filtered)
    nb.run_in_kernel("t.view.filter = ''")
    wait_for(lambda: count_non_background(view.pixels()) > 0.9 * before, 10, message="back")
    assert box.input_value() == ""


def test_a_clicked_point_lists_and_rings_its_neighbours(open_notebook: OpenNotebookFn) -> None:
    nb, view = open_texts(open_notebook)
    index, x, y = isolated_point(nb, view)
    careful_click(nb.page, x, y)
    listed = view.at(".ew-details .ew-neighbor")
    wait_for(lambda: listed.count() == 10, 10, message="ten neighbours listed")
    expected = nb.eval_in_kernel(f"t.neighbors({index}).index.tolist()")
    shown = listed.evaluate_all("(els) => els.map(e => Number(e.dataset.index))")
    assert shown == expected
    metric = view.at(".ew-neighbor-metric").first
    assert metric.input_value() == "euclidean"

    # rings sit on the neighbours' points (the layout is the first one: no alignment)
    xy = np.array(nb.eval_in_kernel("t.projection[['x', 'y']].values.tolist()"))
    canvas = view.at(CANVAS).first.bounding_box()
    assert canvas is not None
    screen = to_screen(xy, canvas["width"], canvas["height"])
    rings = view.at(".ew-ring-neighbor")
    assert rings.count() == 10
    for ring in rings.all():
        row = int(ring.get_attribute("data-index") or -1)
        cx, cy = float(ring.get_attribute("cx") or 0), float(ring.get_attribute("cy") or 0)
        assert abs(cx - screen[row, 0]) < 2 and abs(cy - screen[row, 1]) < 2, (row, cx, cy)
    assert view.at(".ew-ring-focus").first.get_attribute("data-index") == str(index)

    metric.select_option("cosine")  # the same row's neighbours by another metric
    cosine = nb.eval_in_kernel(f"t.neighbors({index}, metric='cosine').index.tolist()")
    assert cosine != expected
    wait_for(
        lambda: listed.evaluate_all("(els) => els.map(e => Number(e.dataset.index))") == cosine,
        10,
        message="the cosine neighbours listed",
    )
    assert nb.eval_in_kernel("t.view.neighbor_metric") == "cosine"
    metric.select_option("euclidean")
    wait_for(
        lambda: listed.evaluate_all("(els) => els.map(e => Number(e.dataset.index))") == expected,
        10,
        message="back to euclidean",
    )

    listed.nth(2).click()
    title = view.at(".ew-details-title").first
    wait_for(lambda: title.inner_text() == f"row {expected[2]}", 10, message="moved to it")
    wait_for(
        lambda: view.at(".ew-ring-focus").first.get_attribute("data-index") == str(expected[2]),
        10,
        message="the rings follow",
    )


def test_colour_by_projection_quality(open_notebook: OpenNotebookFn) -> None:
    """Once the layout is measured the status says how many neighbours it kept, and "projection
    quality" colours the points on a colorbar."""
    nb, view = open_texts(open_notebook)
    kept = nb.eval_in_kernel("round(100 * t.quality().attrs['mean_preserved'])")
    wait_for(
        lambda: view.status().endswith(f"· neighbours kept: {kept}%"), 15, message="the figure"
    )
    before = view.pixels()
    view.choose("color_by", "projection quality")
    wait_for(lambda: nb.eval_in_kernel("t.view._colors['kind']") == "continuous", 10, message="c")
    after = view.wait_pixels_change(before, min_changed=200)
    assert saturated(after) > 200  # coloured on the colormap
    title = view.at(".ew-legend").first.inner_text()
    assert "projection quality" in title


WINE = """
import pandas as pd
from sklearn.datasets import load_wine
from embed_widget import Table
wine = load_wine(as_frame=True)
df = wine.data.copy()
df["cultivar"] = wine.target.astype(str)
t = Table(dataframe=df)
t.view.algorithm = "pca"
t
"""


def test_columns_of_different_units_are_standardized_and_the_status_says_so(
    open_notebook: OpenNotebookFn,
) -> None:
    nb = open_notebook([WINE])
    view = EmbedView(nb.page)
    view.wait_painted(min_pixels=300)
    notices = view.at(".ew-notices").first
    wait_for(lambda: "columns standardized" in notices.inner_text(), 15, message="the notice")
    picker = view.at('select[data-param="preprocess"]').first
    assert picker.evaluate("(s) => s.selectedOptions[0].textContent") == "auto"
    before = view.pixels()
    picker.select_option(label="none")
    view.wait_pixels_change(before, min_changed=200)  # proline alone: another picture
    wait_for(
        lambda: nb.eval_in_kernel("t.projection.attrs['params']['preprocess']") == "none",
        15,
        message="recomputed without preprocessing",
    )


def test_zoom_to_selection_and_project_only_these(open_notebook: OpenNotebookFn) -> None:
    nb, view = open_texts(open_notebook)
    isolate, zoom, back = (view.at(f".ew-{name}").first for name in ("isolate", "zoom", "all-rows"))
    assert isolate.is_disabled() and zoom.is_disabled() and not back.is_visible()
    nb.run_in_kernel("t.view.selection = list(range(0, 200, 10))")
    wait_for(lambda: not zoom.is_disabled(), 10, message="buttons enabled by a selection")

    before = view.pixels()
    zoom.click()
    view.wait_pixels_change(before, min_changed=500)

    isolate.click()
    wait_for(lambda: nb.eval_in_kernel("len(t.projection)") == 20, 30, message="20 rows projected")
    wait_for(back.is_visible, 10, message="'all rows' offered")
    view.at(".ew-reset").first.click()  # the fitted view: 20 points where there were 200
    wait_for(
        lambda: count_non_background(view.pixels()) < 0.3 * count_non_background(before),
        15,
        message="the other rows hidden",
    )
    assert any("only 20 rows" in t for t in nb.eval_in_kernel("t.view.status['notices']"))
    back.click()
    wait_for(lambda: nb.eval_in_kernel("len(t.projection)") == 200, 30, message="all rows again")
    wait_for(lambda: not back.is_visible(), 10, message="'all rows' gone")
