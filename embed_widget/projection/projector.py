"""Projector: synchronous projection with the caches that make parameter changes cheap."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from . import gpu, gpu_runners, pca, preprocess, tsne, umap_layout
from .cache import LRU, KeyCache, Slot
from .result import F32, FrameFn, ProgressFn, ProjectionResult, Reporter, StopFn
from .schema import validate_params

#: How UMAP and t-SNE name the matrix their neighbour graphs are built on without pre-reduction.
FULL_MATRIX = ("pca_dims", None)

Runner = Callable[[KeyCache, np.ndarray, dict[str, Any], Reporter], tuple[F32, dict[str, Any]]]
RUNNERS: dict[str, Runner] = {"pca": pca.run, "umap": umap_layout.run, "tsne": tsne.run}
#: Where a GPU is used (:mod:`.gpu`); PCA's runner uses it itself for large matrices.
GPU_RUNNERS: dict[str, Runner] = {"umap": gpu_runners.run_umap, "tsne": gpu_runners.run_tsne}


def runner_for(algorithm: str) -> Runner:
    """The GPU's runner where a GPU is used and has one, else the CPU's."""
    if algorithm in GPU_RUNNERS and gpu.device() is not None:
        return GPU_RUNNERS[algorithm]
    return RUNNERS[algorithm]


def _freeze(params: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(params.items()))


def as_matrix(matrix: object) -> np.ndarray:
    """A float32 C-contiguous 2-D view or copy of ``matrix``; TypeError/ValueError otherwise."""
    if not isinstance(matrix, np.ndarray):
        raise TypeError(f"expected a numpy array of embeddings, got {type(matrix).__name__}")
    if matrix.ndim != 2:
        raise ValueError(f"expected a 2-D (rows x dims) embedding matrix, got shape {matrix.shape}")
    kind = matrix.dtype.kind
    if kind not in "biuf":
        raise TypeError(f"expected a real numeric embedding matrix, got dtype {matrix.dtype}")
    return np.ascontiguousarray(matrix, dtype=np.float32)


def check_values(matrix: np.ndarray) -> None:
    """ValueError for NaN/inf (naming the first bad row) or rows that are all identical."""
    # Fast paths first (a whole-matrix sum, the first rows): a full N x D boolean pass costs more
    # than a PCA of the data.
    with np.errstate(over="ignore", invalid="ignore"):
        total = matrix.sum()
    if not np.isfinite(total):  # NaN/inf, or only a float32 overflow of finite values
        finite = np.isfinite(matrix).all(axis=1)
        if not finite.all():
            bad = np.flatnonzero(~finite)
            raise ValueError(
                f"the embedding has NaN or infinite values in {bad.size} row(s), first at row "
                f"{int(bad[0])}; only finite numbers can be projected"
            )
    if not (matrix[:64] != matrix[0]).any() and not (matrix != matrix[0]).any():
        raise ValueError(
            f"all {matrix.shape[0]} embedding rows are identical: there is nothing to project"
        )


def layout_digest(coords: np.ndarray) -> str:
    """A short fingerprint of a layout's values."""
    data = np.ascontiguousarray(coords, dtype=np.float32).tobytes()
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _remember_layout(cache: KeyCache, algorithm: str, coords: F32) -> None:
    """Keep the layout last returned for UMAP / t-SNE: where ``start="previous"`` continues from,
    also when that layout came from the result cache."""
    if algorithm in ("umap", "tsne"):
        cache.put(Slot.LAST, algorithm, coords)


