"""Reading real data (issue 10): a legend for 40+ classes, colour scales for skewed numbers, a
wheel that scrolls the notebook, controls that keep their place, and the dark theme."""

from __future__ import annotations

import numpy as np
from ew_cases import digits_cell, notebook_code_cells, to_screen
from ew_notebook import OpenNotebook, OpenNotebookFn
from ew_page import (
    animation_frames,
    background_color,
    careful_click,
    count_non_background,
    hover,
    screenshot_pixels,
    wait_for,
)
from ew_widget import CANVAS, LEGEND_ITEM, TOOLTIP, EmbedView, control, pixels_changed

# 44 groups: 40 common ones and 4 rare ones (the rarest merge into "(other)"), and a skewed
# numeric column like paragraph lengths (5 to ~5,000, median ~100).
MANY_CLASSES = """
import numpy as np, pandas as pd
from embed_widget import Table
rng = np.random.default_rng(0)
n = 3000
groups = [f"group {i}" for i in range(40)] + [f"rare {i}" for i in range(4)]
weights = np.r_[np.full(40, 1.0), np.full(4, 0.1)]
g = rng.choice(len(groups), n, p=weights / weights.sum())
x = rng.normal(0, 6, (len(groups), 8))[g] + rng.normal(size=(n, 8))
df = pd.DataFrame(x, columns=[f"d{i}" for i in range(8)])
df["group"] = [groups[k] for k in g]
df["length"] = np.clip(rng.lognormal(4.6, 1.0, n), 5, 5206).round()
t = Table(dataframe=df)
t.view.algorithm = "pca"
t.view.embedding = [f"d{i}" for i in range(8)]
t
"""
TALL_OUTPUT = "print('\\n'.join(f'line {i}' for i in range(150)))"


def open_many(open_notebook: OpenNotebookFn, *extra: str) -> tuple[OpenNotebook, EmbedView]:
    nb = open_notebook([MANY_CLASSES, *extra])
    view = EmbedView(nb.page)
    view.wait_painted(min_pixels=500)
    return nb, view


def test_a_legend_for_44_classes(open_notebook: OpenNotebookFn) -> None:
    _, view = open_many(open_notebook)
    labels = [t.strip() for t in view.at(f"{LEGEND_ITEM} .ew-legend-label").all_inner_texts()]
    assert len(labels) == 41 and labels[-1] == "(other)"
    assert all(f"group {i}" in labels for i in range(40))
    note = view.at(".ew-legend-note").first.inner_text()
    assert "4 rarer categories" in note
    other = view.at(LEGEND_ITEM).nth(40)
    assert "rare 0" in (other.get_attribute("title") or "")
    swatches = view.at(f"{LEGEND_ITEM} .ew-swatch").evaluate_all(
        "els => els.map(e => getComputedStyle(e).backgroundColor)"
    )
    assert len(set(swatches[:40])) == 40  # every class its own colour

    show_all = view.at(".ew-legend-all")
    assert not show_all.is_visible()
    before = view.pixels()
    view.at(LEGEND_ITEM).nth(3).click(modifiers=["Shift"])  # isolate one group
    isolated = view.wait_pixels_change(before, min_changed=200)
    assert show_all.is_visible() and view.at(f"{LEGEND_ITEM}.ew-off").count() == 40
    show_all.click()
    view.wait_pixels_change(isolated, min_changed=200)
    assert view.at(f"{LEGEND_ITEM}.ew-off").count() == 0 and not show_all.is_visible()


def dark_share(pixels: np.ndarray) -> float:
    """Share of painted pixels in the colormap's darkest tenth (viridis: dark purple)."""
    painted = np.abs(pixels.astype(int) - background_color(pixels)).max(axis=2) > 30
    rgb = pixels[..., :3][painted & (pixels[..., 3] > 128)].astype(float)
    darkest = np.array([68, 1, 84], dtype=float)  # viridis at 0; at 0.1: (72, 36, 117)
    return float((np.linalg.norm(rgb - darkest, axis=1) < 45).mean()) if len(rgb) else 0.0


