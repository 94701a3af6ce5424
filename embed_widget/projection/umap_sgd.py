"""UMAP's layout epoch, compiled by us, in two forms.

- ``serial_epoch``: umap-learn's ``_optimize_layout_euclidean_single_epoch`` for a 2-D layout with
  ``move_other=True`` (a test checks it bit for bit against umap's own function). It walks the
  edges in order and moves both ends of each: on several threads its writes would race, so it
  runs on one. Used below ``umap_layout.PARALLEL_MIN_ROWS`` rows (up to 10,000).
- ``parallel_epoch()``: umap's update rule split by vertex, on every core. Each vertex owns its
  row of the layout: one thread walks a vertex's edges in order, moving that vertex only, and
  reads every other vertex as it was when the epoch began (``before``). The graph is symmetric,
  so each edge (j, k) is also (k, j): the pull umap gives j twice per sampling (as the head of
  one, the tail of the other) is given once, doubled. Each vertex's negative samples come from
  its own random state, as in umap. The result depends on neither the thread count nor their
  timing (a test checks it). Measured on 30k rows (30 classes, 200 epochs): trustworthiness
  0.9886 against umap's 0.9894, the same clusters (ARI 0.995) and 10-NN label agreement (0.997),
  in half the time on 2 cores. On the digits (500 epochs) its clusters were less clean (ARI
  0.80-0.85 against 0.91): small layouts keep umap's own epoch.

One explicit signature each and ``cache=True``: the first kernel of a new environment compiles
them (the serial one on import, the parallel one on first use), later kernels load them from
numba's disk cache. The epochs hold the GIL, as umap's do: with ``nogil=True`` a browser test
that re-runs a UMAP cell 20 times saw the kernel answer nothing for over 60 s (cause not found).
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

_SERIAL_SIGNATURE = (
    "void(f4[:, ::1], i4[::1], i4[::1], f8[::1], f8, f8, i8[:, ::1], f8, f8[::1], f8[::1], "
    "f8[::1], i8)"
)
_PARALLEL_SIGNATURE = (
    "void(f4[:, ::1], f4[:, ::1], i8[::1], i4[::1], f8[::1], f8, f8, i8[:, ::1], f8, f8[::1], "
    "f8[::1], f8[::1], i8)"
)


@numba.njit("i4(i8[:, ::1], i8)", cache=True, nogil=True)
def _tau_rand_int(state: np.ndarray, row: int) -> int:  # pragma: no cover - compiled
    """umap's Tausworthe generator (``umap.utils.tau_rand_int``) on ``state[row]``, int32 as
    there (indexed rather than sliced: the parallel loop makes no array views)."""
    s0, s1, s2 = state[row, 0], state[row, 1], state[row, 2]
    s0 = (((s0 & 4294967294) << 12) & 0xFFFFFFFF) ^ ((((s0 << 13) & 0xFFFFFFFF) ^ s0) >> 19)
    s1 = (((s1 & 4294967288) << 4) & 0xFFFFFFFF) ^ ((((s1 << 2) & 0xFFFFFFFF) ^ s1) >> 25)
    s2 = (((s2 & 4294967280) << 17) & 0xFFFFFFFF) ^ ((((s2 << 3) & 0xFFFFFFFF) ^ s2) >> 11)
    state[row, 0], state[row, 1], state[row, 2] = s0, s1, s2
    return s0 ^ s1 ^ s2  # type: ignore[no-any-return]


@numba.njit("f8(f8)", cache=True, nogil=True)
def _clip(val: float) -> float:  # pragma: no cover - compiled
    return 4.0 if val > 4.0 else (-4.0 if val < -4.0 else val)


@numba.njit(
    "f4(f4[::1], f4[::1])", fastmath=True, cache=True, nogil=True,
    locals={"result": numba.types.float32, "diff": numba.types.float32},
)  # fmt: skip
def _rdist(x: np.ndarray, y: np.ndarray) -> float:  # pragma: no cover - compiled
    """Squared distance, in float32 as umap's ``rdist``."""
    result = 0.0
    for i in range(x.shape[0]):
        diff = x[i] - y[i]
        result += diff * diff
    return result


