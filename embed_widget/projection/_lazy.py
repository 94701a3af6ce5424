"""Lazy imports of umap-learn / openTSNE, with numba's on-disk cache switched on for umap.

umap-learn and pynndescent declare their numba functions without ``cache=True``, so every new
kernel recompiles them (~13 s on the digits here). While umap is imported, ``numba.njit`` and
``numba.jit`` default to ``cache=True``: the compiled code then lands in numba's usual persistent
cache (``__pycache__`` next to umap's sources, or the user cache dir when that is read-only, or
``NUMBA_CACHE_DIR`` when set) and later kernels load it. Set ``EMBED_WIDGET_NUMBA_CACHE=0`` to
opt out. The patch is undone right after the import, so other numba users are not affected.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import threading
import warnings
from types import ModuleType
from typing import Any

_lock = threading.Lock()
#: Held around numba-compiled parallel calls (fuzzy graph, NN-descent, layout epochs): numba's
#: fallback "workqueue" threading layer aborts the process when two threads launch parallel
#: kernels at once (e.g. the engine's worker and a synchronous ``Table.project`` call).
NUMBA_LOCK = threading.RLock()


def _cache_default(fn: Any) -> Any:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cache", True)
        return fn(*args, **kwargs)

    return wrapper


def import_umap() -> ModuleType:
    """Import ``umap`` (and pynndescent) with numba caching enabled; returns the module."""
    if "umap" in sys.modules and "umap.layouts" in sys.modules:
        return sys.modules["umap"]
    with _lock:
        if os.environ.get("EMBED_WIDGET_NUMBA_CACHE", "1") == "0":
            return importlib.import_module("umap")
        import numba
        from numba.core.errors import NumbaWarning

        # functions numba cannot cache only warn; keep the user's console clean
        warnings.filterwarnings("ignore", category=NumbaWarning, message=".*cannot cache.*")
        warnings.filterwarnings("ignore", category=NumbaWarning, message=".*Cannot cache.*")
        saved = numba.njit, numba.jit
        numba.njit, numba.jit = _cache_default(saved[0]), _cache_default(saved[1])
        try:
            module = importlib.import_module("umap")
            importlib.import_module("umap.layouts")
            importlib.import_module("umap.spectral")
        finally:
            numba.njit, numba.jit = saved
        return module


def import_opentsne() -> ModuleType:
    """Import openTSNE (compiled with Cython: no JIT to pay)."""
    return importlib.import_module("openTSNE")
