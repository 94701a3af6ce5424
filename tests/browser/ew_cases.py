"""What the widget's browser tests share: the example notebooks' cells and screen geometry.

Cells come from ``notebooks/*.ipynb`` so the tests run what a user runs. Screen positions follow
the frontend: ``js/layout.ts`` fits a layout into [-0.92, 0.92] keeping its aspect ratio, and
regl-scatterplot draws [-1, 1] over the canvas height, centred (the width gets the rest).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from ew_jupyter import REPO_ROOT

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
    """``cell`` with ``setup`` run just before its final ``t`` (e.g. ``t.view.algorithm = "pca"``)."""
    lines = cell.rstrip().splitlines()
    assert lines[-1].strip() == "t", lines[-1]
    return "\n".join([*lines[:-1], setup, "t"])


def digits_cell(algorithm: str | None = "pca") -> str:
    """The digits notebook's widget cell, with ``algorithm`` chosen first (None: the default)."""
    cell = widget_cell("digits.ipynb")
    return cell if algorithm is None else with_setup(cell, f"t.view.algorithm = {algorithm!r}")


def normalize(xy: np.ndarray) -> np.ndarray:
    """``js/layout.ts`` ``normalize``: centre, fit the larger side into [-FILL, FILL]."""
    xy = np.asarray(xy, dtype=np.float64)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = float((hi - lo).max())
    scale = 2 * FILL / span if span > 0 else 1.0
    return (xy - (lo + hi) / 2) * scale


def to_screen(xy: np.ndarray, width: float, height: float) -> np.ndarray:
    """Canvas pixel positions (column, row) of projection coordinates ``xy`` (n x 2), for a
    layout shown as is (no alignment to an earlier one) at the default zoom."""
    p = normalize(xy)
    half = height / 2  # regl-scatterplot: [-1, 1] spans the height; x scaled by the same
    return np.column_stack([width / 2 + p[:, 0] * half, height / 2 - p[:, 1] * half])