def _umap_epoch(
    emb: np.ndarray, head: np.ndarray, tail: np.ndarray, epochs_per_sample: np.ndarray,
    a: float, b: float, rng_state: np.ndarray, alpha: float, epochs_per_negative: np.ndarray,
    next_negative: np.ndarray, next_sample: np.ndarray, n: int,
) -> None:  # fmt: skip  # pragma: no cover - compiled
    n_vertices = emb.shape[0]
    for i in range(epochs_per_sample.shape[0]):
        if next_sample[i] > n:
            continue
        j = head[i]
        k = tail[i]
        current = emb[j]
        other = emb[k]
        dist_squared = _rdist(current, other)
        if dist_squared > 0.0:
            grad_coeff = -2.0 * a * b * pow(dist_squared, b - 1.0)
            grad_coeff /= a * pow(dist_squared, b) + 1.0
        else:
            grad_coeff = 0.0
        for d in range(2):
            grad_d = _clip(grad_coeff * (current[d] - other[d]))
            current[d] += grad_d * alpha
            other[d] += -grad_d * alpha
        next_sample[i] += epochs_per_sample[i]
        n_neg = int((n - next_negative[i]) / epochs_per_negative[i])
        for _ in range(n_neg):
            k = _tau_rand_int(rng_state, j) % n_vertices
            other = emb[k]
            dist_squared = _rdist(current, other)
            if dist_squared > 0.0:
                grad_coeff = 2.0 * b
                grad_coeff /= (0.001 + dist_squared) * (a * pow(dist_squared, b) + 1)
            elif j == k:
                continue
            else:
                grad_coeff = 0.0
            for d in range(2):
                grad_d = _clip(grad_coeff * (current[d] - other[d])) if grad_coeff > 0.0 else 0.0
                current[d] += grad_d * alpha
        next_negative[i] += n_neg * epochs_per_negative[i]


def _vertex_epoch(
    emb: np.ndarray, before: np.ndarray, indptr: np.ndarray, tail: np.ndarray,
    epochs_per_sample: np.ndarray, a: float, b: float, rng_state: np.ndarray, alpha: float,
    epochs_per_negative: np.ndarray, next_negative: np.ndarray, next_sample: np.ndarray, n: int,
) -> None:  # fmt: skip  # pragma: no cover - compiled
    n_vertices = emb.shape[0]
    for j in numba.prange(n_vertices):
        # the vertex's coordinates live in registers for its edges; float32 as umap's layout
        x, y = emb[j, 0], emb[j, 1]
        for i in range(indptr[j], indptr[j + 1]):
            if next_sample[i] > n:
                continue
            k = tail[i]
            dx, dy = x - before[k, 0], y - before[k, 1]
            dist_squared = dx * dx + dy * dy
            if dist_squared > 0.0:
                grad_coeff = -2.0 * a * b * pow(dist_squared, b - 1.0)
                grad_coeff /= a * pow(dist_squared, b) + 1.0
                x += np.float32(2.0 * _clip(grad_coeff * dx) * alpha)
                y += np.float32(2.0 * _clip(grad_coeff * dy) * alpha)
            next_sample[i] += epochs_per_sample[i]
            n_neg = int((n - next_negative[i]) / epochs_per_negative[i])
            for _ in range(n_neg):
                k = _tau_rand_int(rng_state, j) % n_vertices
                if k == j:
                    continue
                dx, dy = x - before[k, 0], y - before[k, 1]
                dist_squared = dx * dx + dy * dy
                if dist_squared > 0.0:
                    grad_coeff = 2.0 * b
                    grad_coeff /= (0.001 + dist_squared) * (a * pow(dist_squared, b) + 1)
                    x += np.float32(_clip(grad_coeff * dx) * alpha)
                    y += np.float32(_clip(grad_coeff * dy) * alpha)
            next_negative[i] += n_neg * epochs_per_negative[i]
        emb[j, 0], emb[j, 1] = x, y


serial_epoch = numba.njit(_SERIAL_SIGNATURE, fastmath=True, cache=True)(_umap_epoch)
_parallel: Any = None


def parallel_epoch() -> Any:
    """The vertex-parallel epoch, compiled (or loaded from the cache) on first use."""
    global _parallel
    if _parallel is None:
        _parallel = numba.njit(_PARALLEL_SIGNATURE, fastmath=True, cache=True, parallel=True)(
            _vertex_epoch
        )
    return _parallel
