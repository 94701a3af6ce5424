"""ProjectionEngine: one worker thread that ends when idle; per channel, the latest request wins."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .projector import Projector
from .result import Cancelled, FrameFn, ProgressFn, ProjectionResult, Reporter

log = logging.getLogger(__name__)
DoneFn = Callable[[ProjectionResult], None]
ErrorFn = Callable[[BaseException], None]
_EVERY = object()  # wait(): for every channel


@dataclass
class _Job:
    id: int
    channel: Hashable
    key: Hashable
    matrix: np.ndarray
    algorithm: str
    params: Mapping[str, object]
    on_progress: ProgressFn | None
    on_frame: FrameFn | None
    on_done: DoneFn | None
    on_error: ErrorFn | None
    #: run instead of the projector's ``project`` (e.g. placing new rows into a layout)
    task: Callable[[Reporter], ProjectionResult] | None = None
    #: a task's finished parts (``Reporter.part``), delivered as the other callbacks
    on_part: Callable[[Any], None] | None = None


class ProjectionEngine:
    """Runs :meth:`Projector.project` in a background thread; per channel, a newer request wins.

    Each channel (e.g. one per view) has at most one job: a submit supersedes that channel's
    queued or running job, which is cancelled cooperatively (``should_stop``) and whose result,
    if it still finishes, is dropped. Jobs of different channels run one after the other, in the
    order submitted. The worker thread ends when nothing is queued (an idle engine holds no
    thread) and starts again on the next submit.

    Callbacks run on the worker thread. Once :meth:`submit` or :meth:`cancel` returns, no callback
    of an older job of that channel is called any more. Callbacks should be quick; an exception
    raised by a callback is logged, not propagated. Callbacks may call :meth:`submit`.

    Parameters
    ----------
    projector
        The Projector whose caches the jobs use (a new one by default).
    """

    def __init__(self, projector: Projector | None = None) -> None:
        self.projector = projector if projector is not None else Projector()
        self._cv = threading.Condition()
        # held while a callback runs and while submit() bumps a job id: this is what makes
        # "no old callback after submit returns" hold
        self._deliver = threading.RLock()
        self._ids = 0
        self._latest: dict[Hashable, int] = {}
        self._pending: OrderedDict[Hashable, _Job] = OrderedDict()
        self._running: _Job | None = None
        self._closed = False
        self._thread: threading.Thread | None = None

    def submit(
        self,
        key: Hashable,
        matrix: np.ndarray,
        algorithm: str,
        params: Mapping[str, object],
        *,
        channel: Hashable = None,
        on_progress: ProgressFn | None = None,
        on_frame: FrameFn | None = None,
        on_done: DoneFn | None = None,
        on_error: ErrorFn | None = None,
        task: Callable[[Reporter], ProjectionResult] | None = None,
        on_part: Callable[[Any], None] | None = None,
    ) -> int:
        """Queue a projection (or ``task``, given a reporter of progress, frames, parts and
        cancellation), superseding the channel's queued or running one; returns its id."""
        with self._deliver, self._cv:
            if self._closed:
                raise RuntimeError("this ProjectionEngine was shut down")
            self._ids += 1
            job = _Job(
                self._ids, channel, key, matrix, algorithm, dict(params),
                on_progress, on_frame, on_done, on_error, task, on_part,
            )  # fmt: skip
            self._latest[channel] = job.id
            self._pending.pop(channel, None)
            self._pending[channel] = job
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="embed_widget-projection", daemon=True
                )
                self._thread.start()
            self._cv.notify_all()
            return job.id

    def cancel(self, channel: Hashable = None) -> None:
        """Drop the channel's queued job and stop its running one (its result never lands)."""
        with self._deliver, self._cv:
            self._latest.pop(channel, None)  # (nor does the engine hold the channel any more)
            self._pending.pop(channel, None)
            self._cv.notify_all()

    def wait(self, timeout: float | None = None, channel: Hashable = _EVERY) -> bool:
        """Block until no job (of ``channel``, if given) is queued or running; False on timeout."""

        def idle() -> bool:
            running = self._running
            if channel is _EVERY:
                return not self._pending and running is None
            return channel not in self._pending and (running is None or running.channel != channel)

        with self._cv:
            return self._cv.wait_for(idle, timeout)

    def shutdown(self) -> None:
        """Cancel every job and stop the worker thread; the engine takes no more jobs."""
        with self._deliver, self._cv:
            self._closed = True
            self._pending.clear()
            self._cv.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    @property
    def latest_job(self) -> int:
        """Id of the most recently submitted job."""
        return self._ids

    @property
    def busy(self) -> bool:
        """Whether a worker thread is alive (it ends once nothing is queued)."""
        return self._thread is not None

    def _stale(self, job: _Job) -> bool:
        return self._closed or job.id != self._latest.get(job.channel)

    def _deliver_to(self, job: _Job, callback: Callable[..., None] | None, *args: Any) -> None:
        if callback is None:
            return
        with self._deliver:
            if self._stale(job):
                return
            try:
                callback(*args)
            except Exception:
                log.exception("embed_widget projection callback %r failed", callback)

    def _work(self) -> None:
        while True:
            with self._cv:
                if self._closed or not self._pending:
                    self._running = None
                    self._thread = None  # the next submit starts a new worker
                    self._cv.notify_all()
                    return
                _, job = self._pending.popitem(last=False)
                self._running = job
            self._run(job)
            with self._deliver, self._cv:
                self._running = None
                if self._latest.get(job.channel) == job.id:
                    del self._latest[job.channel]  # done: nothing of the channel is kept
                self._cv.notify_all()

    def _run(self, job: _Job) -> None:
        progress = lambda f, p: self._deliver_to(job, job.on_progress, f, p)  # noqa: E731
        try:
            if job.task is not None:
                frame = lambda c: self._deliver_to(job, job.on_frame, c)  # noqa: E731
                rep = Reporter(
                    progress, frame if job.on_frame is not None else None,
                    lambda: self._stale(job),
                    on_part=lambda part: self._deliver_to(job, job.on_part, part),
                )  # fmt: skip
                result = job.task(rep)
            else:
                result = self.projector.project(
                    job.key, job.matrix, job.algorithm, job.params,
                    on_progress=progress,
                    on_frame=lambda c: self._deliver_to(job, job.on_frame, c),
                    should_stop=lambda: self._stale(job),
                )  # fmt: skip
        except Cancelled:
            return
        except Exception as exc:
            if job.on_error is None:
                log.exception("embed_widget projection job %d failed", job.id)
            self._deliver_to(job, job.on_error, exc)
            return
        self._deliver_to(job, job.on_done, result)


