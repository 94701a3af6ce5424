"""PCA: one decomposition per embedding (up to 10 components); a component switch is a slice."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .cache import KeyCache
from .result import F32, Reporter
from .schema import MAX_PCA_COMPONENTS


def decomposition(cache: KeyCache, matrix: np.ndarray) -> tuple[F32, list[float]]:
    """Scores on the top min(10, D, N) components and every component's explained-variance ratio."""
    hit = cache.get("pca", "scores")
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    from sklearn.decomposition import PCA

    n, d = matrix.shape
    n_comp = max(1, min(MAX_PCA_COMPONENTS, d, n))
    # covariance_eigh: one D x D eigendecomposition, by far the fastest for tall matrices
    pca = PCA(n_components=n_comp, svd_solver="covariance_eigh")
    scores = np.ascontiguousarray(pca.fit_transform(matrix), dtype=np.float32)
    # zero-variance data gives NaN ratios in sklearn: report 0 instead
    ratio = [float(v) for v in np.nan_to_num(pca.explained_variance_ratio_, nan=0.0)]
    out = (scores, ratio)
    cache.put("pca", "scores", out)
    return out


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
