"""Coalesce bursts of calls into one, run from a timer thread."""

from __future__ import annotations

import threading
from collections.abc import Callable


class Debounced:
    """Call ``fn`` in a timer thread once ``delay`` seconds pass without another ``call()``."""

    def __init__(self, fn: Callable[[], None], delay: float) -> None:
        self._fn, self._delay = fn, delay
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def call(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self._delay, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def flush(self) -> None:
        """Run a pending call now, in this thread."""
        if self.cancel():
            self._fn()

    def cancel(self) -> bool:
        """Drop a pending call; True if there was one."""
        with self._lock:
            pending, self._timer = self._timer, None
        if pending is None:
            return False
        pending.cancel()
        return True

    def _fire(self) -> None:
        with self._lock:
            self._timer = None
        self._fn()
