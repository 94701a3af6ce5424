"""openTSNE's interpolation gradient with its FFTs on every core.

openTSNE's wheels do the interpolation (FFT) gradient's 2-D FFTs with numpy's, on one thread:
~60% of an iteration at 50k rows (measured here). Its Cython module looks ``np`` up at each
call, so while a descent runs, :func:`fft_on_every_core` hands it a numpy whose real 2-D FFTs are
``scipy.fft``'s on ``CORES`` threads. scipy splits a 2-D transform into whole 1-D ones, one per
thread, so the gradient is the same on any number of cores (a test checks it). It equals
numpy's to 1e-12 (tested), not bit for bit; a user's own openTSNE call in another thread
meanwhile gets the same FFTs.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

from .ann import CORES

_lock = threading.Lock()
_users = 0
_saved: Any = np  # what openTSNE's module held before the first user


class _FFT:
    """numpy's ``fft`` namespace with its real 2-D transforms on every core."""

    def __getattr__(self, name: str) -> Any:
        return getattr(np.fft, name)

    @staticmethod
    def rfft2(a: Any) -> np.ndarray:
        import scipy.fft

        return np.asarray(scipy.fft.rfft2(a, workers=CORES))

    @staticmethod
    def irfft2(a: Any) -> np.ndarray:
        import scipy.fft

        return np.asarray(scipy.fft.irfft2(a, workers=CORES))


class _Numpy:
    """numpy as openTSNE's FFT module sees it while a descent runs."""

    fft = _FFT()

    def __getattr__(self, name: str) -> Any:
        return getattr(np, name)


@contextlib.contextmanager
def fft_on_every_core() -> Iterator[None]:
    """While open (in any number of threads), openTSNE's 2-D FFTs run on every core; after the
    last one closes, openTSNE's module gets back what it had. A version of openTSNE without this
    module is left alone."""
    global _users, _saved
    try:
        from openTSNE._matrix_mul import matrix_mul
    except ImportError:
        yield
        return
    entered = False
    try:
        with _lock:
            if _users == 0:
                _saved = getattr(matrix_mul, "np", np)
                matrix_mul.np = _Numpy()
            _users += 1
            entered = True
        yield
    finally:
        if entered:
            with _lock:
                _users -= 1
                if _users == 0:
                    matrix_mul.np = _saved