def _compute(
    cache: KeyCache, matrix: np.ndarray, algorithm: str, params: dict[str, Any], rep: Reporter
) -> tuple[F32, dict[str, Any]]:
    """Run the algorithm; its coordinates checked (finite, N x 2, not collapsed), read-only."""
    try:
        coords, info = runner_for(algorithm)(cache, matrix, params, rep)
    except (
        gpu.GpuFailed
    ) as exc:  # (out of memory, a driver error): the CPU computes it, and says why
        coords, info = RUNNERS[algorithm](cache, matrix, params, rep)
        info["gpu_error"] = str(exc)
    info.setdefault("device", "cpu")
    coords = np.ascontiguousarray(coords, dtype=np.float32)
    if coords.shape != (matrix.shape[0], 2) or not np.isfinite(coords).all():
        raise RuntimeError(
            f"{algorithm} produced invalid coordinates (shape {coords.shape}, "
            f"{int((~np.isfinite(coords)).sum())} non-finite values) for {params}"
        )
    if algorithm != "pca" and not np.ptp(coords, axis=0).max() > 1e-12:
        # a layout that collapsed to a point must not pass for a result
        raise RuntimeError(f"{algorithm} collapsed every point to one place for {params}")
    coords.flags.writeable = False
    return coords, info


class Projector:
    """Synchronous projections with caches, one Projector per table.

    Parameters
    ----------
    max_keys
        Embedding keys whose intermediate results are kept (LRU). A key the caller has not used
        recently (the table changed, another embedding column) is dropped with all its caches.
    max_results
        Finished results kept (LRU over all keys), so returning to an earlier setting is instant.

    Notes
    -----
    Thread-safe: caches are guarded by locks, the computation runs outside them (two threads
    asking for the same thing may both compute it).
    """

    def __init__(self, max_keys: int = 2, max_results: int = 16) -> None:
        self.max_keys = max_keys
        self._keys: OrderedDict[Hashable, KeyCache] = OrderedDict()
        self._results: LRU[ProjectionResult] = LRU(max_results)
        self._lock = threading.Lock()

    def _key_cache(self, key: Hashable, matrix: np.ndarray) -> KeyCache:
        with self._lock:
            cache = self._keys.get(key)
            if cache is None or cache.shape != matrix.shape:
                cache = KeyCache(matrix.shape)
                self._keys[key] = cache
                self._drop_results(key)
            self._keys.move_to_end(key)
            while len(self._keys) > self.max_keys:
                old, _ = self._keys.popitem(last=False)
                self._drop_results(old)
            return cache

    def _drop_results(self, key: Hashable) -> None:
        self._results.pop_where(lambda k: k[0] == key)  # type: ignore[index]

    def project(
        self,
        key: Hashable,
        matrix: np.ndarray,
        algorithm: str,
        params: Mapping[str, object],
        *,
        on_progress: ProgressFn | None = None,
        on_frame: FrameFn | None = None,
        should_stop: StopFn | None = None,
        start: np.ndarray | None = None,
    ) -> ProjectionResult:
        """Project ``matrix`` to 2-D.

        Parameters
        ----------
        key
            Hashable identity of the matrix's content; pass a new key when the data changes.
        matrix
            N x D embeddings (converted to float32).
        algorithm, params
            See :func:`param_schema`; parameters are validated and clamped to the data.
        on_progress
            ``(fraction 0..1, phase text)``, at least every 0.5 s while computing.
        on_frame
            Intermediate float32 (N, 2) layouts (UMAP epochs, t-SNE iterations), <= 10 per second.
        should_stop
            Polled often; when it returns True the computation raises :class:`Cancelled`.
        start
            UMAP and t-SNE: an N x 2 layout to continue from (another embedding's layout of
            the same rows, e.g. the previous training step's) instead of a fresh one.

        Raises
        ------
        ValueError, TypeError
            Invalid parameters or data (NaN/inf, too few rows, all rows identical).
        Cancelled
            ``should_stop()`` turned True.
        """
        t0 = time.perf_counter()
        matrix = as_matrix(matrix)
        effective, notices = validate_params(algorithm, params, *matrix.shape)
        cache = self._key_cache(key, matrix)
        if not cache.checked:
            check_values(matrix)
            cache.checked = True
        mode, why = self._preprocess_mode(cache, matrix, effective["preprocess"])
        effective["preprocess"] = mode
        notices = [*notices, why] if why else notices
        if mode != "none":  # the prepared matrix has caches of its own
            matrix = self._prepared(cache, matrix, mode)
            key = (key, mode)
            cache = self._key_cache(key, matrix)
        warm = start is not None and algorithm in ("umap", "tsne") and len(start) == len(matrix)
        rkey: tuple[Any, ...] = (key, algorithm, _freeze(effective))
        if warm:  # (the result depends on where it started)
            rkey = (*rkey, layout_digest(start))  # type: ignore[arg-type]
        hit = self._results.get(rkey)
        if hit is not None:
            info = {**hit.info, "cached": True}
            _remember_layout(cache, algorithm, hit.coords)
            return replace(hit, notices=notices, info=info, seconds=time.perf_counter() - t0)

        rep = Reporter(on_progress, on_frame, should_stop, start=start if warm else None)
        rep.check()
        coords, info = _compute(cache, matrix, algorithm, effective, rep)
        _remember_layout(cache, algorithm, coords)
        info.update(reused=rep.reused, timings=rep.timings, cached=False)
        result = ProjectionResult(
            coords, algorithm, effective, notices, info, time.perf_counter() - t0
        )
        # a random seed means a new picture each time: nothing to return to
        if effective.get("random_state", 0) is not None:
            self._results.put(rkey, result)
        return result

    @staticmethod
    def _preprocess_mode(cache: KeyCache, matrix: np.ndarray, mode: str) -> tuple[str, str | None]:
        if mode == "auto" and cache.scale_ratio is None:
            cache.scale_ratio = preprocess.scale_ratio(matrix)
        return preprocess.resolve(mode, cache.scale_ratio or 1.0)

    @staticmethod
    def _prepared(cache: KeyCache, matrix: np.ndarray, mode: str) -> np.ndarray:
        hit = cache.get(Slot.PREPARED, mode)
        if hit is None:
            hit = preprocess.apply(mode, matrix)
            cache.put(Slot.PREPARED, mode, hit)
        out: np.ndarray = hit
        return out

    def has_neighbor_graph(self, key: Hashable, matrix: np.ndarray, metric: str, k: int) -> bool:
        """Whether :meth:`neighbor_graph` would be served from the cache (no search to pay)."""
        with self._lock:
            cache = self._keys.get(key)
        hit = cache.get(Slot.KNN, (FULL_MATRIX, metric)) if cache is not None else None
        return hit is not None and hit[0].shape[1] > min(k, matrix.shape[0] - 1)

    def neighbor_graph(self, key: Hashable, matrix: np.ndarray, metric: str, k: int) -> np.ndarray:
        """Every row's k nearest rows of ``matrix`` (itself excluded), n x k: the graph UMAP or
        t-SNE built on the full matrix when there is one, else searched now. Read-only: a
        background job asking for it never brings back caches a data change dropped."""
        from .knn import nearest_neighbors

        k = min(k, matrix.shape[0] - 1)
        with self._lock:
            cache = self._keys.get(key)
        hit = cache.get(Slot.KNN, (FULL_MATRIX, metric)) if cache is not None else None
        if hit is not None and hit[0].shape[1] > k:
            idx = hit[0]
        else:
            idx, _, _ = nearest_neighbors(matrix, k + 1, metric, Reporter())
        out: np.ndarray = idx[:, 1 : k + 1]
        return out

    def clear(self) -> None:
        """Drop every cache (decompositions, neighbour graphs, affinities, results)."""
        with self._lock:
            self._keys.clear()
            self._results.clear()

    def cache_sizes(self) -> dict[str, Any]:
        """Entry counts per cache, for tests and diagnostics."""
        with self._lock:
            return {
                "keys": len(self._keys),
                "results": len(self._results),
                "per_key": {repr(k): c.sizes() for k, c in self._keys.items()},
            }
