"""Work computed in the background after each final layout (its quality, its clusters): one
thread for all of it, and the rule that a newer layout supersedes an older job's result.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _trim_heap() -> None:
    """Give the job's freed temporaries back to the OS (glibc keeps them in its heaps otherwise:
    the digits re-run 20 times grew by ~20 MB more); nothing where glibc is not the allocator."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _worker() -> ThreadPoolExecutor:
    """One thread for every view's background jobs, kept once started: a new thread per job
    left its allocations in a new malloc arena each time (+60 MB over 20 re-runs of the digits).
    One thread, so the jobs never take both cores from the kernel and the browser."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ew-background")
        return _pool


class LatestResult(Generic[T]):
    """The result of the job for the latest layout; ``on_ready(seq)`` runs (on the background
    thread) once the result for layout ``seq`` is known. Older jobs' results are dropped."""

    def __init__(self, on_ready: Callable[[int], None]) -> None:
        self._on_ready = on_ready
        self._lock = threading.Lock()
        self._wanted_seq = -1
        self.current: T | None = None
        self.seq = -1
        self._job: Future[None] | None = None

    def expect(self, seq: int) -> bool:
        """Layout ``seq`` is the one shown now: forget the result of any other. An older layout
        than the one expected is refused (False): requests number layouts in order."""
        with self._lock:
            if seq < self._wanted_seq:
                return False
            self._wanted_seq = seq
            if self.seq != seq:
                self.current, self.seq = None, -1
            return True

    def wait_for(self, seq: int, timeout: float = 60.0) -> T | None:
        """The result for layout ``seq``, once a job running for it ends (None: none)."""
        job = self._job
        if seq == self._wanted_seq and job is not None:
            with contextlib.suppress(Exception):
                job.result(timeout)
        return self.current if self.seq == seq else None

    def submit(self, seq: int, compute: Callable[[], T | None]) -> None:
        """Compute the result of layout ``seq`` in the background (None: nothing to show)."""

        def run() -> None:
            if seq != self._wanted_seq:
                return  # superseded while queued
            try:
                value = compute()
            except Exception:  # the table changed under it, or the view closed: nothing to show
                log.debug("background job for layout %s failed", seq, exc_info=True)
                return
            finally:
                _trim_heap()
            if value is None:
                return
            with self._lock:
                if seq != self._wanted_seq:
                    return  # a newer layout came
                self.current, self.seq = value, seq
            self._on_ready(seq)

        self._job = _worker().submit(run)

    def close(self, timeout: float = 10.0) -> None:
        """Drop any result still coming and let a running job end (it holds the view)."""
        with self._lock:
            self._wanted_seq = 1 << 62  # no layout comes after a close
            self.current, self.seq = None, -1
        if self._job is not None:
            with contextlib.suppress(Exception):
                self._job.result(timeout)
