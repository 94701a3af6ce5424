"""How faithful a 2D layout is to the original space, per point and overall.

- ``preserved``: for each row, the share of its k nearest rows in the original space that are also
  among its k nearest in 2D (1: its neighbourhood survived the projection).
- Trustworthiness (Venna & Kaski): penalises 2D neighbours that are far in the original space;
  continuity: original neighbours that are far in 2D. Both need every row's full distance ranking,
  so they are computed for a random sample of rows (all rows up to ``SAMPLE``), against all rows;
  with every row sampled they equal scikit-learn's ``trustworthiness``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .neighbors import NeighborIndex

#: Rows whose full rankings are computed for trustworthiness and continuity.
SAMPLE = 1000
Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class Quality:
    """Per-row neighbour preservation and the layout's global figures."""

    preserved: Array  # float32, one per row, in [0, 1]
    k: int
    trustworthiness: float
    continuity: float
    sampled_rows: int

    @property
    def mean_preserved(self) -> float:
        return float(self.preserved.mean()) if self.preserved.size else 0.0


def layout_neighbors(coords: Array, k: int) -> Array:
    """The k nearest rows of every row in 2D (itself excluded), exact (a k-d tree)."""
    from sklearn.neighbors import KDTree

    k = min(k, len(coords) - 1)
    _, idx = KDTree(np.asarray(coords, dtype=np.float64)).query(coords, k=k + 1)
    return _without_self(idx, k)


def _without_self(idx: Array, k: int) -> Array:
    rows = np.arange(len(idx))[:, None]
    others = idx != rows
    # a row whose own index is missing (duplicates) drops its farthest instead
    others[others.all(axis=1), -1] = False
    out: Array = idx[others].reshape(len(idx), k)
    return out


def preserved(original: Array, layout: Array) -> Array:
    """Share of each row's original k neighbours (n x k) found among its 2D k neighbours."""
    k = original.shape[1]
    both = np.sort(np.hstack([original, layout]), axis=1)
    shared = (both[:, 1:] == both[:, :-1]).sum(axis=1)
    out: Array = (shared / max(k, 1)).astype(np.float32)
    return out


#: Comparisons held at once while ranking (a block of rows x k x N booleans): small blocks stay
#: in cache and leave no large temporaries behind (the job's thread is new each time).
BLOCK_CELLS = 4_000_000


def trust_and_continuity(
    x: Array, coords: Array, original: Array, layout: Array, metric: str, sample: Array
) -> tuple[float, float]:
    """Trustworthiness and continuity at k = ``original.shape[1]`` over the rows in ``sample``."""
    n, k = original.shape
    high, low = NeighborIndex(x), NeighborIndex(np.asarray(coords, dtype=np.float32))
    block = max(1, BLOCK_CELLS // (k * n))
    lost_trust = lost_cont = 0.0
    for start in range(0, len(sample), block):
        rows = sample[start : start + block]
        # 2D neighbours that are not original neighbours, ranked in the original space ...
        lost_trust += _rank_excess(high.ranking(rows, metric), rows, layout[rows], original[rows])
        # ... and original neighbours that are not 2D neighbours, ranked in 2D
        lost_cont += _rank_excess(
            low.ranking(rows, "euclidean"), rows, original[rows], layout[rows]
        )
    scale = (n / len(sample)) * 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0))
    return 1.0 - scale * lost_trust, 1.0 - scale * lost_cont


def _rank_excess(keys: Array, rows: Array, candidates: Array, neighbours: Array) -> float:
    """Sum over ``candidates`` (b x k) not among ``neighbours`` (b x k) of (rank - k), ranks by
    ``keys`` (b x N) from each row: one more than the number of other rows strictly nearer."""
    k = candidates.shape[1]
    keys[np.arange(len(rows)), rows] = np.inf  # a row is not its own neighbour
    outside = ~(candidates[:, :, None] == neighbours[:, None, :]).any(axis=2)
    thresholds = np.take_along_axis(keys, candidates, axis=1)
    ranks = (keys[:, None, :] < thresholds[:, :, None]).sum(axis=2) + 1
    return float(((ranks - k) * outside).sum())


def layout_quality(
    x: Array, coords: Array, original: Array, metric: str, *, seed: int = 0
) -> Quality:
    """Quality of ``coords`` (n x 2) as a layout of ``x`` (n x d), given the rows' original k
    nearest neighbours ``original`` (n x k, itself excluded, e.g. the projection's own graph)."""
    n, k = original.shape
    layout = layout_neighbors(coords, k)
    rng = np.random.default_rng(seed)
    sample = np.arange(n) if n <= SAMPLE else np.sort(rng.choice(n, SAMPLE, replace=False))
    trust, continuity = trust_and_continuity(x, coords, original, layout, metric, sample)
    return Quality(preserved(original, layout), k, trust, continuity, len(sample))
