"""A GPU through RAPIDS cuML, when one is there: whether to use it, and its kNN and PCA moments.

The GPU is used when ``cuml`` imports and CUDA sees a device; ``EMBED_WIDGET_GPU=0`` keeps every
computation on the CPU. Install: ``pip install "embed_widget[gpu]"`` (``cuml-cu12``, for CUDA
12 drivers). UMAP and t-SNE on the GPU are in ``gpu_runners.py``; this module is a leaf (the
kNN and PCA modules import it).
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")

#: "0" keeps every computation on the CPU.
ENV = "EMBED_WIDGET_GPU"
#: Rows per block sent to the GPU for the PCA moments (65,536 x 768 float64: 400 MB).
_BLOCK = 65_536


class GpuFailed(RuntimeError):
    """The GPU could not compute it (out of memory, a driver error, a bad layout); the CPU can."""


#: Why the GPU stopped being used in this process (a failure that leaves CUDA unusable).
_broken: str | None = None


def device() -> str | None:
    """``"cuML <version> on <GPU name>"`` when cuML imports and CUDA sees a device, else None
    (also after a failure other than running out of memory: CUDA may be left unusable)."""
    return None if _broken is not None else _detect()


@functools.cache
def _detect() -> str | None:
    if os.environ.get(ENV, "1") == "0" or importlib.util.find_spec("cuml") is None:
        return None
    try:
        import cuml
        import cupy

        if cupy.cuda.runtime.getDeviceCount() < 1:
            return None
        name: Any = cupy.cuda.runtime.getDeviceProperties(0)["name"]
    except Exception:  # no driver, no device, a broken install: the CPU does the work
        return None
    name = name.decode() if isinstance(name, bytes) else str(name)
    return f"cuML {cuml.__version__} on {name}"


def reset() -> None:
    """Ask again which GPU there is (after the environment or ``EMBED_WIDGET_GPU`` changed)."""
    global _broken
    _broken = None
    _detect.cache_clear()


def failed(exc: BaseException) -> GpuFailed:
    """The error to raise for a GPU failure, its first line as the reason. Out of memory only
    fails this call; anything else stops the GPU's use in this process."""
    global _broken
    text = str(exc).strip()
    reason = f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"[:200]
    if not isinstance(exc, MemoryError) and "out of memory" not in text.lower():
        _broken = reason
    return GpuFailed(reason)


def attempt(compute: Callable[..., T], *args: Any) -> T | None:
    """``compute(*args)`` on the GPU, or None if it failed (the caller then uses the CPU)."""
    try:
        return compute(*args)
    except Exception as exc:
        failed(exc)  # (stops the GPU's use if CUDA may be left unusable)
        return None


def version_at_least(version: tuple[int, int]) -> bool:
    """Whether the cuML in use is at least ``(major, minor)``."""
    import cuml

    try:
        major, minor = (int(part) for part in str(cuml.__version__).split(".")[:2])
    except ValueError:
        return False
    return (major, minor) >= version


def knn(x: np.ndarray, k: int, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """Exact k nearest neighbours of every row (itself included) in ``metric``, on the GPU:
    (indices, distances), N x k each."""
    from cuml.neighbors import NearestNeighbors

    if metric in ("euclidean", "manhattan"):  # cuML's float32 distances lose digits far from 0
        x = x - x.mean(axis=0, dtype=np.float64).astype(np.float32)
    nn = NearestNeighbors(n_neighbors=k, metric=metric, algorithm="brute", output_type="numpy")
    dist, idx = nn.fit(x).kneighbors(x)
    return np.asarray(idx, dtype=np.int32), np.asarray(dist, dtype=np.float32)


def moments(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The columns' covariance (D x D) and mean, float64, with the N x D pass on the GPU.

    In blocks of ``_BLOCK`` rows (a float64 copy of 1M x 768 would not fit on many GPUs), each
    shifted by the first rows' mean so that the sums keep their precision; the shift's distance
    from the true mean is corrected exactly at the end.
    """
    import cupy

    n, d = matrix.shape
    shift = cupy.asarray(matrix[:_BLOCK].mean(axis=0, dtype=np.float64))
    sums, scatter = cupy.zeros(d), cupy.zeros((d, d))
    for start in range(0, n, _BLOCK):
        block = cupy.asarray(matrix[start : start + _BLOCK], dtype=cupy.float64) - shift
        sums += block.sum(axis=0)
        scatter += block.T @ block
    offset = sums / n
    covariance = (scatter - n * cupy.outer(offset, offset)) / max(n - 1, 1)
    return cupy.asnumpy(covariance), cupy.asnumpy(shift + offset)
