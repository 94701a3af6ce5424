"""Using the real widget (issue 5): hover, lasso, legend, live layouts, export, 1M points.

Screen positions of rows come from Python's ``t.projection`` through the frontend's fit
(``ew_cases.to_screen``), valid while the first layout is on screen (later ones are aligned to it).
"""

from __future__ import annotations

import io
import itertools
from typing import Any

import numpy as np
import pandas as pd
import pytest
from ew_cases import digits_cell, status_seq, to_screen, wait_done, wait_still
from ew_notebook import OpenNotebook, OpenNotebookFn
from ew_page import careful_drag, count_non_background, hover, run_all_cells, wait_for
from ew_widget import CANVAS, TOOLTIP, EmbedView, pixels_changed
from PIL import Image

DIGIT_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c"]  # widget/encodings.py, categories 0, 1, 2


def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])


def over_white(px: np.ndarray) -> np.ndarray:
    """RGB as seen on the page: the canvas is transparent where nothing is drawn, and faded
    points are translucent."""
    alpha = px[..., 3:4].astype(np.float64) / 255.0
    return (px[..., :3] * alpha + 255.0 * (1.0 - alpha)).round().astype(int)


def screen_xy(nb: OpenNotebook, view: EmbedView) -> tuple[np.ndarray, dict[str, float]]:
    """Canvas positions (n x 2, CSS px) of every row, and the canvas's page box (scrolled
    wholly into the viewport first: mouse gestures outside it are lost)."""
    xy = np.array(nb.eval_in_kernel("t.projection[['x', 'y']].values.tolist()"))
    view.at(CANVAS).first.scroll_into_view_if_needed()
    box = view.at(CANVAS).first.bounding_box()
    assert box is not None
    return to_screen(xy, box["width"], box["height"]), box


def tooltip_rows(view: EmbedView) -> dict[str, str]:
    """The tooltip's table as {name: value} (``row`` is the row index)."""
    pairs: list[list[str]] = view.at(TOOLTIP).first.evaluate(
        "(el) => [...el.querySelectorAll('tr')].map("
        "tr => [tr.querySelector('th').textContent, tr.querySelector('td').textContent])"
    )
    return dict((k, v) for k, v in pairs)


def wait_tooltip(view: EmbedView, row: int | None = None, timeout: float = 10.0) -> dict[str, str]:
    """Wait for a visible tooltip (showing ``row`` if given); return its rows."""

    def shown() -> dict[str, str] | None:
        if not view.at(TOOLTIP).first.is_visible():
            return None
        rows = tooltip_rows(view)
        return rows if row is None or rows.get("row") == str(row) else None

    return wait_for(shown, timeout, 0.1, f"tooltip for row {row}")


def image_stats(view: EmbedView) -> dict[str, Any]:
    """Size and pixel spread of the tooltip's image, read back through a 2D canvas."""
    img = view.at(".ew-tooltip-image").first
    img.wait_for(state="visible", timeout=10_000)
    stats: dict[str, Any] = img.evaluate(
        """async (img) => {
          await img.decode();
          const c = document.createElement('canvas');
          c.width = img.naturalWidth; c.height = img.naturalHeight;
          const ctx = c.getContext('2d');
          ctx.drawImage(img, 0, 0);
          const d = ctx.getImageData(0, 0, c.width, c.height).data;
          const grey = new Set();
          for (let i = 0; i < d.length; i += 4) grey.add(d[i]);
          const r = img.getBoundingClientRect();
          return {natural: [img.naturalWidth, img.naturalHeight], shown: [r.width, r.height],
                  levels: grey.size};
        }"""
    )
    return stats


