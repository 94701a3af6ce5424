"""Lazy, interruptible imports: our UMAP epoch kernel (numba) and openTSNE.

The UMAP kernels (:mod:`.umap_sgd`) are compiled with ``cache=True``: the first kernel on a
machine compiles them (~2 s each here), later kernels load them from numba's disk cache
(``__pycache__`` next to the module, or the user cache dir when that is read-only, or
``NUMBA_CACHE_DIR`` when set).
umap-learn and pynndescent are not imported at all: their numba functions cost ~20 s of
compilation in a new environment and ~25 s per kernel above 20k rows.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Callable, Iterator
from types import ModuleType

#: Status phase while a job waits for another job's UMAP epochs to release numba.
WAITING_FOR_EPOCHS = "waiting for another UMAP layout's epochs"
#: Status phase while a job waits for the UMAP kernel's compilation (or its load from the cache).
COMPILING_LAYOUT = "loading UMAP's layout step (a machine's first run compiles it: a few seconds)"
#: Held around the UMAP epochs: numba's fallback "workqueue" threading layer aborts the process
#: when two threads launch parallel kernels at once (e.g. the engine's worker and a synchronous
#: ``Table.project`` call).
NUMBA_LOCK = threading.RLock()
_POLL_S = 0.05
_imports_lock = threading.Lock()
_imports: dict[str, _Import] = {}


def import_layout_kernel() -> ModuleType:
    """Import our UMAP epoch kernel: numba compiles it (~1 s) or loads it from its disk cache."""
    return importlib.import_module("embed_widget.projection.umap_sgd")


def import_parallel_layout_kernel() -> ModuleType:
    """Our UMAP kernel with its vertex-parallel epoch compiled (~1-3 s) or loaded from the cache."""
    module = import_layout_kernel()
    module.parallel_epoch()
    return module


def import_opentsne() -> ModuleType:
    """Import openTSNE (compiled with Cython: nothing to JIT)."""
    return importlib.import_module("openTSNE")


class _Import:
    """One run of an importer in its own daemon thread, with the error it raised, if any."""

    def __init__(self, importer: Callable[[], ModuleType]) -> None:
        self.error: BaseException | None = None
        self.reported = False  # the error was raised to a waiting job: the next call retries
        self.thread = threading.Thread(
            target=self._run, args=(importer,), name=f"ew-{importer.__name__}", daemon=True
        )
        self.thread.start()

    def _run(self, importer: Callable[[], ModuleType]) -> None:
        try:
            importer()
        except BaseException as error:  # handed to every job waiting for this import
            self.error = error


def start_import(importer: Callable[[], ModuleType]) -> _Import:
    """Start ``importer`` in its own thread unless it runs or ran already (a failed run whose
    error reached a job is retried); returns its run. Lets a job compile the kernel while it
    computes other steps."""
    with _imports_lock:
        job = _imports.get(importer.__name__)
        if job is None or job.reported:
            job = _imports[importer.__name__] = _Import(importer)
    return job


def wait_for_import(
    importer: Callable[[], ModuleType],
    check: Callable[[], None],
    announce: Callable[[], None] | None = None,
) -> None:
    """Run ``importer`` once, in its own thread, and wait for it while calling ``check``.

    An import cannot be interrupted (the UMAP kernel's compilation: ~1 s on a machine's first
    run). Waiting for it here instead of importing on the engine's worker lets a superseded job
    give up the worker at once (``check`` raises Cancelled), so e.g. a switch to PCA answers while
    it still compiles. An import error is raised to every job that waited for that attempt; the
    next call tries again. ``announce`` is called once if the import is not done yet (the
    status then says why nothing moves).
    """
    job = start_import(importer)
    if job.thread.is_alive() and announce is not None:
        announce()
    while job.thread.is_alive():
        check()
        job.thread.join(_POLL_S)
    if job.error is not None:
        job.reported = True
        raise job.error


@contextlib.contextmanager
def numba_section(
    check: Callable[[], None], announce: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold :data:`NUMBA_LOCK`, calling ``check`` while another thread holds it (another job's
    epochs), so a superseded job does not queue behind it; ``announce`` is called once, with
    what it waits for, if it has to wait."""
    if not NUMBA_LOCK.acquire(blocking=False):
        if announce is not None:
            announce(WAITING_FOR_EPOCHS)
        while not NUMBA_LOCK.acquire(timeout=_POLL_S):
            check()
    try:
        yield
    finally:
        NUMBA_LOCK.release()
