"""UMAP with reuse and streaming: umap-learn's algorithm, step by step, driven epoch by epoch.

Pipeline (the same steps as ``umap.UMAP.fit`` with a precomputed kNN):
kNN (cached per metric at the largest k asked) -> fuzzy simplicial set (cached per
(metric, n_neighbors)) -> graph pruned for n_epochs -> spectral initial layout (cached) -> SGD
epochs. The steps are ours (:mod:`.fuzzy`, :mod:`.spectral`, :mod:`.umap_sgd`: numpy, scipy and
one small numba kernel with a disk cache) rather than umap-learn's, whose import and JIT cost
~20 s in a new environment; tests check them against ``umap.UMAP`` (the graph and the start to
rounding, the whole layout by trustworthiness). The epochs follow umap's update rule with its
negative samples' pushes summed per edge (half the time, the same quality: see :mod:`.umap_sgd`);
above 10,000 rows they run on every core, with the same layout on any number of them.
Every epoch can stream a frame and answer a cancel. From ``umap_preview.PREVIEW_MIN_ROWS`` rows
the layout starts from a preview instead of a spectral layout: a UMAP of a sample with these same
steps, the other rows placed beside it, shown before the neighbours of every row are searched
(see :mod:`.umap_preview`).
Same seed and parameters give the same coordinates whether or not cached stages were reused;
``random_state=None`` starts from a fresh random state.

``start="previous"`` is the one path-dependent option: the layout starts from the last UMAP layout
of this embedding (any parameters) and runs at most ``WARM_EPOCHS`` epochs on the new graph. A
layout handed in (``Reporter.start``: the previous training step's) starts it the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from . import umap_preview
from ._lazy import (
    COMPILING_LAYOUT,
    import_layout_kernel,
    import_parallel_layout_kernel,
    numba_section,
    start_import,
    wait_for_import,
)
from .cache import KeyCache, Slot, reduced_matrix
from .fuzzy import epochs_per_sample, find_ab_params, fuzzy_simplicial_set
from .knn import cached_knn, nearest_neighbors
from .result import F32, Reporter
from .schema import WARM_EPOCHS
from .spectral import spectral_layout

INT32_MIN = np.iinfo(np.int32).min + 1
INT32_MAX = np.iinfo(np.int32).max - 1
#: fraction of the progress bar given to each phase
_KNN, _GRAPH, _INIT = (0.0, 0.15), 0.2, 0.25
#: From this many rows the epochs run on every core (see umap_sgd: the same clusters and
#: trustworthiness at 30k rows, in half the time on 2 cores); smaller layouts run umap's own.
PARALLEL_MIN_ROWS = 10_001


def default_epochs(n_rows: int) -> int:
    """umap-learn's default: 500 epochs up to 10,000 rows, 200 above."""
    return 500 if n_rows <= 10_000 else 200


def fuzzy_graph(
    cache: KeyCache, x: np.ndarray, source: Any, metric: str, n_neighbors: int, rep: Reporter
) -> Any:
    """The fuzzy simplicial set (scipy COO, summed duplicates) for (metric, n_neighbors)."""
    gkey = (source, metric, n_neighbors)
    hit = cache.get(Slot.GRAPH, gkey)
    if hit is not None:
        rep.reused.append("fuzzy graph")
        return hit
    idx, dist, _ = cached_knn(cache, x, source, metric, n_neighbors, rep, fraction=_KNN)
    rep.progress(_KNN[1], "fuzzy graph", force=True)
    t0 = time.perf_counter()
    graph = fuzzy_simplicial_set(idx, dist, n_neighbors)
    rep.timed("fuzzy graph", time.perf_counter() - t0)
    cache.put(Slot.GRAPH, gkey, graph)
    return graph


def _pruned(graph: Any, n_epochs: int) -> Any:
    """Drop edges too weak to be sampled once in n_epochs (as umap's simplicial_set_embedding)."""
    g = graph.copy()
    g.data[g.data < (g.data.max() / float(n_epochs))] = 0.0
    g.eliminate_zeros()
    return g


