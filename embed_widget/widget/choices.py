"""Choices: which settings of a view the user chose, and which algorithm its params belong to.

A view's settings follow the table's smart defaults until the user sets them (from Python or in
the widget). Parameters set together with an algorithm (``hold_trait_notifications``, or one
message from the controls) belong to that algorithm even though traitlets reports the algorithm
change first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any


class Choices:
    def __init__(self) -> None:
        self.chosen: set[str] = set()
        self._defaulting = False
        self._params_unseen = False  # params validated but not yet observed
        self._seen_params: dict[str, Any] = {}
        self._params_for = ""  # the algorithm they were observed under

    @contextlib.contextmanager
    def defaulting(self) -> Iterator[None]:
        """Settings made inside are defaults, not the user's choices."""
        self._defaulting = True
        try:
            yield
        finally:
            self._defaulting = False

    def chose(self, name: str) -> None:
        """The user set ``name``: it no longer follows the defaults."""
        if not self._defaulting:
            self.chosen.add(name)

    def unchosen(self, defaults: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
        """The defaults that differ from ``current`` for settings the user did not choose."""
        return {k: v for k, v in defaults.items() if k not in self.chosen and current[k] != v}

    def params_validated(self, params: Mapping[str, Any]) -> None:
        """New params passed validation; the observer has not seen them yet."""
        if params != self._seen_params:
            self._params_unseen = True

    def params_seen(self, params: Mapping[str, Any], algorithm: str) -> None:
        """The observer saw ``params``, set while ``algorithm`` was the algorithm."""
        self._params_unseen = False
        self._seen_params, self._params_for = dict(params), algorithm

    def params_came_with(self, algorithm: str) -> bool:
        """Whether the current params were set together with a switch to ``algorithm``."""
        return self._params_unseen or self._params_for == algorithm
