"""Result type, cancellation and the throttled progress/frame reporter shared by the algorithms."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
ProgressFn = Callable[[float, str], None]
FrameFn = Callable[[np.ndarray], None]
StopFn = Callable[[], bool]

#: Seconds between two progress reports while a phase runs (the contract is <= 0.5 s).
PROGRESS_INTERVAL = 0.2
#: Seconds between two streamed layouts (at most ~10 per second).
FRAME_INTERVAL = 0.1
#: ... and at least this many seconds per point: each frame costs the browser a draw (~0.75 s per
#: million points in software WebGL) on the cores the computation runs on. At 100k points every
#: UMAP epoch went out (0.2 s apart) and the final layout came 1.4x later than plain umap's.
FRAME_SECONDS_PER_POINT = 2e-5
#: ... but never further apart than this.
FRAME_INTERVAL_MAX = 10.0


class Cancelled(Exception):
    """Raised inside a projection when its ``should_stop`` callback turned True."""


@dataclass(frozen=True)
class ProjectionResult:
    """Coordinates of one projection and how they were obtained.

    Attributes
    ----------
    coords
        float32 (N, 2), C-contiguous, finite, read-only (a cache may share it).
    algorithm
        ``"pca"``, ``"umap"`` or ``"tsne"``.
    params
        Every parameter of the algorithm: defaults filled, values clamped to the data.
    notices
        Notes on clamped parameters, e.g. ``"n_neighbors clamped from 200 to 99 (only 100 rows)"``.
    info
        JSON-serialisable extras: ``explained_variance_ratio`` (PCA), ``reused`` (cached stages),
        ``timings`` (seconds per phase), ``cached`` (True when served from the result cache).
    seconds
        Wall time of the call that produced this object.
    """

    coords: F32
    algorithm: str
    params: dict[str, Any]
    notices: list[str] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


class Reporter:
    """Throttles progress and frame callbacks and turns ``should_stop`` into :class:`Cancelled`."""

    def __init__(
        self,
        on_progress: ProgressFn | None = None,
        on_frame: FrameFn | None = None,
        should_stop: StopFn | None = None,
        *,
        start: np.ndarray | None = None,
        on_part: Callable[[Any], None] | None = None,
    ) -> None:
        #: a layout to start from instead of a fresh one (steps: the previous step's)
        self.start = start
        self._on_part = on_part
        self._on_progress = on_progress
        self._on_frame = on_frame
        self._should_stop = should_stop
        self._last_progress = -1.0
        self._fraction = 0.0
        self._last_frame = -1.0
        self.timings: dict[str, float] = {}
        self.reused: list[str] = []  # stages served from the cache, for ``info["reused"]``
        self.warm_start = False  # the layout continued from the previous one (start="previous")
        #: said after every phase while it applies (e.g. that a preview is what is shown)
        self.phase_note = ""

    @property
    def wants_frames(self) -> bool:
        return self._on_frame is not None

    def stopping(self) -> bool:
        """Whether the caller asked to stop."""
        return self._should_stop is not None and self._should_stop()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the caller asked to stop."""
        if self._should_stop is not None and self._should_stop():
            raise Cancelled

    def progress(self, fraction: float, phase: str, *, force: bool = False) -> None:
        """Report progress (throttled unless ``force``) and check for cancellation."""
        self.check()
        self._fraction = float(fraction)
        if self._on_progress is None:
            return
        now = time.perf_counter()
        if force or now - self._last_progress >= PROGRESS_INTERVAL:
            self._last_progress = now
            self._on_progress(min(max(float(fraction), 0.0), 1.0), phase + self.phase_note)

    def frame(self, coords: np.ndarray, *, force: bool = False) -> None:
        """Stream an intermediate layout (a float32 copy), at most one per `frame_interval`."""
        if self._on_frame is None:
            return
        now = time.perf_counter()
        if force or now - self._last_frame >= frame_interval(len(coords)):
            self._last_frame = now
            self._on_frame(as_coords(coords))

    def part(self, value: Any) -> None:
        """Hand over a finished part of a task's work (a step's layout) as soon as it is done."""
        self.check()
        if self._on_part is not None:
            self._on_part(value)

    def announcer(self, phase: str) -> Callable[[], None]:
        """A callback that reports ``phase`` at the current progress (for waits that cannot
        report progress themselves: an import, another thread's compilation)."""
        return lambda: self.announce(phase)

    def announce(self, phase: str) -> None:
        """Report ``phase`` now, at the current progress."""
        self.progress(self._fraction, phase, force=True)

    def continue_from_previous(self) -> None:
        """The layout starts from the last one returned (``start="previous"``)."""
        self.warm_start = True
        self.reused.append("previous layout")

    def timed(self, phase: str, seconds: float) -> None:
        self.timings[phase] = round(self.timings.get(phase, 0.0) + seconds, 6)


def frame_interval(n_points: int) -> float:
    """Seconds between streamed frames of ``n_points``: 0.1 up to 5,000 points, 2 at 100k."""
    return min(FRAME_INTERVAL_MAX, max(FRAME_INTERVAL, n_points * FRAME_SECONDS_PER_POINT))


def as_coords(coords: np.ndarray) -> F32:
    """Return a float32 C-contiguous (N, 2) copy of ``coords``."""
    return np.array(coords[:, :2], dtype=np.float32, order="C", copy=True)
