"""The shown layout's projection quality, computed in the background after each final layout.

Unasked only when it is cheap (the projection's own neighbour graph is cached, or the table is
small enough for an exact search); always once the user colours by it. A newer layout supersedes
an older computation: its result is dropped.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np

from ..projection.quality import Quality
from ..session.subset import Rows, expand
from .encodings import continuous_colors, no_colors
from .protocol import Colors, ColumnInfo, Status

if TYPE_CHECKING:
    from ..session import LiveProjection

#: The colour choice that paints each point by the share of its neighbours the layout kept.
QUALITY_COLUMN = "projection quality"
#: Neighbours compared per row.
QUALITY_K = 10

log = logging.getLogger(__name__)
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _trim_heap() -> None:
    """Give the job's freed temporaries back to the OS (glibc keeps them in its heaps otherwise:
    the digits re-run 20 times grew by ~20 MB more); nothing where glibc is not the allocator."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _worker() -> ThreadPoolExecutor:
    """One thread for every view's quality jobs, kept once started: a new thread per job left
    its allocations in a new malloc arena each time (+60 MB over 20 re-runs of the digits)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ew-quality")
        return _pool


class LayoutQuality:
    """The latest layout's quality for one view; ``on_ready(seq)`` runs (on a background
    thread) when the quality of layout ``seq`` is known."""

    def __init__(self, on_ready: Callable[[int], None]) -> None:
        self._on_ready = on_ready
        self._lock = threading.Lock()
        self._wanted_seq = -1
        self.current: Quality | None = None
        self.seq = -1
        self._job: Future[None] | None = None
        self._rows: Rows | None = None  # the subset measured
        self._n_rows = 0

    def layout_done(self, live: LiveProjection, seq: int, asked: bool) -> None:
        """Layout ``seq`` is final: compute its quality aside if cheap or ``asked``."""
        result, embedding, rows = live.result, list(live.result_embedding), live.result_rows
        with self._lock:
            self._wanted_seq = seq
            self.current, self.seq = None, -1
        if result is None or len(result.coords) < 3:
            return
        if not (asked or live.session.quality_is_cheap(result, embedding, QUALITY_K)):
            return

        def compute() -> None:
            if not live.shown or seq != self._wanted_seq:
                return  # hidden (its matrix freed) or superseded while queued
            try:
                quality = live.session.quality(result, embedding, QUALITY_K, rows)
            except Exception:  # the table changed under it, or the view closed: nothing to show
                log.debug("projection quality not computed", exc_info=True)
                return
            finally:
                _trim_heap()
            with self._lock:
                if seq != self._wanted_seq:
                    return  # a newer layout came
                self.current, self.seq = quality, seq
                self._rows, self._n_rows = rows, len(live.session.table)
            self._on_ready(seq)

        self._job = _worker().submit(compute)

    def close(self, timeout: float = 10.0) -> None:
        """Drop any result still coming and let a running computation end (it holds the view)."""
        with self._lock:
            self._wanted_seq = -1
            self.current, self.seq = None, -1
        if self._job is not None:
            with contextlib.suppress(Exception):
                self._job.result(timeout)

    def ask(self, live: LiveProjection, layout: Mapping[str, Any]) -> None:
        """The user wants the quality (colours by it): compute it for the final layout shown."""
        if self.current is None and layout.get("final") and not layout.get("preview"):
            self.layout_done(live, int(layout["seq"]), asked=True)

    def annotate(self, status: Status) -> Status:
        """``status`` with the quality figure, when it is the status of the layout measured."""
        quality = self.current
        if status.get("state") == "done" and quality and self.seq == status.get("seq"):
            return {**status, "quality": quality.mean_preserved}
        return status

    def colors(self, scale: str) -> Colors:
        """The colour encoding of the quality (no colours until it is known)."""
        quality = self.current
        if quality is None:
            return no_colors()
        per_row = expand(quality.preserved[:, None], self._rows, self._n_rows, np.nan)[:, 0]
        return continuous_colors(QUALITY_COLUMN, per_row, scale)


def with_quality(columns: list[ColumnInfo]) -> list[ColumnInfo]:
    """The colour choices' columns plus the projection quality (unless a column has its name)."""
    if any(c["name"] == QUALITY_COLUMN for c in columns):
        return columns
    return [*columns, {"name": QUALITY_COLUMN, "kind": "numeric", "roles": ["color"]}]
