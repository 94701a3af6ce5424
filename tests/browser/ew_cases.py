"""What the widget's browser tests share: the example notebooks' cells and screen geometry.

Cells come from ``notebooks/*.ipynb`` so the tests run what a user runs. Screen positions follow
the frontend: ``js/layout.ts`` fits a layout into [-0.92, 0.92] keeping its aspect ratio, and
regl-scatterplot draws [-1, 1] over the canvas height, centred (the width gets the rest).
"""

from __future__ import annotations

import json
import re
import time

import numpy as np
from ew_jupyter import REPO_ROOT
from ew_notebook import OpenNotebook
from ew_page import background_color, wait_for
from ew_widget import EmbedView, pixels_changed

NOTEBOOKS = REPO_ROOT / "notebooks"
FILL = 0.92  # js/layout.ts


def notebook_code_cells(name: str) -> list[str]:
    """Source of each code cell of ``notebooks/<name>``, in order."""
    nb = json.loads((NOTEBOOKS / name).read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def widget_cell(name: str) -> str:
    """The cell of ``notebooks/<name>`` that displays the widget (its last line is ``t``)."""
    for source in notebook_code_cells(name):
        if source.rstrip().splitlines()[-1].strip() == "t":
            return source
    raise AssertionError(f"no cell ending in `t` in {name}")


def with_setup(cell: str, setup: str) -> str:
    """``cell`` with ``setup`` (e.g. ``t.view.algorithm = "pca"``) run just before its ``t``."""
    lines = cell.rstrip().splitlines()
    assert lines[-1].strip() == "t", lines[-1]
    return "\n".join([*lines[:-1], setup, "t"])


def digits_cell(algorithm: str | None = "pca") -> str:
    """The digits notebook's widget cell, with ``algorithm`` chosen first (None: the default)."""
    cell = widget_cell("digits.ipynb")
    return cell if algorithm is None else with_setup(cell, f"t.view.algorithm = {algorithm!r}")


def normalize(xy: np.ndarray, box: list[float] | None = None) -> np.ndarray:
    """``js/layout.ts`` ``normalize``: centre, fit the larger side into [-FILL, FILL] (with
    ``box``, [min x, min y, max x, max y], that box: linked views share one)."""
    xy = np.asarray(xy, dtype=np.float64)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    if box is not None:
        lo, hi = np.array(box[:2]), np.array(box[2:])
    span = float((hi - lo).max())
    scale = 2 * FILL / span if span > 0 else 1.0
    return (xy - (lo + hi) / 2) * scale


def to_screen(
    xy: np.ndarray, width: float, height: float, box: list[float] | None = None
) -> np.ndarray:
    """Canvas pixel positions (column, row) of projection coordinates ``xy`` (n x 2), for a
    layout shown as is (no alignment to an earlier one) at the default zoom."""
    p = normalize(xy, box)
    half = height / 2  # regl-scatterplot: [-1, 1] spans the height; x scaled by the same
    return np.column_stack([width / 2 + p[:, 0] * half, height / 2 - p[:, 1] * half])


# -- waiting for computations ------------------------------------------------------------------


def status_seq(nb: OpenNotebook) -> int:
    """The request number of the view's current status (0 before any)."""
    return int(nb.eval_in_kernel("t.view.status.get('seq', 0)"))


def wait_done(
    nb: OpenNotebook, view: EmbedView, algorithm: str, after_seq: int = -1, timeout: float = 60.0
) -> np.ndarray:
    """Wait until Python finished a projection with ``algorithm`` (request number > ``after_seq``)
    and the page drew it (``data-seq``, ``data-final``, status text), then until the canvas is
    still. Returns the pixels."""

    def python_done() -> int | None:
        state, algo, seq = nb.eval_in_kernel(
            "[t.view.status.get(k) for k in ('state', 'algorithm', 'seq')]"
        )
        if state == "error":
            raise AssertionError(f"projection failed: {nb.eval_in_kernel('t.view.status')}")
        ok = state == "done" and algo == algorithm and (seq or 0) > after_seq
        return int(seq) if ok else None

    seq = wait_for(python_done, timeout, 0.25, f"{algorithm} projection done in Python")
    wait_for(
        lambda: (
            view.root.get_attribute("data-seq") == str(seq)
            and view.root.get_attribute("data-final") == "true"
        ),
        timeout,
        0.1,
        f"final layout {seq} drawn (data-seq, data-final)",
    )
    name = {"pca": "PCA", "umap": "UMAP", "tsne": "t-SNE"}[algorithm]
    wait_for(
        lambda: re.fullmatch(
            rf"{re.escape(name)} · ([\d.]+ s|cached)( · neighbours kept: \d+%)?", view.status()
        ),
        15,
        0.1,
        f"status text '{name} · <seconds> s' (or 'cached')",
    )
    return wait_still(view)


def wait_still(view: EmbedView, timeout: float = 15.0) -> np.ndarray:
    """Pixels once two reads 0.3 s apart agree (a 700 ms transition has ended)."""
    last: list[np.ndarray] = [view.pixels()]

    def still() -> np.ndarray | None:
        time.sleep(0.3)
        px = view.pixels()
        same = pixels_changed(last[0], px) == 0
        last[0] = px
        return px if same else None

    return wait_for(still, timeout, 0.0, "canvas still")


# -- reading the canvas ------------------------------------------------------------------------


def painted_centroids(view: EmbedView, pixels: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The legend's names (sorted) and where each one's colour (its swatch) is painted on the
    canvas: the mean (column, -row) of its pixels, y up as a layout's."""
    swatches = view.at(".ew-legend-item .ew-swatch").evaluate_all(
        "(els) => els.map(e => getComputedStyle(e).backgroundColor)"
    )
    legend = view.at(".ew-legend-item .ew-legend-label").all_inner_texts()
    palette = np.array([[int(v) for v in re.findall(r"\d+", c)[:3]] for c in swatches], float)
    rgb = pixels[..., :3].astype(float)
    bg = background_color(pixels)[:3].astype(float)
    choices = np.vstack([palette, bg])
    gaps = np.linalg.norm(rgb[:, :, None, :] - choices[None, None], axis=3)
    owner = np.where(gaps.min(axis=2) < 40, gaps.argmin(axis=2), -1)
    painted = []
    for code, name in enumerate(legend):
        rows, cols = np.nonzero(owner == code)
        assert len(rows) > 100, (name, len(rows))  # each blob painted in its own colour
        painted.append((name, cols.mean(), -rows.mean()))
    return sorted(legend), np.array([[c, r] for _, c, r in sorted(painted)])
