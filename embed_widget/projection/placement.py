"""Placing new rows into a finished layout without moving the rows it was fitted on.

Each algorithm's own out-of-sample rule, against the fitted rows only:

- PCA: the same linear map (recovered from the fitted rows and their coordinates by least
  squares: exact, as PCA coordinates are an affine function of the rows).
- UMAP: umap-learn's ``transform``: the new rows' nearest fitted rows, their fuzzy memberships
  (local connectivity 0), a start at the membership-weighted mean of those rows' positions, then
  ``TRANSFORM_EPOCHS`` epochs of the layout's SGD at a quarter of its learning rate, moving only
  the new rows (the fitted ones are held; negative samples are drawn among them).
- t-SNE: openTSNE's ``prepare_partial`` start: the median position of the nearest fitted rows
  (``TSNE_NEIGHBORS``: 10, not openTSNE's 25; on the digits, fitted on 1,500 rows and placing
  297, their 10-NN label agreement was 0.925 with 10 and 0.909 with 25, against 0.961 for a
  refit). openTSNE then optimises further against the fixed reference; we stop there, said in
  ``info["placed"]``.

Neighbours are exact (brute force in chunks, BLAS), in the metric and preprocessing of the fit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from . import preprocess
from .fuzzy import epochs_per_sample, find_ab_params
from .knn import prepare, to_metric
from .result import F32, ProjectionResult, Reporter

#: umap-learn's transform: 100 epochs for up to 10,000 new rows, 30 above.
TRANSFORM_EPOCHS = (100, 30)
NEGATIVE_SAMPLES = 5
#: openTSNE's prepare_partial(initialization="median"), with k=10 rather than its 25.
TSNE_NEIGHBORS = 10
#: Query rows per chunk of the exact neighbour search, and new rows per SGD run (they do not
#: pull on each other, so each run moves a part of them: the temporaries stay small).
CHUNK_ROWS = 1024
SGD_ROWS = 20_000
#: New rows are placed while they are at most this share of the rows fitted (more, and the
#: layout would say more of the placement rule than of the data: they are all fitted again) ...
PLACE_SHARE = 0.25
#: ... and while the exact neighbour search (new rows x fitted rows x dimensions) stays within
#: this (about 10 s here).
PLACE_WORK = 2e11
#: PCA's map is recovered from at most this many fitted rows (a sample spans the same space).
LINEAR_SAMPLE = 20_000
_SEARCH = (0.0, 0.6)  # share of the progress bar


#: ``nearest_fitted``'s signature: (fitted rows, new rows, k, metric, reporter) -> (idx, dist).
Search = Callable[[np.ndarray, np.ndarray, int, str, Reporter], tuple[np.ndarray, np.ndarray]]


def place(
    matrix: np.ndarray,
    fitted: int,
    coords: F32,
    result: ProjectionResult,
    rep: Reporter,
    search: Search | None = None,
) -> tuple[F32, str]:
    """Coordinates for the rows of ``matrix`` past ``coords`` (whose first ``fitted`` rows are
    the fit, the others placed before), and how they were placed; ``search`` finds the new
    rows' nearest fitted rows (default: exact, :func:`nearest_fitted`)."""
    params = result.params
    if len(matrix) == len(coords):
        return np.zeros((0, 2), dtype=np.float32), "nothing new"
    mode = params.get("preprocess", "none")
    reference, new = _prepared(mode, matrix[:fitted], matrix[len(coords) :])
    layout = np.asarray(coords[:fitted], dtype=np.float32)
    if result.algorithm == "pca":
        return _linear(reference, new, layout), "the PCA map of the fitted rows"
    metric = str(params.get("metric", "euclidean"))
    if result.algorithm == "umap":
        k = min(int(params["n_neighbors"]), fitted)
        idx, dist = (search or nearest_fitted)(reference, new, k, metric, rep)
        placed = _umap_transform(idx, dist, layout, params, rep)
        return placed, "UMAP transform (umap-learn's rule, fitted rows held)"
    idx, _ = (search or nearest_fitted)(reference, new, min(TSNE_NEIGHBORS, fitted), metric, rep)
    median = np.median(layout[idx], axis=1).astype(np.float32)
    return median, f"median of the {idx.shape[1]} nearest fitted rows (openTSNE's partial start)"


