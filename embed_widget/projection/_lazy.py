"""Lazy imports of umap-learn / openTSNE, with numba's on-disk cache switched on for umap.

umap-learn and pynndescent declare their numba functions without ``cache=True``, so every new
kernel recompiles them (~13 s on the digits here). While umap is imported, ``numba.njit`` and
``numba.jit`` default to ``cache=True``: the compiled code then lands in numba's usual persistent
cache (``__pycache__`` next to umap's sources, or the user cache dir when that is read-only, or
``NUMBA_CACHE_DIR`` when set) and later kernels load it. Set ``EMBED_WIDGET_NUMBA_CACHE=0`` to
opt out. The patch is undone right after the import, so other numba users are not affected.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any, TypeVar

T = TypeVar("T")

#: Status phases while a job waits for umap: its import, or another thread's compilation.
LOADING_UMAP = "loading UMAP (the first run on a machine compiles it: ~20 s)"
COMPILING_UMAP = "waiting for UMAP's one-off compilation (the first run on a machine: ~20 s)"
_lock = threading.Lock()
#: Held around numba-compiled parallel calls (fuzzy graph, NN-descent, layout epochs): numba's
#: fallback "workqueue" threading layer aborts the process when two threads launch parallel
#: kernels at once (e.g. the engine's worker and a synchronous ``Table.project`` call).
NUMBA_LOCK = threading.RLock()
_POLL_S = 0.05
#: Seconds between two ticks of :func:`run_aside` (the status is never silent for longer).
TICK_S = 1.0
#: What holds NUMBA_LOCK in a :func:`run_aside` thread, for the status of a job waiting for it.
_aside_holder: str | None = None
_imports_lock = threading.Lock()  # not _lock: that one is held for the whole of import_umap
_imports: dict[str, _Import] = {}


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


class _Import:
    """One run of an importer in its own daemon thread, with the error it raised, if any."""

    def __init__(self, importer: Callable[[], ModuleType]) -> None:
        self.error: BaseException | None = None
        self.thread = threading.Thread(
            target=self._run, args=(importer,), name=f"ew-{importer.__name__}", daemon=True
        )
        self.thread.start()

    def _run(self, importer: Callable[[], ModuleType]) -> None:
        try:
            importer()
        except BaseException as error:  # handed to every job waiting for this import
            self.error = error


def wait_for_import(
    importer: Callable[[], ModuleType],
    check: Callable[[], None],
    announce: Callable[[], None] | None = None,
) -> None:
    """Run ``importer`` once, in its own thread, and wait for it while calling ``check``.

    An import cannot be interrupted (``import umap``: ~0.7 s, ~14 s in a machine's first kernel).
    Waiting for it here instead of importing on the engine's worker lets a superseded job give
    up the worker at once (``check`` raises Cancelled), so e.g. a switch to PCA answers while
    umap still loads. An import error is raised to every job that waited for that attempt; the
    next call tries again. ``announce`` is called once if the import is not done yet (the
    status then says why nothing moves).
    """
    with _imports_lock:
        job = _imports.get(importer.__name__)
        if job is None or (job.error is not None and not job.thread.is_alive()):
            job = _imports[importer.__name__] = _Import(importer)
    if job.thread.is_alive() and announce is not None:
        announce()
    while job.thread.is_alive():
        check()
        job.thread.join(_POLL_S)
    if job.error is not None:
        raise job.error


@contextlib.contextmanager
def numba_section(
    check: Callable[[], None], announce: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold :data:`NUMBA_LOCK`, calling ``check`` while another thread holds it (e.g. the
    warm-up compiling umap), so a superseded job does not queue behind it; ``announce`` is
    called once, with what it waits for, if it has to wait."""
    if not NUMBA_LOCK.acquire(blocking=False):
        if announce is not None:
            announce(_aside_holder or COMPILING_UMAP)
        while not NUMBA_LOCK.acquire(timeout=_POLL_S):
            check()
    try:
        yield
    finally:
        NUMBA_LOCK.release()


def run_aside(
    fn: Callable[[], T], check: Callable[[], None], tick: Callable[[float], None], holder: str
) -> T:
    """Run ``fn``, a long numba call that reports nothing (pynndescent's NN-descent: ~90 s at
    200k x 768), in its own thread holding :data:`NUMBA_LOCK`, and wait for it here, calling
    ``check`` and ``tick(seconds since the start)`` every :data:`TICK_S`.

    A superseded job (``check`` raises) gives up the wait at once, so the next request starts;
    ``fn`` itself cannot be stopped and finishes in the background, its result dropped. Numba
    work waiting for it meanwhile says so with ``holder``.
    """
    done = threading.Event()
    outcome: dict[str, Any] = {}

    def work() -> None:
        global _aside_holder
        with NUMBA_LOCK:
            _aside_holder = holder
            try:
                outcome["value"] = fn()
            except BaseException as error:  # raised in the waiting thread
                outcome["error"] = error
            finally:
                _aside_holder = None
                done.set()

    threading.Thread(target=work, name="ew-numba-aside", daemon=True).start()
    start = time.perf_counter()
    while not done.wait(TICK_S):
        check()
        tick(time.perf_counter() - start)
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value