def _initial_layout(
    cache: KeyCache, x: np.ndarray, graph: Any, ikey: Any, metric: str, seed: int | None,
    rep: Reporter,
) -> tuple[F32, np.ndarray]:  # fmt: skip
    """Spectral layout scaled to [0, 10] and umap's per-sample RNG state, from a fresh RNG."""
    hit = cache.get(Slot.INIT, ikey) if seed is not None else None
    if hit is not None:
        rep.reused.append("initial layout")
        return hit[0].copy(), hit[1].copy()
    t0 = time.perf_counter()
    rs = np.random.RandomState(seed)
    emb = _spectral_start(x, graph, metric, rs)
    rng_state = rs.randint(INT32_MIN, INT32_MAX, 3).astype(np.int64)
    rep.timed("initial layout", time.perf_counter() - t0)
    if seed is not None:
        cache.put(Slot.INIT, ikey, (emb.copy(), rng_state.copy()))
    return emb, rng_state


def _spectral_start(x: np.ndarray, graph: Any, metric: str, rs: np.random.RandomState) -> F32:
    """umap's spectral layout with its noisy_scale_coords, scaled to [0, 10] per axis."""
    emb = spectral_layout(x, graph, metric, rs)
    # umap's noisy_scale_coords: largest coordinate 10, plus a little noise
    emb = (emb * (10.0 / np.abs(emb).max())).astype(np.float32)
    emb = emb + rs.normal(scale=0.0001, size=emb.shape).astype(np.float32)
    return scaled(emb)


def _preview_start(
    cache: KeyCache, x: np.ndarray, ikey: Any, metric: str, k: int, seed: int | None,
    rep: Reporter,
) -> tuple[F32, np.ndarray]:  # fmt: skip
    """A large layout's start (see :mod:`.umap_preview`): a UMAP of a sample, the other rows
    placed on it; streamed as a frame at once. Cached as the initial layout."""
    hit = cache.get(Slot.INIT, ikey) if seed is not None else None
    if hit is not None:
        rep.reused.append("initial layout")
        return hit[0].copy(), hit[1].copy()
    t0 = time.perf_counter()
    rep.progress(0.0, f"preview of {umap_preview.SAMPLE_ROWS:,} rows", force=True)
    rs = np.random.RandomState(seed)
    sample = umap_preview.sample_rows(len(x), rs)
    quiet = Reporter(should_stop=rep.stopping)  # the sample's steps report nothing
    sub = x[sample]
    idx, dist, _ = nearest_neighbors(sub, k, metric, quiet)
    graph = _pruned(fuzzy_simplicial_set(idx, dist, k), umap_preview.PREVIEW_EPOCHS)
    layout = _spectral_start(sub, graph, metric, rs)
    sub_state = rs.randint(INT32_MIN, INT32_MAX, 3).astype(np.int64)
    a, b = find_ab_params(1.0, 0.1)  # umap's defaults: the start does not depend on min_dist
    _sgd(layout, graph, umap_preview.PREVIEW_EPOCHS, a, b, sub_state, quiet)
    emb = scaled(umap_preview.place_on_sample(x, sample, layout, metric, rs, quiet))
    rng_state = rs.randint(INT32_MIN, INT32_MAX, 3).astype(np.int64)
    rep.frame(emb, force=True)
    rep.phase_note = f" · showing a preview of {len(sample):,} rows"
    rep.timed("preview", time.perf_counter() - t0)
    if seed is not None:
        cache.put(Slot.INIT, ikey, (emb.copy(), rng_state.copy()))
    return emb, rng_state


def run(
    cache: KeyCache, matrix: np.ndarray, params: dict[str, Any], rep: Reporter
) -> tuple[F32, dict[str, Any]]:
    """UMAP coordinates for validated ``params``; streams frames through ``rep``."""
    metric, k, seed = params["metric"], params["n_neighbors"], params["random_state"]
    source = ("pca_dims", params["pca_dims"])
    x = reduced_matrix(cache, matrix, params["pca_dims"])
    n = x.shape[0]
    start_import(_kernel_for(n))  # loads (or compiles) while the graph is built
    n_epochs = params["n_epochs"] or default_epochs(n)
    previous = rep.start if rep.start is not None else last_layout(cache, params)
    warm = previous is not None and previous.shape == (n, 2)
    if warm:
        n_epochs = min(n_epochs, WARM_EPOCHS)
    preview = None
    if not warm and n >= umap_preview.PREVIEW_MIN_ROWS:
        preview = _preview_start(
            cache, x, (source, metric, k, "preview", seed), metric, k, seed, rep
        )
    graph = _pruned(fuzzy_graph(cache, x, source, metric, k, rep), n_epochs)

    rep.phase_note = ""  # the layout of every row starts: its frames follow
    rep.progress(_GRAPH, "initial layout", force=True)
    if warm and previous is not None:
        emb = scaled(previous)
        rng_state = np.random.RandomState(seed).randint(INT32_MIN, INT32_MAX, 3).astype(np.int64)
        rep.continue_from_previous()
    elif preview is not None:
        emb, rng_state = preview
    else:
        emb, rng_state = _initial_layout(
            cache, x, graph, (source, metric, k, n_epochs, seed), metric, seed, rep
        )
    rep.frame(emb, force=True)

    t0 = time.perf_counter()
    a, b = find_ab_params(params["spread"], params["min_dist"])
    _sgd(emb, graph, n_epochs, a, b, rng_state, rep)
    rep.timed("layout", time.perf_counter() - t0)
    started = "previous" if rep.warm_start else "preview" if preview is not None else "spectral"
    return emb, {"n_epochs": n_epochs, "a": float(a), "b": float(b), "started_from": started}


