"""UMAP's layout epoch, compiled by us, in two forms, both with umap-learn's update rule and two
changes that halve its time (measured below).

- ``serial_epoch``: as umap-learn's ``_optimize_layout_euclidean_single_epoch`` for a 2-D layout
  with ``move_other=True``: it walks the edges in order and moves both ends of each. On several
  threads its writes would race, so it runs on one. Used up to ``umap_layout.PARALLEL_MIN_ROWS``
  rows (10,000).
- ``parallel_epoch()``: umap's rule split by vertex, on every core. Each vertex owns its row of
  the layout: one thread walks a vertex's edges in order, moving that vertex only, and reads
  every other vertex as it was when the epoch began (``before``). The graph is symmetric, so each
  edge (j, k) is also (k, j): the pull umap gives j twice per sampling (as the head of one, the
  tail of the other) is given once, doubled. The result depends on neither the thread count nor
  their timing (a test checks it). Measured on 30k rows (30 classes, 200 epochs): trustworthiness
  0.9886 against umap's 0.9894, the same clusters (ARI 0.995) and 10-NN label agreement (0.997),
  in half the time on 2 cores. On the digits (500 epochs) its clusters were less clean (ARI
  0.80-0.85 against 0.91): small layouts keep the serial epoch.

The changes to umap's arithmetic, which stop the epochs being bit-identical to umap's: in
``_repulsion``, the negative samples of one edge all push from where the vertex stood before
them, and their pushes are summed, then applied once (umap applies each before drawing the next,
a chain of dependent powers and divisions the CPU cannot overlap), and a sample's index is a
multiply-shift of umap's random 32 bits, not a division; in both ``_repulsion`` and
``_attraction`` the powers are float32 (``powf``). On the digits (12
seeds): 0.59 s against 1.30 s for the 500 epochs, trustworthiness 0.9883 both, HDBSCAN's ARI
against the labels median 0.906 against 0.905. On 30k rows in 30 overlapping blobs, parallel
epoch: 2.3 s against 4.7 s, trustworthiness 0.826 against 0.824, ARI 0.34 both.

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


@numba.njit("i8(i8[:, ::1], i8, i8)", cache=True, nogil=True)
def _random_index(state: np.ndarray, row: int, n: int) -> int:  # pragma: no cover - compiled
    """A row in [0, n) from umap's generator: the top of the 32 random bits times n (Lemire's
    multiply-shift), not a 64-bit division."""
    bits = np.uint64(np.uint32(_tau_rand_int(state, row)))
    return int((bits * np.uint64(n)) >> np.uint64(32))


@numba.njit("UniTuple(f8, 2)(f4[:, ::1], f4, f4, i8, i8, f8, f8, i8[:, ::1])", fastmath=True,
            cache=True, nogil=True)  # fmt: skip
def _repulsion(
    positions: np.ndarray, x: float, y: float, j: int, n_neg: int, a: float, b: float,
    rng_state: np.ndarray,
) -> tuple[float, float]:  # fmt: skip  # pragma: no cover - compiled
    """The summed push of ``n_neg`` random rows of ``positions`` on vertex j standing at (x, y),
    each umap's clipped repulsion (gamma 1); the vertex itself and exact overlaps push nothing."""
    n_vertices, power = positions.shape[0], np.float32(b)
    push_x, push_y = 0.0, 0.0
    for _ in range(n_neg):
        k = _random_index(rng_state, j, n_vertices)
        if k == j:
            continue
        dx, dy = x - positions[k, 0], y - positions[k, 1]
        dist_squared = dx * dx + dy * dy
        if dist_squared > 0.0:
            grad_coeff = 2.0 * b / ((0.001 + dist_squared) * (a * (dist_squared**power) + 1.0))
            push_x += _clip(grad_coeff * dx)
            push_y += _clip(grad_coeff * dy)
    return push_x, push_y


@numba.njit("f8(f4, f8, f8)", fastmath=True, cache=True, nogil=True)
def _attraction(dist_squared: float, a: float, b: float) -> float:  # pragma: no cover - compiled
    """umap's attractive gradient coefficient at a squared distance, one float32 power."""
    if dist_squared <= 0.0:
        return 0.0
    power = dist_squared ** np.float32(b - 1.0)
    return -2.0 * a * b * power / (a * power * dist_squared + 1.0)  # type: ignore[return-value]


def _umap_epoch(
    emb: np.ndarray, head: np.ndarray, tail: np.ndarray, epochs_per_sample: np.ndarray,
    a: float, b: float, rng_state: np.ndarray, alpha: float, epochs_per_negative: np.ndarray,
    next_negative: np.ndarray, next_sample: np.ndarray, n: int,
) -> None:  # fmt: skip  # pragma: no cover - compiled
    for i in range(epochs_per_sample.shape[0]):
        if next_sample[i] > n:
            continue
        j, k = head[i], tail[i]
        dx, dy = emb[j, 0] - emb[k, 0], emb[j, 1] - emb[k, 1]
        grad_coeff = _attraction(dx * dx + dy * dy, a, b)
        step_x, step_y = _clip(grad_coeff * dx) * alpha, _clip(grad_coeff * dy) * alpha
        emb[j, 0] += step_x
        emb[j, 1] += step_y
        emb[k, 0] -= step_x
        emb[k, 1] -= step_y
        next_sample[i] += epochs_per_sample[i]
        n_neg = int((n - next_negative[i]) / epochs_per_negative[i])
        push_x, push_y = _repulsion(emb, emb[j, 0], emb[j, 1], j, n_neg, a, b, rng_state)
        emb[j, 0] += np.float32(push_x * alpha)
        emb[j, 1] += np.float32(push_y * alpha)
        next_negative[i] += n_neg * epochs_per_negative[i]


def _vertex_epoch(
    emb: np.ndarray, before: np.ndarray, indptr: np.ndarray, tail: np.ndarray,
    epochs_per_sample: np.ndarray, a: float, b: float, rng_state: np.ndarray, alpha: float,
    epochs_per_negative: np.ndarray, next_negative: np.ndarray, next_sample: np.ndarray, n: int,
) -> None:  # fmt: skip  # pragma: no cover - compiled
    for j in numba.prange(emb.shape[0]):
        # the vertex's coordinates live in registers for its edges; float32 as umap's layout
        x, y = emb[j, 0], emb[j, 1]
        for i in range(indptr[j], indptr[j + 1]):
            if next_sample[i] > n:
                continue
            k = tail[i]
            dx, dy = x - before[k, 0], y - before[k, 1]
            grad_coeff = _attraction(dx * dx + dy * dy, a, b)
            x += np.float32(2.0 * _clip(grad_coeff * dx) * alpha)
            y += np.float32(2.0 * _clip(grad_coeff * dy) * alpha)
            next_sample[i] += epochs_per_sample[i]
            n_neg = int((n - next_negative[i]) / epochs_per_negative[i])
            push_x, push_y = _repulsion(before, x, y, j, n_neg, a, b, rng_state)
            x += np.float32(push_x * alpha)
            y += np.float32(push_y * alpha)
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
