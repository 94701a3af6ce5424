"""Procrustes alignment of one 2D layout onto another, so that linked views put the same rows in
the same place: turn (or mirror), scale and move ``moving`` to best match ``reference`` in the
least-squares sense, over the rows both hold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Rows used to find the transform (a seeded sample above it: the 2x2 problem needs few).
ALIGN_ROWS = 20_000


@dataclass(frozen=True)
class Similarity:
    """``x -> scale * x @ rotation + shift`` (rotation may include a reflection)."""

    rotation: np.ndarray  # 2 x 2, orthogonal
    scale: float
    shift: np.ndarray  # 2

    def apply(self, coords: np.ndarray) -> np.ndarray:
        """``coords`` (N x 2) moved; rows of NaN stay NaN."""
        moved: np.ndarray = self.scale * (np.asarray(coords, np.float64) @ self.rotation)
        return np.asarray(moved + self.shift, dtype=np.float32)


IDENTITY = Similarity(np.eye(2), 1.0, np.zeros(2))


def procrustes(
    reference: np.ndarray,
    moving: np.ndarray,
    reference_rows: np.ndarray | None = None,
    moving_rows: np.ndarray | None = None,
    *,
    scaling: bool = True,
) -> Similarity:
    """The similarity taking ``moving`` closest to ``reference`` on paired rows.

    ``reference_rows[i]`` and ``moving_rows[i]`` are the same row in each layout (default: row i
    of both, as many as the shorter has). Rows that are not finite in either are left out; with
    fewer than three pairs, or a layout collapsed to a point, the identity comes back.
    """
    if reference_rows is None or moving_rows is None:
        n = min(len(reference), len(moving))
        reference_rows = moving_rows = np.arange(n)
    a = np.asarray(reference, dtype=np.float64)[reference_rows]
    b = np.asarray(moving, dtype=np.float64)[moving_rows]
    finite = np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1)
    a, b = a[finite], b[finite]
    if len(a) > ALIGN_ROWS:
        keep = np.random.default_rng(0).choice(len(a), ALIGN_ROWS, replace=False)
        a, b = a[keep], b[keep]
    if len(a) < 3:
        return IDENTITY
    a_mean, b_mean = a.mean(axis=0), b.mean(axis=0)
    a0, b0 = a - a_mean, b - b_mean
    spread = float((b0**2).sum())
    if spread <= 0 or not np.isfinite(spread):
        return IDENTITY
    u, singular, vt = np.linalg.svd(b0.T @ a0)  # (reflections allowed: a mirror is still the map)
    rotation = u @ vt
    scale = float(singular.sum() / spread) if scaling else 1.0
    return Similarity(rotation, scale, a_mean - scale * (b_mean @ rotation))