def test_a_skewed_column_colours_on_a_log_scale(open_notebook: OpenNotebookFn) -> None:
    nb, view = open_many(open_notebook)
    before = view.pixels()
    nb.run_in_kernel("t.view.color_by = 'length'")
    log_px = view.wait_pixels_change(before, min_changed=500)
    wait_for(lambda: "log scale" in view.at(".ew-colorbar-scale").first.inner_text(), 10)
    ticks = view.at(".ew-colorbar-tick").all_inner_texts()
    assert ticks[0] == "5" and "100" in ticks and "1000" in ticks
    picker = view.at(control("color_scale")).first
    assert picker.is_visible() and picker.input_value() == "auto"

    picker.select_option("linear")
    wait_for(lambda: nb.eval_in_kernel("t.view.color_scale") == "linear", 10)
    linear_px = view.wait_pixels_change(log_px, min_changed=500)
    wait_for(lambda: "linear" in view.at(".ew-colorbar-scale").first.inner_text(), 10)
    animation_frames(nb.page, 2)
    linear_px = view.pixels()
    # linear: most points sit in the colormap's darkest tenth; log spreads them
    assert dark_share(linear_px) > 0.5 > 2 * dark_share(log_px), (
        dark_share(linear_px),
        dark_share(log_px),
    )


def scroll_top(nb: OpenNotebook) -> float:
    """scrollTop of the notebook's scrolling box (the widget's nearest scrollable ancestor)."""
    return float(
        nb.page.evaluate(
            """() => {
              let e = document.querySelector('.embed-widget');
              const scrolls = e => e.scrollHeight > e.clientHeight + 1 &&
                /(auto|scroll)/.test(getComputedStyle(e).overflowY);
              while (e && !scrolls(e)) e = e.parentElement;
              return e ? e.scrollTop : -1;
            }"""
        )
    )


def painted_box(pixels: np.ndarray) -> tuple[int, int]:
    """Width and height of the box around the painted pixels."""
    mask = np.abs(pixels.astype(int) - background_color(pixels)).max(axis=2) > 30
    ys, xs = np.nonzero(mask)
    return int(xs.max() - xs.min()), int(ys.max() - ys.min())