def placed_result(
    result: ProjectionResult, fitted: int, coords: F32, new: F32, how: str, seconds: float
) -> ProjectionResult:
    """``result`` with the placed rows' coordinates appended (read-only, as results are)."""
    everything = np.ascontiguousarray(np.vstack([coords, new]), dtype=np.float32)
    everything.flags.writeable = False
    info = {**result.info, "cached": False}
    if len(everything) > fitted:
        info["placed"] = {"fitted": fitted, "placed": len(everything) - fitted, "method": how}
    return replace(result, coords=everything, info=info, seconds=seconds)


def worth_placing(fitted: int, rows: int, dims: int) -> bool:
    """Whether placing the rows past ``fitted`` of ``rows`` beats fitting them all again: at most
    ``PLACE_SHARE`` of the fitted rows, and a neighbour search within ``PLACE_WORK``."""
    new = rows - fitted
    return new <= PLACE_SHARE * fitted and new * fitted * dims <= PLACE_WORK


def _prepared(mode: str, reference: np.ndarray, new: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both preprocessed as the fit was: with the fitted rows' own statistics."""
    if mode in ("none", "auto"):
        return reference, new
    x = np.array(new, dtype=np.float32, order="C", copy=True)
    mean = reference.mean(axis=0, dtype=np.float64).astype(np.float32)
    if mode in ("standardize", "spherize"):
        x -= mean
    if mode == "standardize":
        std = (reference - mean).std(axis=0, dtype=np.float64).astype(np.float32)
        np.divide(x, std, out=x, where=std > 0)
    if mode in ("normalize", "spherize"):
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        np.divide(x, norms, out=x, where=norms > 0)
    return preprocess.apply(mode, reference), x


def _linear(reference: np.ndarray, new: np.ndarray, layout: np.ndarray) -> F32:
    """PCA's map (see :func:`linear_map`) applied to the new rows."""
    return linear_map(reference, layout)(new)


def linear_map(reference: np.ndarray, layout: np.ndarray) -> Callable[[np.ndarray], F32]:
    """The affine map from rows to their layout that fits the fitted rows best (least squares,
    on a sample of them). For PCA it is the projection itself: from the rows centred and their
    coordinates centred, the least-norm solution is PCA's map, whatever the rows and dims."""
    rows = np.arange(len(reference))
    if len(rows) > LINEAR_SAMPLE:
        rows = np.sort(np.random.default_rng(0).choice(rows, LINEAR_SAMPLE, replace=False))
    x = reference[rows].astype(np.float64)
    y = layout[rows].astype(np.float64)
    mean_x, mean_y = x.mean(axis=0), y.mean(axis=0)
    weights, *_ = np.linalg.lstsq(x - mean_x, y - mean_y, rcond=None)
    return lambda new: np.asarray((new - mean_x) @ weights + mean_y, dtype=np.float32)


def nearest_fitted(
    reference: np.ndarray, new: np.ndarray, k: int, metric: str, rep: Reporter
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest fitted rows of each new row: (indices, distances in ``metric``)."""
    from sklearn.neighbors import NearestNeighbors

    data, skl_metric = prepare(reference, metric)
    query, _ = prepare(new, metric)
    search = NearestNeighbors(n_neighbors=k, algorithm="brute", metric=skl_metric).fit(data)
    idx = np.empty((len(query), k), dtype=np.int64)
    dist = np.empty((len(query), k), dtype=np.float32)
    lo, hi = _SEARCH
    for start in range(0, len(query), CHUNK_ROWS):
        rep.progress(lo + (hi - lo) * start / len(query), f"placing: neighbours {start}")
        d, i = search.kneighbors(query[start : start + CHUNK_ROWS])
        idx[start : start + CHUNK_ROWS], dist[start : start + CHUNK_ROWS] = i, to_metric(d, metric)
    return idx, dist


def memberships(dist: np.ndarray, iterations: int = 64) -> np.ndarray:
    """umap's fuzzy memberships of each new row in its neighbours with local connectivity 0:
    exp(-d / sigma), sigma found by bisection so that the memberships past the first sum to
    log2(k) (umap's ``smooth_knn_dist`` skips the first, the point itself in a fit), and at least
    1e-3 of the mean distance."""
    d = dist.astype(np.float64)
    target = np.log2(d.shape[1])
    lo, hi = np.zeros(len(d)), np.full(len(d), np.inf)
    sigma = np.ones(len(d))
    for _ in range(iterations):
        total = np.exp(-d[:, 1:] / sigma[:, None]).sum(axis=1)
        big = total > target
        hi = np.where(big, sigma, hi)
        lo = np.where(big, lo, sigma)
        sigma = np.where(np.isfinite(hi), (lo + hi) / 2, sigma * 2)
    sigma = np.maximum(sigma, 1e-3 * d.mean())
    out: np.ndarray = np.exp(-d / sigma[:, None])
    return out


def _umap_transform(
    idx: np.ndarray, dist: np.ndarray, layout: np.ndarray, params: dict[str, Any], rep: Reporter
) -> F32:
    weights = memberships(dist)
    start = (weights[..., None] * layout[idx]).sum(axis=1) / weights.sum(axis=1, keepdims=True)
    emb: F32 = start.astype(np.float32)
    if params.get("n_epochs"):
        n_epochs = max(1, int(params["n_epochs"]) // 3)
    else:
        n_epochs = TRANSFORM_EPOCHS[0] if len(emb) <= 10_000 else TRANSFORM_EPOCHS[1]
    keep = weights >= weights.max() / n_epochs  # edges too weak to be sampled: dropped
    a, b = find_ab_params(float(params["spread"]), float(params["min_dist"]))
    for first in range(0, len(emb), SGD_ROWS):
        part = slice(first, first + SGD_ROWS)
        rows, columns = np.nonzero(keep[part])
        every = epochs_per_sample(weights[part][rows, columns], n_epochs)
        tail = idx[part][rows, columns]
        _held_sgd(emb[part], layout, rows, tail, every, n_epochs, a, b, rep)
    return emb


def _held_sgd(
    emb: np.ndarray, layout: np.ndarray, head: np.ndarray, tail: np.ndarray,
    every: np.ndarray, n_epochs: int, a: float, b: float, rep: Reporter,
) -> None:  # fmt: skip
    """umap's optimize_layout_euclidean with move_other=False, an epoch's updates summed per row
    (the new rows do not pull on each other, so the order within an epoch barely matters)."""
    rng = np.random.default_rng(0)
    next_sample = every.copy()
    every_negative = every / NEGATIVE_SAMPLES
    next_negative = every_negative.copy()
    a32, b32 = np.float32(a), np.float32(b)
    lo = _SEARCH[1]
    for epoch in range(n_epochs):
        rep.progress(lo + (1 - lo) * epoch / n_epochs, f"placing: epoch {epoch}/{n_epochs}")
        alpha = np.float32(0.25 * (1.0 - max(epoch - 1, 0) / n_epochs))  # (umap's order)
        due = np.flatnonzero(next_sample <= epoch)
        j = head[due]
        diff, d2, power = _apart(emb[j], layout[tail[due]], b32)
        with np.errstate(divide="ignore", invalid="ignore"):
            pull = np.where(d2 > 0, -2 * a32 * b32 * power / d2 / (a32 * power + 1), 0)
        step = np.clip(pull[:, None] * diff, -4, 4) * alpha
        next_sample[due] += every[due]
        n_neg = ((epoch - next_negative[due]) / every_negative[due]).astype(np.int64)
        next_negative[due] += n_neg * every_negative[due]
        pushed = np.repeat(j, n_neg)
        diff, d2, power = _apart(
            emb[pushed], layout[rng.integers(0, len(layout), len(pushed))], b32
        )
        push = np.where(d2 > 0, 2 * b32 / ((np.float32(0.001) + d2) * (a32 * power + 1)), 0)
        pushes = np.clip(push[:, None] * diff, -4, 4) * alpha
        for axis in range(2):  # (bincount sums per row ~10x faster than np.add.at)
            moved = np.bincount(j, step[:, axis], len(emb))
            moved += np.bincount(pushed, pushes[:, axis], len(emb))
            emb[:, axis] += moved.astype(np.float32)


def _apart(here: np.ndarray, there: np.ndarray, b: np.float32) -> tuple[np.ndarray, ...]:
    """here - there, its squared length d2 and d2 ** b, in float32 (as umap computes them)."""
    diff = here - there
    d2 = diff[:, 0] * diff[:, 0] + diff[:, 1] * diff[:, 1]
    return diff, d2, d2**b