def last_layout(cache: KeyCache, params: dict[str, Any]) -> F32 | None:
    """The last UMAP layout of this embedding, with ``start="previous"``."""
    return cache.get(Slot.LAST, "umap") if params["start"] == "previous" else None


def scaled(layout: np.ndarray) -> F32:
    """A layout rescaled to [0, 10] per axis, as umap scales its initial layouts."""
    lo, hi = layout.min(axis=0), layout.max(axis=0)
    out = 10.0 * (layout - lo) / np.where(hi > lo, hi - lo, 1.0)
    return np.ascontiguousarray(out, dtype=np.float32)


def _kernel_for(n_rows: int) -> Callable[[], ModuleType]:
    """The importer of the epoch a layout of ``n_rows`` runs (see :mod:`.umap_sgd`)."""
    return import_layout_kernel if n_rows < PARALLEL_MIN_ROWS else import_parallel_layout_kernel


def _sgd(
    emb: np.ndarray, graph: Any, n_epochs: int, a: float, b: float, rng_state: np.ndarray,
    rep: Reporter,
) -> None:  # fmt: skip
    """umap.layouts.optimize_layout_euclidean (move_other=True, gamma 1, 5 negative samples) on
    ``graph`` (canonical COO, symmetric), with :mod:`.umap_sgd`'s summed negative samples: the
    serial epoch (umap's edge order) on one thread for small layouts, the vertex-parallel one on
    every core from ``PARALLEL_MIN_ROWS`` rows."""
    n_vertices = emb.shape[0]
    importer = _kernel_for(n_vertices)
    wait_for_import(importer, rep.check, rep.announcer(COMPILING_LAYOUT))
    if importer is import_layout_kernel:
        from .umap_sgd import serial_epoch

        edges = (
            np.ascontiguousarray(graph.row, np.int32),
            np.ascontiguousarray(graph.col, np.int32),
        )
        weights = graph.data

        def epoch(*state: Any) -> None:
            serial_epoch(emb, *edges, *state)
    else:
        from .umap_sgd import parallel_epoch

        csr, parallel, before = graph.tocsr(), parallel_epoch(), np.empty_like(emb)
        edges = (csr.indptr.astype(np.int64), np.ascontiguousarray(csr.indices, np.int32))
        weights = csr.data

        def epoch(*state: Any) -> None:
            np.copyto(before, emb)
            parallel(emb, before, *edges, *state)

    epochs = epochs_per_sample(weights, n_epochs)
    per_negative = epochs / 5.0
    next_negative, next_sample = per_negative.copy(), epochs.copy()
    rng_per_sample = np.full((n_vertices, len(rng_state)), rng_state, dtype=np.int64) + emb[
        :, 0
    ].astype(np.float64).view(np.int64).reshape(-1, 1)
    alpha = 1.0
    span = 1.0 - _INIT
    for n in range(n_epochs):
        rep.progress(_INIT + span * n / n_epochs, f"layout {n}/{n_epochs}")
        with numba_section(rep.check, rep.announce):
            epoch(epochs, a, b, rng_per_sample, alpha, per_negative, next_negative, next_sample, n)
        alpha = 1.0 - float(n) / float(n_epochs)
        if n + 1 < n_epochs:
            rep.frame(emb)
    rep.progress(1.0, f"layout {n_epochs}/{n_epochs}", force=True)