def test_the_wheel_scrolls_the_notebook_until_the_plot_is_clicked(
    open_notebook: OpenNotebookFn,
) -> None:
    nb, view = open_many(open_notebook, TALL_OUTPUT)
    canvas = view.at(CANVAS).first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    before, top = view.pixels(), scroll_top(nb)
    hover(nb.page, x, y)
    nb.page.mouse.wheel(0, 240)
    wait_for(lambda: scroll_top(nb) > top + 50, 5, message="the notebook scrolled")
    assert view.at(".ew-wheel-hint").is_visible()
    animation_frames(nb.page, 3)
    assert pixels_changed(before, view.pixels()) < 20  # the plot did not zoom

    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    x, y = box["x"] + 8, box["y"] + 8  # a corner: a click there selects nothing
    careful_click(nb.page, x, y)
    fitted, top = painted_box(view.pixels()), scroll_top(nb)
    hover(nb.page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(25):  # far out: zooming out stops at a quarter of the fitted view
        nb.page.mouse.wheel(0, 240)
        animation_frames(nb.page, 1)
    animation_frames(nb.page, 4)
    assert scroll_top(nb) == top  # the plot had the wheel, not the page
    smallest = painted_box(view.pixels())
    assert smallest[0] < 0.7 * fitted[0]  # it did zoom out ...
    assert smallest[0] > 0.2 * fitted[0] and smallest[1] > 0.2 * fitted[1]  # ... not to a dot


def test_controls_keep_their_place(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook(notebook_code_cells("hello_world.ipynb"))
    view = EmbedView(nb.page)
    view.wait_painted(min_pixels=3)
    assert not view.at(control("image_column")).first.is_visible()  # no image column
    heights = {}
    for algorithm in ("pca", "umap", "tsne"):
        nb.run_in_kernel(f"t.view.algorithm = {algorithm!r}")
        wait_for(lambda a=algorithm: view.at(control("algorithm")).first.input_value() == a, 10)
        animation_frames(nb.page, 2)
        heights[algorithm] = view.at(".ew-params").first.bounding_box()["height"]  # type: ignore[index]
    assert len(set(heights.values())) == 1, heights  # the notebook does not jump


def test_parameters_read_well_at_700_px(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook([digits_cell("pca")])
    view = EmbedView(nb.page)
    view.wait_painted()
    view.root.evaluate("el => { el.style.width = '700px'; }")
    nb.run_in_kernel("t.view.algorithm = 'tsne'")
    wait_for(lambda: view.at(".ew-param").count() >= 8, 10)
    animation_frames(nb.page, 2)
    rows = view.at(".ew-param").evaluate_all(
        """els => els.map(e => {
          const r = e.getBoundingClientRect(), t = e.querySelector('.ew-param-auto');
          const tr = t ? t.getBoundingClientRect() : null;
          return {name: e.querySelector('[data-param]').dataset.param,
                  overflow: e.scrollWidth - e.clientWidth, width: r.width,
                  toggleInside: tr ? (tr.top >= r.top - 1 && tr.bottom <= r.bottom + 1 &&
                                      tr.right <= r.right + 1) : null};
        })"""
    )
    for row in rows:
        assert row["overflow"] <= 1, row
        assert row["toggleInside"] in (None, True), row  # each toggle on its own parameter's row
    learning_rate = next(r for r in rows if r["name"] == "learning_rate")
    assert learning_rate["toggleInside"] is True


def contrast(a: list[float], b: list[float]) -> float:
    """WCAG contrast ratio of two sRGB colours (0-255)."""

    def luminance(c: list[float]) -> float:
        v = np.array(c[:3]) / 255
        v = np.where(v <= 0.03928, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)
        return float(v @ [0.2126, 0.7152, 0.0722])

    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_dark_theme(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook([digits_cell("tsne")], run=True)
    view = EmbedView(nb.page)
    view.wait_painted()
    page = nb.page
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', "
                  "{theme: 'JupyterLab Dark'})")  # fmt: skip
    try:
        wait_for(lambda: page.evaluate("() => document.body.dataset.jpThemeLight") == "false", 20)
        animation_frames(page, 4)
        colours = view.root.evaluate(
            """root => {
              const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
              const of = sel => rgb(getComputedStyle(root.querySelector(sel)).color);
              let e = root, bg = 'rgba(0, 0, 0, 0)';
              while (e && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) {
                bg = getComputedStyle(e).backgroundColor; e = e.parentElement;
              }
              return {bg: rgb(bg), value: of('.ew-param-value'), title: of('.ew-legend-title'),
                      name: of('.ew-param-name'), select: of('select')};
            }"""
        )
        for part in ("value", "title", "name", "select"):
            assert contrast(colours[part], colours["bg"]) >= 3, (part, colours)
        shot = screenshot_pixels(page, view.at(CANVAS).first)
        corner = shot[3:12, 3:12, :3].reshape(-1, 3).mean(axis=0)
        assert corner.mean() < 80, corner  # the plot's background follows the theme
        assert count_non_background(shot) > 500  # and the points still show
    finally:
        page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', "
                      "{theme: 'JupyterLab Light'})")  # fmt: skip
        wait_for(lambda: page.evaluate("() => document.body.dataset.jpThemeLight") == "true", 20)


TEXTS = """
import numpy as np, pandas as pd
from embed_widget import Table
rng = np.random.default_rng(1)
df = pd.DataFrame(rng.normal(size=(200, 5)), columns=list("abcde"))
df["topic"] = [f"topic {i % 4}" for i in range(200)]
df["text"] = [f"paragraph {i}: " + "word " * (i % 7) for i in range(200)]
df["long"] = ["<b>x</b> " * 80 + f"end of row {i}" for i in range(200)]
df["number_of_characters_in_the_original_paragraph"] = [f"value {i} " * 6 for i in range(200)]
t = Table(dataframe=df)
t.view.algorithm = "pca"
t
"""


def test_the_selection_list_shows_the_column_the_user_picks(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook([TEXTS])
    view = EmbedView(nb.page)
    view.wait_painted()
    nb.run_in_kernel("t.view.selection = [4, 9, 11]")
    items = view.at(".ew-selection-item .ew-selection-label")
    wait_for(lambda: items.count() == 3, 10, message="three rows listed")
    assert items.first.inner_text().strip().startswith("paragraph 4:")
    assert "3 selected" in view.at(".ew-selection").first.inner_text()
    picker = view.at(control("selection_column")).first
    assert picker.input_value() == "text"  # the first text column, not the colour column
    picker.select_option("topic")
    wait_for(
        lambda: [t.strip() for t in items.all_inner_texts()] == ["topic 0", "topic 1", "topic 3"],
        10,
        message="the list shows the topic",
    )
    assert nb.eval_in_kernel("t.view.selection_column") == "topic"


def isolated_point(nb: OpenNotebook, view: EmbedView) -> tuple[int, float, float]:
    """The row whose point is farthest from any other (a click or hover hits it alone), and its
    page position (the canvas scrolled into view first)."""
    xy = np.array(nb.eval_in_kernel("t.projection[['x', 'y']].values.tolist()"))
    canvas = view.at(CANVAS).first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    points = to_screen(xy, box["width"], box["height"])
    gaps = np.linalg.norm(points[:, None] - points[None], axis=2) + np.eye(len(points)) * 1e9
    index = int(np.argmax(gaps.min(axis=1)))
    return index, box["x"] + points[index, 0], box["y"] + points[index, 1]


def test_long_column_names_leave_room_for_values(open_notebook: OpenNotebookFn) -> None:
    """A long column name is shortened in the tooltip (the details panel has it in full), so its
    value keeps a readable width instead of a few characters a line."""
    nb = open_notebook([TEXTS])
    view = EmbedView(nb.page)
    view.wait_painted()
    index, x, y = isolated_point(nb, view)
    hover(nb.page, x, y)
    tip = view.at(TOOLTIP).first
    wait_for(tip.is_visible, 10, message="tooltip shown")
    name = "number_of_characters_in_the_original_paragraph"
    row = tip.locator("tr", has=nb.page.locator("th", has_text=name))
    assert row.locator("td").inner_text().startswith(f"value {index} ")
    value_width = row.locator("td").evaluate("(el) => el.getBoundingClientRect().width")
    label = row.locator("th > span")
    assert label.evaluate("(el) => el.scrollWidth > el.clientWidth"), "the name is not shortened"
    assert label.text_content() == name  # shortened on screen only
    assert value_width >= 140, f"the value has {value_width:.0f} px"


def test_a_clicked_point_pins_its_row_in_full(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook([TEXTS])
    view = EmbedView(nb.page)
    view.wait_painted()
    index, x, y = isolated_point(nb, view)
    careful_click(nb.page, x, y)
    panel = view.at(".ew-details").first
    wait_for(panel.is_visible, 10, message="details panel pinned")
    assert panel.locator(".ew-details-title").inner_text() == f"row {index}"
    values = dict(
        zip(
            panel.locator("dt").all_inner_texts(),
            panel.locator("dd").all_inner_texts(),
            strict=True,
        )
    )
    assert values["long"].endswith(f"end of row {index}") and len(values["long"]) > 600  # in full
    assert panel.locator("b").count() == 0  # as text
    nb.page.keyboard.press("Escape")
    wait_for(lambda: not panel.is_visible(), 10, message="Escape unpins")
