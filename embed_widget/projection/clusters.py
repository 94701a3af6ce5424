"""Clusters of a 2D layout: HDBSCAN (the ``hdbscan`` package's Borůvka KD-tree), on a sample above
``SAMPLE_ROWS`` rows, every other row taking the cluster of its nearest sampled row.

Why the 2D layout and not the original space: on the digits, HDBSCAN recovers the ten classes
with an adjusted Rand index of 0.90 on the UMAP layout and 0.26 in the 64 pixel dimensions (half
the rows end as noise there); ``benchmarks/clusters.py`` measures both. The layout is also what
the user sees, so the groups named are the groups on screen.

Why ``hdbscan`` and not scikit-learn's ``HDBSCAN``: scikit-learn builds the spanning tree with
Prim's algorithm over all pairs (59 s at 100k 2D points here); hdbscan's Borůvka tree takes a few
seconds, ships wheels and compiles nothing at run time.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Above this many rows, clusters are found on a random sample of this size. hdbscan holds the
#: GIL in its tree code: a 50k sample stalled the kernel's main thread for up to 0.7 s at a time,
#: 20k for 0.17 s (measured on 1M blobs beside a busy browser), with the same adjusted Rand index.
SAMPLE_ROWS = 20_000
#: The smallest cluster, as a share of the rows clustered (at least ``MIN_CLUSTER_SIZE`` rows):
#: 18 rows of the digits' 1,797, 200 of a 20k sample.
CLUSTER_SHARE = 0.01
MIN_CLUSTER_SIZE = 5
#: HDBSCAN's ``min_samples`` (how conservative the density estimate is); capped by the cluster size.
MIN_SAMPLES = 10


@dataclass(frozen=True)
class Clusters:
    """Each row's cluster (``-1``: noise) and how they were found."""

    labels: np.ndarray  # int32, one per row
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """How many clusters (noise aside)."""
        return int(self.labels.max()) + 1 if self.labels.size else 0

    def sizes(self) -> np.ndarray:
        """Rows in each cluster (int64, one per cluster)."""
        return np.bincount(self.labels[self.labels >= 0], minlength=self.count)


def default_min_cluster_size(n_rows: int) -> int:
    """The smallest cluster for ``n_rows`` clustered rows."""
    return max(MIN_CLUSTER_SIZE, round(CLUSTER_SHARE * n_rows))


def find_clusters(
    coords: np.ndarray, min_cluster_size: int | None = None, seed: int = 0
) -> Clusters:
    """Cluster the rows of an N x 2 layout with HDBSCAN.

    Parameters
    ----------
    coords
        The layout (N x 2, finite).
    min_cluster_size
        The smallest group called a cluster, in rows of the whole table; default:
        ``CLUSTER_SHARE`` of the rows (at least ``MIN_CLUSTER_SIZE``).
    seed
        Chooses the sample above ``SAMPLE_ROWS`` rows (the same layout gives the same clusters).
    """
    import hdbscan  # (imports scikit-learn and joblib: not at package import)

    points = np.asarray(coords, dtype=np.float64)
    n = len(points)
    wanted = default_min_cluster_size(n) if min_cluster_size is None else int(min_cluster_size)
    if wanted < 2:
        raise ValueError(f"min_cluster_size must be at least 2, not {wanted}")
    sample = _sample(n, seed)
    fitted = points if sample is None else points[sample]
    # the cluster size counts rows of the whole table: a sample sees a share of them
    size = max(2, round(wanted * len(fitted) / n)) if n else 2
    params: dict[str, Any] = {
        "method": "hdbscan",
        "space": "2d layout",
        "min_cluster_size": wanted,
        "min_samples": min(MIN_SAMPLES, size),
        "sampled_rows": None if sample is None else len(sample),
        "versions": {"hdbscan": importlib.metadata.version("hdbscan")},
    }
    if len(fitted) <= size:  # too few rows for two clusters: all noise
        return Clusters(np.full(n, -1, dtype=np.int32), params)
    model = hdbscan.HDBSCAN(
        min_cluster_size=size,
        min_samples=params["min_samples"],
        algorithm="boruvka_kdtree",
        core_dist_n_jobs=1,  # the background must leave a core to the kernel and the browser
    )
    labels = np.asarray(model.fit_predict(fitted), dtype=np.int32)
    if sample is not None:
        labels = _spread(points, sample, labels)
    return Clusters(labels, params)


def _sample(n: int, seed: int) -> np.ndarray | None:
    if n <= SAMPLE_ROWS:
        return None
    return np.sort(np.random.default_rng(seed).choice(n, SAMPLE_ROWS, replace=False))


def _spread(points: np.ndarray, sample: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Every row's cluster: that of its nearest sampled row (noise stays noise)."""
    from scipy.spatial import cKDTree

    _, nearest = cKDTree(points[sample]).query(points, k=1)
    spread: np.ndarray = labels[nearest].astype(np.int32)
    return spread
