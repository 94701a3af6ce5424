"""k-nearest-neighbour graphs: exact (scikit-learn brute force, chunked) or faiss HNSW for large N;
exact on the GPU at any N where one is used (:mod:`.gpu`).

Rows are returned in UMAP's convention: column 0 is the point itself at distance 0, then its
neighbours by increasing distance. Indices are int32, distances float32.
"""

from __future__ import annotations

import time
from collections.abc import Hashable

import numpy as np
import numpy.typing as npt

from . import gpu
from .cache import KeyCache, Slot
from .result import Reporter

I32 = npt.NDArray[np.int32]
F32 = npt.NDArray[np.float32]

#: Exact search costs ~N^2 * D; above these row counts an HNSW graph (:mod:`.ann`) is used instead.
#: Measured here: exact euclidean k=16 takes 0.27 s at 10k x 64 and 9.7 s at 50k x 128; exact
#: manhattan (no BLAS) 2.8 s at 10k x 64.
EXACT_MAX_ROWS = {"euclidean": 20_000, "cosine": 20_000, "correlation": 20_000, "manhattan": 5_000}
CHUNK_ROWS = 2048
#: ... and at most this many distances per chunk (8 MB of float64): big temporaries raise glibc's
#: mmap threshold and then stay in the heap (+60 MB over 20 re-runs of the digits).
CHUNK_CELLS = 1_000_000


def is_exact(n_rows: int, metric: str) -> bool:
    return n_rows <= EXACT_MAX_ROWS[metric]


def prepare(x: np.ndarray, metric: str) -> tuple[np.ndarray, str]:
    """Turn cosine/correlation into euclidean on unit (centred) rows, so BLAS does the work."""
    if metric in ("cosine", "correlation"):
        y = x.astype(np.float32, copy=True)
        if metric == "correlation":
            y -= y.mean(axis=1, keepdims=True)
        norms = np.linalg.norm(y, axis=1, keepdims=True)
        np.divide(y, norms, out=y, where=norms > 0)
        return y, "euclidean"
    return x, metric


def to_metric(dist: np.ndarray, metric: str) -> np.ndarray:
    """Euclidean distance between unit vectors -> cosine distance (1 - cos) = d^2 / 2."""
    if metric in ("cosine", "correlation"):
        return np.asarray(dist * dist / 2.0)
    return dist


def nearest_neighbors(
    x: np.ndarray, k: int, metric: str, rep: Reporter, *, fraction: tuple[float, float] = (0, 1)
) -> tuple[I32, F32, str]:
    """k nearest neighbours of every row (itself included), as (indices, distances, method).

    ``k`` counts the point itself and is at most N. Reports progress between chunks and stops
    with :class:`Cancelled` when asked.
    """
    n = x.shape[0]
    k = min(k, n)
    lo, hi = fraction
    t0 = time.perf_counter()
    found = None
    if gpu.device() is not None:  # exact at any size; None if it failed: the CPU searches then
        rep.progress(lo, "nearest neighbours on the GPU", force=True)
        found = gpu.attempt(gpu.knn, x, k, metric)
    if found is not None:
        idx, dist = found
        method = "gpu"
    elif is_exact(n, metric):
        idx, dist = _exact(x, k, metric, rep, lo, hi)
        method = "exact"
    else:
        idx, dist = _approximate(x, k, metric, rep, lo, hi)
        method = "hnsw"
    idx, dist = _self_first(idx, dist)
    rep.timed("nearest neighbours", time.perf_counter() - t0)
    return idx, dist, method


def _exact(
    x: np.ndarray, k: int, metric: str, rep: Reporter, lo: float, hi: float
) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.neighbors import NearestNeighbors

    data, skl_metric = prepare(x, metric)
    nn = NearestNeighbors(n_neighbors=k, algorithm="brute", metric=skl_metric).fit(data)
    n = data.shape[0]
    idx = np.empty((n, k), dtype=np.int32)
    dist = np.empty((n, k), dtype=np.float32)
    chunk = max(16, min(CHUNK_ROWS, CHUNK_CELLS // n))
    for start in range(0, n, chunk):
        rep.progress(lo + (hi - lo) * start / n, f"nearest neighbours {start}/{n}")
        d, i = nn.kneighbors(data[start : start + chunk], n_neighbors=k)
        idx[start : start + chunk] = i
        dist[start : start + chunk] = to_metric(d, metric)
    return idx, dist


def _approximate(
    x: np.ndarray, k: int, metric: str, rep: Reporter, lo: float, hi: float
) -> tuple[np.ndarray, np.ndarray]:
    from .ann import hnsw_knn

    space = "manhattan" if metric == "manhattan" else "euclidean"
    idx, dist = hnsw_knn(
        x, k, space, lambda done, phase: rep.progress(lo + (hi - lo) * done, phase),
        rows=lambda part: prepare(part, metric)[0],
    )  # fmt: skip
    return idx, to_metric(dist, metric)


def _self_first(idx: np.ndarray, dist: np.ndarray) -> tuple[I32, F32]:
    """Put each point itself in column 0 (distance 0); ties with duplicates may have moved it."""
    n, k = idx.shape
    rows = np.arange(n)
    idx = np.asarray(idx, dtype=np.int32)
    dist = np.maximum(np.asarray(dist, dtype=np.float32), 0)
    if np.array_equal(idx[:, 0], rows):
        dist[:, 0] = 0
        return np.ascontiguousarray(idx), np.ascontiguousarray(dist)
    is_self = idx == rows[:, None]
    # rows where self is missing: drop the farthest neighbour to make room
    missing = ~is_self.any(axis=1)
    is_self[missing, -1] = True
    keep = ~is_self
    out_i = np.empty_like(idx)
    out_d = np.empty_like(dist)
    out_i[:, 0] = rows
    out_d[:, 0] = 0
    out_i[:, 1:] = idx[keep].reshape(n, k - 1)
    out_d[:, 1:] = dist[keep].reshape(n, k - 1)
    return out_i, out_d


def cached_knn(
    cache: KeyCache,
    x: np.ndarray,
    source: Hashable,
    metric: str,
    k: int,
    rep: Reporter,
    *,
    fraction: tuple[float, float] = (0, 1),
) -> tuple[I32, F32, str]:
    """kNN for (source, metric) from the cache, computed at the largest k asked so far and sliced.

    ``source`` names the matrix ``x`` within the key (e.g. the PCA pre-reduction it came from).
    """
    k = min(k, x.shape[0])
    hit = cache.get(Slot.KNN, (source, metric))
    if hit is not None and hit[0].shape[1] >= k:
        rep.reused.append("nearest neighbours")
        idx, dist, method = hit
        return idx[:, :k], dist[:, :k], method
    idx, dist, method = nearest_neighbors(x, k, metric, rep, fraction=fraction)
    cache.put(Slot.KNN, (source, metric), (idx, dist, method))
    return idx, dist, method
