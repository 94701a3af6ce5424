"""Approximate nearest neighbours above the exact range: a faiss HNSW graph, built and queried in
chunks so the status moves every ~0.5 s and a cancel is answered between chunks.

Why faiss (``IndexHNSWFlat``): a compiled wheel, so nothing to JIT in a new kernel (pynndescent
compiled for ~25 s in every new kernel above 20k rows). Measured here, k=15, 2 cores:
100k x 384 text-like data in 19 s at recall 0.994 (pynndescent 48 s, usearch 39 s, voyager 40 s);
1M x 64 in 130 s at recall 0.976 (usearch 200 s). ``benchmarks/neighbors.py`` reruns it.

A graph built by several threads may depend on their timing, so it is built on one thread, in
fixed batches (then the same data always gives the same neighbours), and queried on all cores.
Above 256 MB of vectors an L2 index stores them as half floats (``IndexHNSWSQ``, fp16) where
their values allow it: half the memory of the index's copy.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

#: HNSW links per node, and the candidate list sizes while building and searching: recall@15
#: 0.987-0.994 on the data above (0.894 with 16 / 48 on isotropic 384-d blobs).
LINKS = 32
EF_CONSTRUCTION = 64
EF_SEARCH = 96
#: Rows added per call: fixed, because the graph depends on the batches (faiss inserts a batch
#: by level); ~0.2-0.4 s each here. Queries go in chunks sized to take ~CHUNK_S from the rate.
ADD_ROWS = 2_000
FIRST_CHUNK = 2_000
CHUNK_S = 0.5
CORES = os.cpu_count() or 1
#: Above this size of float32 vectors the index keeps them as half floats: half the memory of
#: its copy (the largest one while a big UMAP runs), at recall@16 0.9996 against 0.9997 and a
#: ~10% slower build and search (40k x 768, measured here); a UMAP of 200k x 768 took 235 s
#: against 205 s.
HALF_ABOVE_BYTES = 256 * 2**20
#: Progress callback: (fraction done in [0, 1], phase text).
Progress = Callable[[float, str], None]


@contextlib.contextmanager
def _threads(n: int) -> Iterator[None]:
    """faiss's OpenMP thread count is process-wide: ours for one phase, then the user's again."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(n)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _timed_chunks(n: int, work: Callable[[int, int], None]) -> None:
    """Call ``work(start, stop)`` over [0, n) in chunks of about ``CHUNK_S`` seconds each."""
    start, size = 0, FIRST_CHUNK
    while start < n:
        stop = min(n, start + size)
        t0 = time.perf_counter()
        work(start, stop)
        rate = (stop - start) / max(time.perf_counter() - t0, 1e-3)
        size = int(min(max(rate * CHUNK_S, 256), 8 * size))
        start = stop


def hnsw_index(
    x: np.ndarray,
    metric: str,
    progress: Callable[[int], None] = lambda _done: None,
    rows: Callable[[np.ndarray], np.ndarray] = lambda part: part,
) -> Any:
    """A faiss HNSW index of the rows of ``x`` for ``metric`` "euclidean" or "manhattan",
        after ``rows`` is applied to each batch, built on one thread in fixed batches (``progress``
        hears the rows added before each). Above ``HALF_ABOVE_BYTES`` it may store half floats
    (:func:`_half_floats_fit`)."""
    import faiss

    n, dims = x.shape
    space = faiss.METRIC_L1 if metric == "manhattan" else faiss.METRIC_L2
    index: Any
    if _half_floats_fit(x, metric, rows):
        half: Any = faiss.ScalarQuantizer.QT_fp16
        index = faiss.IndexHNSWSQ(dims, half, LINKS, space)
    else:
        index = faiss.IndexHNSWFlat(dims, LINKS, space)
    index.hnsw.efConstruction = EF_CONSTRUCTION
    _reserve(index, n)
    with _threads(1):
        for start in range(0, n, ADD_ROWS):
            progress(start)
            part = rows(x[start : start + ADD_ROWS])
            index.add(np.ascontiguousarray(part, dtype=np.float32))
    return index