def colour_pixels(px: np.ndarray, hex_colour: str, max_hue_diff: float = 6.0) -> int:
    """Pixels of ``hex_colour``'s hue (any lightness: points are translucent over white)."""
    colour = rgb(hex_colour) / 255.0

    def hue_sat(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mx, mn = a.max(axis=-1), a.min(axis=-1)
        d = np.where(mx > mn, mx - mn, 1.0)
        r, g, b = np.moveaxis(a, -1, 0)
        h = np.where(
            mx == r, ((g - b) / d) % 6, np.where(mx == g, (b - r) / d + 2, (r - g) / d + 4)
        )
        return h * 60.0, np.where(mx > 0, (mx - mn) / np.maximum(mx, 1e-9), 0.0)

    hue, sat = hue_sat(px[..., :3].astype(np.float64) / 255.0)
    target, _ = hue_sat(colour)
    diff = np.abs((hue - float(target) + 180.0) % 360.0 - 180.0)
    return int(((diff <= max_hue_diff) & (sat >= 0.25) & (px[..., 3] > 128)).sum())


def most_isolated(points: np.ndarray, among: np.ndarray | None = None) -> int:
    """Index of the point farthest from its nearest neighbour (hovering it can only hit it)."""
    d = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=2)
    np.fill_diagonal(d, np.inf)
    nearest = d.min(axis=1)
    if among is not None:
        nearest = np.where(among, nearest, -1)
    return int(np.argmax(nearest))


# -- 1. hover --------------------------------------------------------------------------------


