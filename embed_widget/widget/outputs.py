"""Outputs: how many frontend views show a widget now, and what to do when the last one goes."""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..session.debounce import Debounced

#: A widget whose outputs are all gone this long (cell re-run or cleared) is hidden; the delay
#: lets an output that is only re-attached (a moved cell) keep its work.
HIDE_DELAY_S = 2.0


class Outputs:
    """Counts the frontend views of a widget from their ``{"type": "output", "shown": bool}``
    messages; calls ``on_hidden`` once none is left for ``HIDE_DELAY_S`` seconds, and
    ``on_shown`` when one appears after that."""

    def __init__(self, on_hidden: Callable[[], None], on_shown: Callable[[], None]) -> None:
        self._count = 0
        self._hidden = False
        self._lock = threading.Lock()
        self._on_hidden, self._on_shown = on_hidden, on_shown
        self._timer = Debounced(self._hide, HIDE_DELAY_S)

    def changed(self, shown: bool) -> None:
        """A view was rendered (``shown``) or disposed."""
        with self._lock:
            self._count = max(0, self._count + (1 if shown else -1))
            count, was_hidden = self._count, self._hidden
            if count:
                self._hidden = False
        if count:
            self._timer.cancel()
            if was_hidden:
                self._on_shown()
        else:
            self._timer.call()

    def cancel(self) -> None:
        self._timer.cancel()

    def _hide(self) -> None:
        with self._lock:
            if self._count:
                return
            self._hidden = True
        self._on_hidden()
