"""What a view asks for (:class:`Settings`) and what it shows (:class:`Shown`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..projection import ProjectionResult
from .subset import Rows


@dataclass(frozen=True)
class Shown:
    """A result on screen and what it was computed for: its settings, the table's version and
    how many of its rows were fitted (the others were placed)."""

    result: ProjectionResult
    settings: Settings
    version: int
    fitted: int


@dataclass(frozen=True)
class Settings:
    """What a view asks for: the algorithm, its parameters and the embedding columns."""

    algorithm: str
    params: Mapping[str, Any] = field(default_factory=dict)
    embedding: tuple[str, ...] = ()
    #: the rows to project on their own (uint32 bytes), or None for all
    subset: bytes | None = None
    #: an embedding column a training step, laid out in order (see steps.py), and the one shown
    steps: tuple[str, ...] = ()
    step: int = 0

    def key(self) -> tuple[str, str, tuple[str, ...], str | None]:
        """What is computed (with steps: every step, whichever is on screen)."""
        rows = Rows.of(self.subset)
        columns = ("steps", *self.steps) if self.steps else self.embedding
        return (self.algorithm, json.dumps(dict(self.params), sort_keys=True, default=str),
                columns, rows.digest if rows else None)  # fmt: skip