def test_hover_shows_target_and_image(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook([digits_cell("pca")])
    view = EmbedView(nb.page)
    wait_done(nb, view, "pca")
    points, box = screen_xy(nb, view)
    targets = nb.eval_in_kernel("t.projection['target'].tolist()")

    for index in (most_isolated(points), most_isolated(points, np.array(targets) == "7")):
        hover(nb.page, box["x"] + points[index, 0], box["y"] + points[index, 1])
        rows = wait_tooltip(view, index)
        assert rows["target"] == targets[index]
        assert list(rows)[:2] == ["row", "target"]  # the colour column first
        stats = image_stats(view)
        assert stats["natural"][0] >= 8 and stats["natural"][1] >= 8
        assert min(stats["shown"]) >= 96  # the 8x8 digit upscaled, large enough to see
        assert stats["levels"] >= 3  # not blank: several grey levels
    assert view.at(".ew-tooltip-image").first.get_attribute("alt") == f"row {index}"

    # a point near the bottom-right corner: the tooltip flips to stay inside the plot
    corner = int(np.argmax(points[:, 0] + points[:, 1]))
    hover(nb.page, box["x"] + points[corner, 0], box["y"] + points[corner, 1])
    wait_tooltip(view, corner)
    tip = view.at(TOOLTIP).first.bounding_box()
    assert tip is not None
    assert tip["x"] + tip["width"] <= box["x"] + box["width"] + 1, (tip, box)
    assert tip["y"] + tip["height"] <= box["y"] + box["height"] + 1, (tip, box)
    assert tip["x"] >= box["x"] - 1 and tip["y"] >= box["y"] - 1

    hover(nb.page, box["x"] + 3, box["y"] + 3)  # an empty corner hides it
    wait_for(lambda: not view.at(TOOLTIP).first.is_visible(), 10, message="tooltip hidden")


# -- 2. selection ----------------------------------------------------------------------------


def test_lasso_selects_into_python_and_python_selects_on_canvas(
    open_notebook: OpenNotebookFn,
) -> None:
    nb = open_notebook([digits_cell("pca")])
    view = EmbedView(nb.page)
    unselected = wait_done(nb, view, "pca")
    view.at(".ew-lasso").first.click()  # first: the click may scroll the page
    points, box = screen_xy(nb, view)

    # a rectangle around the middle of the cloud, drawn with the lasso button on
    cx, cy = np.median(points, axis=0)
    x0, x1, y0, y1 = cx - 60, cx + 60, cy - 45, cy + 45
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    path = [
        (box["x"] + a[0] + (b[0] - a[0]) * f, box["y"] + a[1] + (b[1] - a[1]) * f)
        for a, b in itertools.pairwise(corners)
        for f in np.linspace(0, 1, 10, endpoint=False)
    ] + [(box["x"] + x0, box["y"] + y0)]  # closed where it began: must not read as a click
    careful_drag(nb.page, path)

    n = wait_for(lambda: nb.eval_in_kernel("len(t.selection)"), 10, message="a selection")
    chosen = np.array(nb.eval_in_kernel("t.selection.index.tolist()"))
    assert len(chosen) == n == len(set(chosen.tolist()))
    sx, sy = points[:, 0], points[:, 1]
    tol = 4.0  # a point's radius, lasso smoothing
    inside = (sx > x0 - tol) & (sx < x1 + tol) & (sy > y0 - tol) & (sy < y1 + tol)
    well_inside = (sx > x0 + tol) & (sx < x1 - tol) & (sy > y0 + tol) & (sy < y1 - tol)
    assert inside[chosen].all(), "selected rows outside the lasso"
    assert set(np.flatnonzero(well_inside)) <= set(chosen.tolist()), "rows inside not selected"
    assert well_inside.sum() > 20
    assert view.at(".ew-selection").first.inner_text() == f"{n} selected"
    # t.selection carries the rows' x, y
    sel_xy = np.array(nb.eval_in_kernel("t.selection[['x', 'y']].values.tolist()"))
    full = np.array(nb.eval_in_kernel("t.projection[['x', 'y']].values.tolist()"))
    np.testing.assert_array_equal(sel_xy, full[chosen])
    lassoed = wait_still(view)
    assert pixels_changed(unselected, lassoed) > 1000  # the others faded

    # Python -> canvas: select every "0"
    zeros = nb.eval_in_kernel("t.projection.index[t.projection['target'] == '0'].tolist()")
    nb.run_in_kernel(f"t.view.selection = {zeros!r}")
    picked = view.wait_pixels_change(lassoed, min_changed=1000)
    wait_for(
        lambda: view.at(".ew-selection").first.inner_text() == f"{len(zeros)} selected",
        10,
        message="selection count shown",
    )
    assert nb.eval_in_kernel("t.selection.index.tolist()") == zeros
    # selected points keep their full colour, the rest fade towards the background
    picked = wait_still(view)
    blue, orange = (rgb(c) for c in DIGIT_COLOURS[:2])
    for i in zeros[:40]:
        c, r = round(float(points[i, 0])), round(float(points[i, 1]))
        patch = over_white(picked[max(r - 2, 0) : r + 3, max(c - 2, 0) : c + 3])
        assert (np.abs(patch - blue).max(axis=2) < 25).any(), f"row {i} not highlighted"
    full_orange = (np.abs(over_white(unselected) - orange).max(axis=2) < 25).sum()
    left_orange = (np.abs(over_white(picked) - orange).max(axis=2) < 25).sum()
    assert full_orange > 500 and left_orange < full_orange // 20, (full_orange, left_orange)

    view.at(".ew-clear").first.click()
    wait_for(lambda: nb.eval_in_kernel("len(t.selection)") == 0, 10, message="cleared")


# -- 3. legend -------------------------------------------------------------------------------


def test_legend_click_hides_category(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook([digits_cell("pca")])
    view = EmbedView(nb.page)
    shown = wait_done(nb, view, "pca")
    before = [colour_pixels(shown, c) for c in DIGIT_COLOURS]
    assert min(before) > 500, before

    view.at('.ew-legend-item[data-code="0"]').first.click()
    hidden = view.wait_pixels_change(shown, min_changed=500)
    hidden = wait_still(view)
    after = [colour_pixels(hidden, c) for c in DIGIT_COLOURS]
    assert after[0] <= before[0] // 100, (before, after)  # blue (the 0s) gone
    assert after[1] > before[1] // 2 and after[2] > before[2] // 2  # the others stay
    assert "ew-off" in (
        view.at('.ew-legend-item[data-code="0"]').first.get_attribute("class") or ""
    )
    assert nb.eval_in_kernel("t.view.color_by") == "target"  # a view-only filter

    view.at('.ew-legend-item[data-code="0"]').first.click()  # back
    back = view.wait_pixels_change(hidden, min_changed=500)
    back = wait_still(view)
    assert colour_pixels(back, DIGIT_COLOURS[0]) > before[0] // 2

    view.at('.ew-legend-item[data-code="1"]').first.click(modifiers=["Shift"])  # only the 1s
    view.wait_pixels_change(back, min_changed=500)
    only = wait_still(view)
    counts = [colour_pixels(only, c) for c in DIGIT_COLOURS]
    assert counts[1] > before[1] // 2 and counts[0] <= before[0] // 100
    assert counts[2] <= before[2] // 100


# -- 4. live layouts -------------------------------------------------------------------------

# Record a cheap fingerprint of the canvas at every animation frame until stopped.
_FRAMES_JS = """
(canvas) => {
  const rec = window.__ewFrames = {hashes: [], stop: false};
  const copy = document.createElement('canvas');
  const ctx = copy.getContext('2d', {willReadFrequently: true});
  const tick = () => {
    if (rec.stop) return;
    copy.width = canvas.width; copy.height = canvas.height;
    ctx.drawImage(canvas, 0, 0);
    const d = ctx.getImageData(0, 0, copy.width, copy.height).data;
    let h = 2166136261;
    for (let i = 0; i < d.length; i += 12) { h ^= d[i]; h = Math.imul(h, 16777619); }
    const last = rec.hashes[rec.hashes.length - 1];
    if (last !== h) rec.hashes.push(h >>> 0);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""


def test_umap_to_pca_animates(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook([digits_cell(None)])  # the default: UMAP
    view = EmbedView(nb.page)
    umap_px = wait_done(nb, view, "umap", timeout=90)
    seq = status_seq(nb)

    view.at(CANVAS).first.evaluate(_FRAMES_JS)
    view.choose("algorithm", "pca")
    pca_px = wait_done(nb, view, "pca", after_seq=seq)
    hashes: list[int] = nb.page.evaluate(
        "() => { window.__ewFrames.stop = true; return window.__ewFrames.hashes; }"
    )
    assert nb.eval_in_kernel("t.projection.attrs['algorithm']") == "pca"
    assert pixels_changed(umap_px, pca_px) > 2000
    # first the UMAP picture, last the PCA one, and in between the points on their way
    intermediate = hashes[1:-1]
    assert len(set(intermediate)) >= 2, f"{len(hashes)} distinct frames drawn"


# -- 5. export -------------------------------------------------------------------------------


def test_csv_and_png_download(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook([digits_cell("pca")])
    view = EmbedView(nb.page)
    wait_done(nb, view, "pca")

    with nb.page.expect_download(timeout=20_000) as info:
        view.at(".ew-csv").first.click()
    download = info.value
    assert download.suggested_filename == "embedding-pca.csv"
    csv = pd.read_csv(download.path())
    expected = np.array(nb.eval_in_kernel("t.projection[['x', 'y']].values.tolist()"))
    assert len(csv) == 1797
    np.testing.assert_allclose(csv[["x", "y"]].to_numpy(), expected, rtol=1e-6, atol=1e-6)
    targets = nb.eval_in_kernel("t.projection['target'].tolist()")
    assert csv["target"].astype(str).tolist() == targets

    with nb.page.expect_download(timeout=20_000) as info:
        view.at(".ew-png").first.click()
    png = np.asarray(Image.open(io.BytesIO(info.value.path().read_bytes())).convert("RGBA"))
    canvas = view.at(CANVAS).first.bounding_box()
    assert canvas is not None
    height, width = png.shape[:2]
    assert abs(height - (2 * canvas["height"] + 48)) <= 4  # 2x, with a caption below
    assert width > 2 * canvas["width"] + 300  # and the legend beside it
    assert (png[:4, :4] == [255, 255, 255, 255]).all()  # the theme's background, not transparent
    assert count_non_background(png[:, : int(2 * canvas["width"])]) > 40_000
    legend = png[: height - 48, int(2 * canvas["width"]) :, :3].reshape(-1, 3)
    palette = nb.eval_in_kernel("t.view._colors['palette']")
    for colour in palette:  # every class's swatch is drawn in the legend
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        assert (np.abs(legend - rgb).max(axis=1) < 12).sum() > 30, colour
    assert count_non_background(png[height - 40 :]) > 200  # the caption


# -- 6. a million points ---------------------------------------------------------------------

MILLION = """\
import numpy as np, pandas as pd
from embed_widget import Table
rng = np.random.default_rng(0)
ab = rng.normal(size=(1_000_000, 2)).astype("float32")
df = pd.DataFrame({"a": ab[:, 0], "b": ab[:, 1],
                   "group": pd.Categorical(rng.choice(list("pqrst"), size=1_000_000))})
t = Table(dataframe=df)
t.view.algorithm = "pca"
t
"""


@pytest.mark.slow
def test_million_points_paint_and_hover(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook([MILLION], timeout=180)
    view = EmbedView(nb.page)
    px = wait_done(nb, view, "pca", timeout=120)
    assert view.root.get_attribute("data-points") == "1000000"
    assert count_non_background(px) > 50_000, count_non_background(px)
    assert nb.eval_in_kernel("len(t.projection)") == 1_000_000

    view.hover(0.5, 0.5)  # the dense middle of a 2-D normal
    rows = wait_tooltip(view, timeout=20)
    row = int(rows["row"])
    assert rows["group"] == nb.eval_in_kernel(f"str(t.projection['group'].iloc[{row}])")
    a = nb.eval_in_kernel(f"float(t.projection['a'].iloc[{row}])")
    assert float(rows["a"]) == pytest.approx(a, rel=1e-3, abs=1e-3)


LARGE = """\
import numpy as np, pandas as pd
from embed_widget import Table
rng = np.random.default_rng(1)
ab = rng.normal(size=(300_000, 2)).astype("float32")
t = Table(dataframe=pd.DataFrame({"a": ab[:, 0], "b": ab[:, 1]}))
t.view.algorithm = "pca"
t
"""

# Holds back the messages of the page's workers (the spatial index's) until released.
HOLD_WORKERS_JS = """() => {
  const Real = window.Worker;
  window.__held = [];
  window.__hold = true;
  window.__release = () => { window.__hold = false; for (const f of window.__held.splice(0)) f(); };
  window.Worker = class extends Real {
    set onmessage(fn) {
      super.onmessage = (e) => (window.__hold ? window.__held.push(() => fn(e)) : fn(e));
    }
    get onmessage() { return super.onmessage; }
  };
}"""


def test_large_layout_draws_before_its_spatial_index_then_hovers(
    open_notebook: OpenNotebookFn,
) -> None:
    # Above 20k points the first frame is drawn with an empty stand-in index while a worker
    # builds the real one: with the worker's answer held back, the points are drawn and hover
    # finds nothing; once it lands, the point under the resting pointer shows, unmoved.
    nb = open_notebook([LARGE], run=False)
    nb.page.evaluate(HOLD_WORKERS_JS)
    run_all_cells(nb.page)
    view = EmbedView(nb.page)
    px = wait_done(nb, view, "pca", timeout=120)
    assert view.root.get_attribute("data-points") == "300000"
    assert count_non_background(px) > 20_000, count_non_background(px)
    assert view.root.get_attribute("data-indexed") == "false"

    points, box = screen_xy(nb, view)
    edge = int(np.argmax(points[:, 0]))  # the rightmost point: nothing else under the pointer
    hover(nb.page, box["x"] + points[edge, 0], box["y"] + points[edge, 1])
    nb.page.wait_for_timeout(1000)
    assert not view.at(TOOLTIP).first.is_visible()  # the stand-in finds nothing

    nb.page.evaluate("() => window.__release()")
    wait_for(lambda: view.root.get_attribute("data-indexed") == "true", 60, 0.1, "index built")
    wait_tooltip(view, edge, timeout=20)  # the resting pointer's point, without a move
    lowest = int(np.argmin(points[:, 1]))
    hover(nb.page, box["x"] + points[lowest, 0], box["y"] + points[lowest, 1])
    wait_tooltip(view, lowest, timeout=20)
