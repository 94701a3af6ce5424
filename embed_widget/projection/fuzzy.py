"""UMAP's fuzzy simplicial set and curve parameters in plain numpy / scipy: no JIT to compile.

The same steps as ``umap.umap_.fuzzy_simplicial_set`` (``smooth_knn_dist`` and
``compute_membership_strengths``, then the fuzzy union), vectorised over rows: umap-learn's numba
versions compile for ~10 s in a new environment, which was most of a first UMAP's wait. The
binary search keeps umap's float32 arithmetic, so the graph matches umap's to float32 rounding.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse

SMOOTH_K_TOLERANCE = 1e-5
MIN_K_DIST_SCALE = 1e-3
N_ITER = 64


def _expf(x: np.ndarray) -> np.ndarray:
    """float32 exp rounded from float64, as the C library's expf (numba's) gives it."""
    return np.exp(x.astype(np.float64)).astype(np.float32)


def smooth_knn_dist(dist: np.ndarray, k: float) -> tuple[np.ndarray, np.ndarray]:
    """(sigma, rho) per row, for kNN distances sorted by row with the point itself first.

    rho is the distance to the nearest other point (local connectivity 1); sigma is found by a
    binary search so that the row's memberships sum to log2(k), as in umap-learn.
    """
    dist = np.asarray(dist, dtype=np.float32)
    n = dist.shape[0]
    target = np.log2(k)  # float64, as in umap: psum is compared in float64
    positive = np.where(dist > 0, dist, np.inf)
    rho = np.min(positive, axis=1)
    rho[~np.isfinite(rho)] = 0
    rho = rho.astype(np.float32)
    shifted = dist[:, 1:] - rho[:, None]
    lo = np.zeros(n, dtype=np.float32)
    hi = np.full(n, np.inf, dtype=np.float32)
    mid = np.ones(n, dtype=np.float32)
    active = np.ones(n, dtype=bool)
    for _ in range(N_ITER):
        rows = np.flatnonzero(active)
        if rows.size == 0:
            break
        d, m = shifted[rows], mid[rows]
        with np.errstate(over="ignore"):
            terms = np.where(d > 0, _expf(-(d / m[:, None])), np.float32(1))
        psum = np.zeros(rows.size, dtype=np.float32)
        for column in terms.T:  # umap's order of float32 additions
            psum += column
        converged = np.abs(psum - target) < SMOOTH_K_TOLERANCE
        too_big = psum > target
        upper = np.isfinite(hi[rows])
        new_hi = np.where(too_big, m, hi[rows])
        new_lo = np.where(too_big, lo[rows], m)
        new_mid = np.where(too_big, (lo[rows] + m) / 2, np.where(upper, (m + hi[rows]) / 2, m * 2))
        keep = ~converged
        hi[rows[keep]], lo[rows[keep]] = new_hi[keep], new_lo[keep]
        mid[rows[keep]] = new_mid[keep]
        active[rows[converged]] = False
    floor = MIN_K_DIST_SCALE * np.where(rho > 0, dist.mean(axis=1), dist.mean())
    sigma = np.maximum(mid, floor).astype(np.float32)
    return sigma, rho


def fuzzy_simplicial_set(
    idx: np.ndarray, dist: np.ndarray, n_neighbors: int
) -> scipy.sparse.coo_matrix:
    """The symmetric fuzzy graph (COO, duplicates summed) of a kNN graph (self in column 0)."""
    n, k = idx.shape
    sigma, rho = smooth_knn_dist(dist, float(n_neighbors))
    dist = np.asarray(dist, dtype=np.float32)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        vals = _expf(-((dist - rho[:, None]) / sigma[:, None]))
    vals[(dist - rho[:, None] <= 0) | (sigma[:, None] == 0)] = 1.0
    vals[idx == np.arange(n)[:, None]] = 0.0
    vals[idx < 0] = 0.0
    rows = np.repeat(np.arange(n, dtype=np.int32), k)
    cols = np.where(idx < 0, 0, idx).astype(np.int32).ravel()
    graph = scipy.sparse.coo_matrix((vals.astype(np.float32).ravel(), (rows, cols)), shape=(n, n))
    graph.eliminate_zeros()
    transpose = graph.transpose()
    product = graph.multiply(transpose)
    union = (graph + transpose - product).tocoo()
    union.eliminate_zeros()
    union.sum_duplicates()
    return union


def find_ab_params(spread: float, min_dist: float) -> tuple[float, float]:
    """umap-learn's fit of the curve 1 / (1 + a d^2b) to an offset exponential decay."""
    from scipy.optimize import curve_fit

    def curve(x: np.ndarray, a: float, b: float) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + a * x ** (2 * b)))

    xv = np.linspace(0, spread * 3, 300)
    yv = np.where(xv < min_dist, 1.0, np.exp(-(xv - min_dist) / spread))
    params, _ = curve_fit(curve, xv, yv)
    return float(params[0]), float(params[1])


def epochs_per_sample(weights: np.ndarray, n_epochs: int) -> np.ndarray:
    """How many epochs apart each edge is sampled: the strongest edge every epoch."""
    result = -np.ones(weights.shape[0], dtype=np.float64)
    n_samples = n_epochs * (weights / weights.max())
    result[n_samples > 0] = float(n_epochs) / np.float64(n_samples[n_samples > 0])
    return result