def _half_floats_fit(x: np.ndarray, metric: str, rows: Callable[[np.ndarray], np.ndarray]) -> bool:
    """Whether a big index keeps half floats: only for L2 (faiss's scalar quantiser has no L1:
    it aborts the process), and only where their precision is enough: in the prepared rows
    (2,000 of them, evenly spaced) every value lies within +-1e4 (half floats end at 65504), and
    the step between half floats at the largest value (1/2048 of it) is at most 1/100 of the
    columns' mean spread (not, say, values about 1000 that differ by 1)."""
    n, dims = x.shape
    if metric == "manhattan" or n * dims * 4 <= HALF_ABOVE_BYTES:
        return False
    sample = np.asarray(rows(x[:: max(1, n // 2_000)]), dtype=np.float64)
    size = float(np.abs(sample).max())
    return size < 1e4 and size / 2048 <= float(sample.std(axis=0).mean()) / 100


def _reserve(index: Any, n: int) -> None:
    """Give the index's vector store its full size before the first add: growing it batch by
    batch reallocates, and each reallocation holds the old and the new buffer at once (a peak of
    ~0.5 x the matrix above the index itself, measured at 40k x 768)."""
    import faiss

    storage: Any = faiss.downcast_index(index.storage)
    storage.codes.resize(n * storage.code_size)
    storage.codes.resize(0)  # the size faiss expects; the capacity stays


def hnsw_search(index: Any, queries: np.ndarray, k: int, metric: str) -> tuple[np.ndarray, ...]:
    """(indices, distances) of the ``k`` nearest indexed rows of each query (every row gets k
    real entries: see :func:`filled`)."""
    index.hnsw.efSearch = max(EF_SEARCH, k)
    dist, idx = index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
    if metric != "manhattan":  # faiss gives squared L2
        np.sqrt(np.maximum(dist, 0), out=dist)
    return filled(idx, dist)


def hnsw_knn(
    x: np.ndarray,
    k: int,
    metric: str,
    progress: Progress,
    rows: Callable[[np.ndarray], np.ndarray] = lambda part: part,
) -> tuple[np.ndarray, np.ndarray]:
    """(indices, distances) of the ``k`` nearest rows of every row of ``x``, for ``metric``
    "euclidean" or "manhattan", after ``rows`` (e.g. scaling to unit length for cosine) is
    applied to each batch: the index holds the only prepared copy, and the queries read it (or,
    where it holds half floats, prepare their rows again)."""
    n = x.shape[0]

    def indexing(start: int) -> None:
        progress(0.6 * start / n, f"nearest neighbours: indexing {start:,}/{n:,}")

    index = hnsw_index(x, metric, indexing, rows)
    queries = _queries(index, x, rows)
    idx = np.empty((n, k), dtype=np.int64)
    dist = np.empty((n, k), dtype=np.float32)

    def search(start: int, stop: int) -> None:
        progress(0.6 + 0.4 * start / n, f"nearest neighbours: searching {start:,}/{n:,}")
        idx[start:stop], dist[start:stop] = hnsw_search(index, queries(start, stop), k, metric)

    with _threads(CORES):
        _timed_chunks(n, search)
    return idx, dist


def _queries(
    index: Any, x: np.ndarray, rows: Callable[[np.ndarray], np.ndarray]
) -> Callable[[int, int], np.ndarray]:
    """The prepared rows [start, stop) to query: a view of the index's own float32 vectors (no
    second copy), or, where it keeps half floats, the rows prepared again."""
    import faiss

    storage: Any = faiss.downcast_index(index.storage)
    if not isinstance(storage, faiss.IndexFlat):
        return lambda start, stop: rows(x[start:stop])
    n, dims = storage.ntotal, storage.d
    stored = faiss.rev_swig_ptr(storage.get_xb(), n * dims).reshape(n, dims)
    return lambda start, stop: stored[start:stop]


def filled(idx: np.ndarray, dist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Replace faiss's trailing -1 (neighbours it could not find: rare with ef >= k) by the row's
    last found neighbour, or by the row itself, so every row has k real entries."""
    found = (idx >= 0).sum(axis=1)
    if found.min() == idx.shape[1]:
        return idx, dist
    rows = np.arange(idx.shape[0])[:, None]
    cols = np.minimum(np.arange(idx.shape[1])[None, :], np.maximum(found - 1, 0)[:, None])
    idx, dist = idx[rows, cols], dist[rows, cols]
    empty = idx < 0
    idx[empty] = np.broadcast_to(rows, idx.shape)[empty]
    dist[empty] = 0
    return idx, dist
