"""PCA: one decomposition per embedding (up to 10 components); a component switch is a slice."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .cache import KeyCache
from .result import F32, Reporter
from .schema import MAX_PCA_COMPONENTS

#: Rows per block when accumulating the covariance (keeps the extra memory small).
_BLOCK = 65_536


def decomposition(cache: KeyCache, matrix: np.ndarray) -> tuple[F32, list[float]]:
    """Scores on the top min(10, D, N) components and every component's explained-variance ratio."""
    hit = cache.get("pca", "scores")
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    n, d = matrix.shape
    n_comp = max(1, min(MAX_PCA_COMPONENTS, d, n))
    components, variances, mean = _covariance_eigh(matrix)
    top = components[:, :n_comp]
    scores = matrix @ top.astype(np.float32) - (mean @ top).astype(np.float32)
    total = float(variances.sum())
    ratio = [float(v / total) if total > 0 else 0.0 for v in variances[:n_comp]]
    out = (np.ascontiguousarray(scores, dtype=np.float32), ratio)
    cache.put("pca", "scores", out)
    return out


def _covariance_eigh(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Principal axes (D x D, columns by decreasing variance), their variances, the column means.

    The same method as scikit-learn's ``svd_solver="covariance_eigh"`` (one D x D
    eigendecomposition, the fastest for tall matrices), written out in numpy because importing
    scikit-learn's PCA costs ~1 s in a fresh kernel: the first picture would wait for it. Signs
    follow scikit-learn's convention (each axis' largest-magnitude loading is positive), so
    layouts match it.
    """
    n, d = matrix.shape
    mean = matrix.mean(axis=0, dtype=np.float64)
    # Centred blocks in float32 (fast BLAS), each block's D x D sum added up in float64.
    center = mean.astype(matrix.dtype)
    scatter = np.zeros((d, d), dtype=np.float64)
    for start in range(0, n, _BLOCK):
        block = matrix[start : start + _BLOCK] - center
        scatter += block.T @ block
    covariance = scatter / max(n - 1, 1)
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
    if cache.get("pca", "scores") is not None:
        rep.reused.append("decomposition")
    else:
        rep.progress(0.0, "PCA", force=True)
    scores, ratio = decomposition(cache, matrix)
    rep.timed("pca", time.perf_counter() - t0)
    cols = [params["x_component"] - 1, params["y_component"] - 1]
    coords = np.ascontiguousarray(scores[:, cols])
    return coords, {"explained_variance_ratio": ratio}
