"""Preprocessing of the embedding matrix before any algorithm (the ``preprocess`` parameter).

- ``standardize``: each column centred and scaled to unit variance (heterogeneous numeric
  columns: without it the one with the largest range decides every distance);
- ``normalize``: each row scaled to unit length (directions only, as cosine similarity sees them);
- ``spherize``: columns centred, then rows scaled to unit length (the TensorFlow projector's
  "sphereize");
- ``auto``: ``standardize`` when the columns' ranges differ by more than ``SCALE_RATIO``,
  else ``none``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .schema import PREPROCESS_MODES as MODES

#: ``auto`` standardizes when the largest column spread is this many times the smallest.
SCALE_RATIO = 100.0
Array = np.ndarray[Any, Any]


def scale_ratio(matrix: Array) -> float:
    """Largest over smallest non-zero column range (max - min; 1 for a single column). Ranges,
    not standard deviations: a mostly-constant pixel of an image has a tiny deviation but the
    same units as its neighbours."""
    ranges = matrix.max(axis=0).astype(np.float64) - matrix.min(axis=0)
    spread = ranges[ranges > 0]
    return float(spread.max() / spread.min()) if spread.size else 1.0


def resolve(mode: str, ratio: float) -> tuple[str, str | None]:
    """The mode ``auto`` stands for on a matrix whose :func:`scale_ratio` is ``ratio``, and a
    notice saying why when it acts."""
    if mode != "auto":
        return mode, None
    if ratio > SCALE_RATIO:
        return "standardize", (
            f"columns standardized (preprocess: auto): their ranges differ {ratio:,.0f}x"
        )
    return "none", None


def apply(mode: str, matrix: Array) -> Array:
    """A new float32 C-contiguous matrix preprocessed by ``mode`` (not ``auto``)."""
    if mode not in MODES or mode == "auto":
        raise ValueError(f"preprocess {mode!r} is not one of {MODES[1:]}")
    x = np.array(matrix, dtype=np.float32, order="C", copy=True)
    if mode in ("standardize", "spherize"):
        x -= x.mean(axis=0, dtype=np.float64).astype(np.float32)
    if mode == "standardize":
        std = x.std(axis=0, dtype=np.float64).astype(np.float32)
        np.divide(x, std, out=x, where=std > 0)
    if mode in ("normalize", "spherize"):
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        np.divide(x, norms, out=x, where=norms > 0)
    return x
