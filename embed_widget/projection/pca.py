"""PCA: one decomposition per embedding (up to 10 components); a component switch is a slice."""

from __future__ import annotations

import time
from typing import Any, NamedTuple

import numpy as np

from . import gpu
from .cache import KeyCache, Slot
from .result import F32, Reporter
from .schema import MAX_PCA_COMPONENTS

#: Rows per block when accumulating the covariance: small enough to stay in the CPU cache
#: (measured at 50k x 128: 4,096 rows 13 ms, 65,536 rows 15-19 ms).
_BLOCK = 4_096
#: Rows (evenly spaced) whose mean shifts the data before the covariance is accumulated.
_SHIFT_ROWS = 1_024
#: Rows (evenly spaced) the preview's axes come from: a preview of 1M x 768 then costs one pass
#: over the data (~0.5 s) instead of a full covariance (~7 s).
PREVIEW_ROWS = 20_000
#: Matrices from this many cells get their moments on a GPU where one is used (:mod:`.gpu`):
#: below, the CPU's pass takes less than cuML's import and the GPU's start (seconds) would.
GPU_MIN_CELLS = 20_000_000


class Decomposition(NamedTuple):
    axes: F32  # D x k principal axes, k = min(10, D, N)
    centre: F32  # the mean's score on each axis
    ratio: list[float]  # explained-variance ratio of each axis
    device: str | None = None  # the GPU (gpu.device()) that computed it, None for the CPU


def decomposition(cache: KeyCache, matrix: np.ndarray) -> Decomposition:
    """The top min(10, D, N) principal axes and every one's explained-variance ratio."""
    hit = cache.get(Slot.PCA, "axes")
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    n, d = matrix.shape
    n_comp = max(1, min(MAX_PCA_COMPONENTS, d, n))
    on_gpu = matrix.size >= GPU_MIN_CELLS and gpu.device() is not None
    moments = gpu.attempt(gpu.moments, matrix) if on_gpu else None  # None: the CPU's pass
    components, variances, mean = _covariance_eigh(matrix, moments)
    top = components[:, :n_comp]
    total = float(variances.sum())
    ratio = [float(v / total) if total > 0 else 0.0 for v in variances[:n_comp]]
    device = gpu.device() if moments is not None else None
    out = Decomposition(top.astype(np.float32), (mean @ top).astype(np.float32), ratio, device)
    cache.put(Slot.PCA, "axes", out)
    return out


def scores(cache: KeyCache, matrix: np.ndarray, dec: Decomposition, cols: list[int]) -> F32:
    """The rows' scores on axes ``cols`` (0-based).

    The first request projects on its two axes only (the first picture waits for nothing more);
    the first switch projects on all of them once, so every later switch is a slice.
    """
    every = cache.get(Slot.PCA, "scores")
    if every is None and cache.get(Slot.PCA, "first") is None:
        cache.put(Slot.PCA, "first", True)
        return (matrix @ dec.axes[:, cols]) - dec.centre[cols]
    if every is None:
        every = (matrix @ dec.axes) - dec.centre
        cache.put(Slot.PCA, "scores", every)
    return np.ascontiguousarray(every[:, cols])


def preview(matrix: np.ndarray) -> F32:
    """A quick PCA layout (components 1 and 2) for the first picture, while UMAP or t-SNE start.

    The axes come from at most ``PREVIEW_ROWS`` evenly spaced rows (all rows below that, so the
    preview is then the exact PCA); every row is projected on them.
    """
    n, d = matrix.shape
    axes, _, mean = _covariance_eigh(matrix[:: max(1, n // PREVIEW_ROWS)])
    top = axes[:, [0, min(1, d - 1)]]
    return (matrix @ top.astype(np.float32)) - (mean @ top).astype(np.float32)  # type: ignore[no-any-return]


def _covariance_eigh(
    matrix: np.ndarray, moments: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Principal axes (D x D, columns by decreasing variance), their variances, the column means.

    The same method as scikit-learn's ``svd_solver="covariance_eigh"`` (one D x D
    eigendecomposition, the fastest for tall matrices), written out in numpy because importing
    scikit-learn's PCA costs ~1 s in a fresh kernel: the first picture would wait for it. Signs
    follow scikit-learn's convention (each axis' largest-magnitude loading is positive), so
    layouts match it. ``moments`` (covariance, mean) when the GPU computed them.
    """
    n, d = matrix.shape
    if moments is not None:
        return _axes(*moments)
    # One pass over cache-sized blocks, shifted by an estimate of the mean so float32 BLAS keeps
    # its precision (data offset by 1000 keeps its small variances); the shift's distance from the
    # true mean is corrected exactly below. No N x D centred copy, no separate pass for the mean.
    head = matrix[:: max(1, n // _SHIFT_ROWS)].astype(np.float64)  # evenly spaced: any row order
    shift = head.mean(axis=0)
    if np.all(np.abs(shift) <= head.std(axis=0)):
        shift[:] = 0.0  # already about centred: float32 keeps its precision without a shifted copy
    shift = shift.astype(matrix.dtype)
    centred = not shift.any()
    ones = np.ones(min(n, _BLOCK), dtype=matrix.dtype)
    buffer = np.empty((min(n, _BLOCK), d), dtype=matrix.dtype)
    sums, scatter = np.zeros(d), np.zeros((d, d))
    for start in range(0, n, _BLOCK):
        rows = matrix[start : start + _BLOCK]
        block = rows if centred else np.subtract(rows, shift, out=buffer[: rows.shape[0]])
        sums += ones[: block.shape[0]] @ block
        scatter += block.T @ block
    offset = sums / n  # the true mean minus the shift
    covariance = (scatter - n * np.outer(offset, offset)) / max(n - 1, 1)
    return _axes(covariance, shift + offset)


def _axes(covariance: np.ndarray, mean: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The covariance's eigenvectors by decreasing variance, signs as scikit-learn's; and mean."""
    d = covariance.shape[0]
    variances, axes = np.linalg.eigh(covariance)
    order = np.argsort(variances)[::-1]
    variances, axes = np.clip(variances[order], 0.0, None), axes[:, order]
    signs = np.sign(axes[np.argmax(np.abs(axes), axis=0), np.arange(d)])
    signs[signs == 0] = 1.0
    return axes * signs, variances, mean


def run(
    cache: KeyCache, matrix: np.ndarray, params: dict[str, Any], rep: Reporter
) -> tuple[F32, dict[str, Any]]:
    """PCA coordinates for ``x_component`` / ``y_component`` (1-based)."""
    t0 = time.perf_counter()
    if cache.get(Slot.PCA, "axes") is not None:
        rep.reused.append("decomposition")
    else:
        rep.progress(0.0, "principal components", force=True)
    dec = decomposition(cache, matrix)
    coords = scores(cache, matrix, dec, [params["x_component"] - 1, params["y_component"] - 1])
    rep.timed("pca", time.perf_counter() - t0)
    info: dict[str, Any] = {"explained_variance_ratio": dec.ratio}
    if dec.device is not None:
        info["device"] = dec.device
    return coords, info
