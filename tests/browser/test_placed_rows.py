"""Rows added to a shown table are placed into its layout without moving the others, ringed, and
counted in the status; the refit button fits every row again (issue 13)."""

from __future__ import annotations

import numpy as np
from ew_cases import FILL
from ew_notebook import OpenNotebookFn
from ew_page import canvas_pixels, wait_for
from ew_widget import CANVAS, EmbedView

PLACING = """
import numpy as np, pandas as pd
from sklearn.datasets import load_digits
from embed_widget import Table
X, y = load_digits(return_X_y=True)
X = X.astype("float32")
t = Table(dataframe=pd.DataFrame({"emb": list(X[:1500]), "digit": y[:1500].astype(str)}))
t.view.algorithm = "pca"
t
"""
RINGS = "canvas.ew-placed-layer"
XY = "t.projection[['x', 'y']].to_numpy().tolist()"


def on_screen(fit: np.ndarray, xy: np.ndarray, width: float, height: float) -> np.ndarray:
    """Where ``xy`` is drawn when the layout ``fit`` was drawn first, as is, and rows were placed
    into it since (they are drawn by the fit's own fit into the plot)."""
    lo, hi = fit.min(axis=0), fit.max(axis=0)
    p = (xy - (lo + hi) / 2) * (2 * FILL / float((hi - lo).max()))
    return np.column_stack([width / 2 + p[:, 0] * height / 2, height / 2 - p[:, 1] * height / 2])


def ring_at(alpha: np.ndarray, x: float, y: float, radius: int = 5) -> bool:
    """Whether the ring canvas has ink where a ring around (x, y) passes (right of it)."""
    col, row = round(x + radius), round(y)
    return bool(alpha[max(row - 1, 0) : row + 2, max(col - 1, 0) : col + 2].max() > 0)


def test_rows_added_to_a_shown_table_are_placed_ringed_and_refitted(
    open_notebook: OpenNotebookFn,
) -> None:
    nb = open_notebook([PLACING])
    view = EmbedView(nb.page)
    view.wait_painted(min_pixels=1000)
    wait_for(lambda: view.root.get_attribute("data-final") == "true", 30, message="final")
    rings = view.at(RINGS).first
    assert rings.get_attribute("data-rings") == "0"
    fit = np.array(nb.eval_in_kernel(XY))

    nb.run_in_kernel("for row, d in zip(X[1500:], y[1500:]):\n    t.add_data(row, str(d))")
    wait_for(lambda: int(rings.get_attribute("data-rings") or 0) > 250, 30, message="rings")
    assert view.root.get_attribute("data-points") == "1797"
    assert "297 new rows placed" in view.status()
    assert view.at(".ew-refit").first.is_visible()
    placed = np.array(nb.eval_in_kernel(XY))
    assert np.array_equal(placed[:1500], fit)  # no fitted row moved

    box = view.at(CANVAS).first.bounding_box()
    assert box is not None
    screen = on_screen(fit, placed, box["width"], box["height"])
    alpha = canvas_pixels(nb.page, rings)[..., 3]
    layer = rings.bounding_box()  # (the plot's box inside its border: the points' origin)
    assert layer is not None and alpha.shape[1] == round(layer["width"])  # a pixel a CSS pixel
    inside = [i for i in range(1500, 1797) if 8 < screen[i, 0] < layer["width"] - 8]
    ringed = [i for i in inside if ring_at(alpha, *screen[i])]
    assert len(ringed) >= 0.95 * len(inside)
    gaps = np.linalg.norm(screen[:1500, None] - screen[None, 1500:], axis=2).min(axis=1)
    alone = np.flatnonzero(gaps > 15)[:200]  # fitted rows with no placed row near: no ring
    assert len(alone) > 20 and not any(ring_at(alpha, *screen[i]) for i in alone)

    view.at(".ew-refit").first.click()
    wait_for(lambda: rings.get_attribute("data-rings") == "0", 30, message="rings gone")
    wait_for(lambda: "placed" not in view.status(), 10, message="status")
    assert nb.eval_in_kernel("t.projection.attrs['placed']") is None
    assert not view.at(".ew-refit").first.is_visible()
