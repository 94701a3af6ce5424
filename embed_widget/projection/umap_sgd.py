"""UMAP's layout epoch (umap-learn's ``_optimize_layout_euclidean_single_epoch``), compiled by us.

The same arithmetic as umap-learn 0.5 for a 2-D layout with ``move_other=True`` and no densMAP
(a test checks it bit for bit against umap's own function), but one explicit signature and
``cache=True``: the first kernel of a new environment compiles only this (~2 s here) instead of
all of umap-learn and pynndescent (~20 s), and later kernels load it from numba's disk cache.
Importing this module compiles or loads the serial version; the parallel one (unseeded runs) is
compiled on first use. The epochs hold the GIL, as umap's do: with ``nogil=True`` a browser test
that re-runs a UMAP cell 20 times saw the kernel answer nothing for over 60 s (cause not found).
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

_SIGNATURE = (
    "void(f4[:, ::1], i4[::1], i4[::1], f8[::1], f8, f8, i8[:, ::1], f8, f8[::1], f8[::1], "
    "f8[::1], i8)"
)


@numba.njit("i4(i8[::1])", cache=True, nogil=True)
def _tau_rand_int(state: np.ndarray) -> int:  # pragma: no cover - compiled
    """umap's Tausworthe generator (``umap.utils.tau_rand_int``), int32 as there."""
    state[0] = (((state[0] & 4294967294) << 12) & 0xFFFFFFFF) ^ (
        (((state[0] << 13) & 0xFFFFFFFF) ^ state[0]) >> 19
    )
    state[1] = (((state[1] & 4294967288) << 4) & 0xFFFFFFFF) ^ (
        (((state[1] << 2) & 0xFFFFFFFF) ^ state[1]) >> 25
    )
    state[2] = (((state[2] & 4294967280) << 17) & 0xFFFFFFFF) ^ (
        (((state[2] << 3) & 0xFFFFFFFF) ^ state[2]) >> 11
    )
    return state[0] ^ state[1] ^ state[2]  # type: ignore[no-any-return]


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


def _epoch(
    emb: np.ndarray, head: np.ndarray, tail: np.ndarray, epochs_per_sample: np.ndarray,
    a: float, b: float, rng_state: np.ndarray, alpha: float, epochs_per_negative: np.ndarray,
    next_negative: np.ndarray, next_sample: np.ndarray, n: int,
) -> None:  # fmt: skip  # pragma: no cover - compiled
    n_vertices = emb.shape[0]
    for i in numba.prange(epochs_per_sample.shape[0]):
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
            k = _tau_rand_int(rng_state[j]) % n_vertices
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


serial_epoch = numba.njit(_SIGNATURE, fastmath=True, cache=True)(_epoch)
_parallel: Any = None


def parallel_epoch() -> Any:
    """The multi-threaded epoch (non-deterministic), compiled on first use."""
    global _parallel
    if _parallel is None:
        _parallel = numba.njit(_SIGNATURE, fastmath=True, cache=True, parallel=True)(_epoch)
    return _parallel