def warm_up() -> None:
    """Compile (or load from numba's disk cache) the UMAP epoch kernel of layouts up to 10k rows
    and import openTSNE, so the first such UMAP or t-SNE waits for neither (a larger UMAP loads
    its parallel kernel in the background while its neighbours are found).

    Meant to run in a background thread as soon as a table exists: ~1 s of one core on a
    machine that never ran it, ~0.1 s once numba's cache is filled. (It keeps the normal
    priority: a niced thread holding the GIL would make the kernel's main thread wait for it.)
    """
    from ._lazy import import_layout_kernel, import_opentsne, wait_for_import

    wait_for_import(import_layout_kernel, lambda: None)
    import_opentsne()


_warm_up_thread: threading.Thread | None = None
#: The warm-up waits this long first: a table made and shown in one cell paints before the
#: warm-up's imports take the GIL (measured at 100k points: first paint 1.19 s with the warm-up
#: at once, 0.97 s without it). A UMAP asked for sooner loads the kernel itself.
WARM_UP_DELAY_S = 2.0


def warm_up_in_background() -> threading.Thread | None:
    """Start :func:`warm_up` in a daemon thread, once per process; returns that thread.

    ``EMBED_WIDGET_WARM_UP=0`` in the environment turns it off (None is returned).
    """
    global _warm_up_thread
    if os.environ.get("EMBED_WIDGET_WARM_UP", "1") == "0":
        return None
    if _warm_up_thread is None:

        def run() -> None:
            time.sleep(WARM_UP_DELAY_S)
            try:
                warm_up()
            except Exception:  # a failed warm-up only means the first real fit pays the JIT
                log.exception("embed_widget warm-up failed")

        _warm_up_thread = threading.Thread(target=run, name="embed_widget-warm-up", daemon=True)
        _warm_up_thread.start()
    return _warm_up_thread
