"""Search a table's text and categorical columns: a case-insensitive substring, or a regular
expression written between slashes (``/^log.*error$/``, RE2 syntax).

Matching runs in pyarrow's compute kernels on the column lowered once per data version, so a
keystroke costs one vectorised pass (~70 ms at 1M short strings here, against ~300 ms for
``Series.str.contains`` on the same strings).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from .table import Table

#: Column kinds a search looks in when no column is named.
SEARCHABLE = ("text", "categorical")


@dataclass(frozen=True)
class Query:
    """What the user typed: a substring, or a regular expression between slashes."""

    pattern: str
    regex: bool

    @classmethod
    def parse(cls, text: str) -> Query:
        if len(text) >= 2 and text.startswith("/") and text.endswith("/"):
            return cls(text[1:-1], True)
        return cls(text, False)


def check_query(text: str) -> None:
    """Raise ``ValueError`` naming the problem if ``text`` is a regular expression RE2 rejects."""
    query = Query.parse(text)
    if not query.regex:
        return
    try:
        pc.match_substring_regex(pa.array([""]), query.pattern, ignore_case=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise ValueError(f"search {text!r} is not a valid regular expression: {error}") from None


def searchable_columns(kinds: dict[str, str]) -> list[str]:
    """The columns a search without a column looks in."""
    return [name for name, kind in kinds.items() if kind in SEARCHABLE]


class TextSearch:
    """Finds the rows of one table whose text matches a query.

    Each searched column is kept lowered as an Arrow array for the table's current data version:
    the first search of a column pays the conversion (~0.5 s at 1M rows), later ones do not.
    """

    def __init__(self, table: Table) -> None:
        self._table = table
        self._lowered: dict[str, tuple[int, pa.Array]] = {}

    def match(self, text: str, columns: Sequence[str] | None = None) -> np.ndarray[Any, Any]:
        """Sorted uint32 indices of the rows matching ``text`` in any of ``columns`` (default:
        every text and categorical column). An empty ``text`` matches nothing."""
        check_query(text)
        query = Query.parse(text)
        names = searchable_columns(self._table.column_kinds) if columns is None else columns
        hit = np.zeros(len(self._table), dtype=bool)
        if not query.pattern:
            return np.flatnonzero(hit).astype(np.uint32)
        for name in names:
            lowered = self._column(name)
            if query.regex:
                found = pc.match_substring_regex(lowered, query.pattern, ignore_case=True)
            else:  # RE2 on an escaped literal: steadier than match_substring (~75 ms at 1M)
                found = pc.match_substring_regex(lowered, re.escape(query.pattern.lower()))
            hit |= found.fill_null(False).to_numpy(zero_copy_only=False)
        return np.flatnonzero(hit).astype(np.uint32)

    def _column(self, name: str) -> pa.Array:
        version = self._table.version
        cached = self._lowered.get(name)
        if cached is not None and cached[0] == version:
            return cached[1]
        values = self._table.get_column(name, convert_to="numpy")
        try:
            strings = pa.array(values, type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # bools, or a mix: as the tooltip shows them
            strings = pa.array([None if v is None else str(v) for v in values], type=pa.string())
        lowered = pc.utf8_lower(strings)
        self._lowered = {n: c for n, c in self._lowered.items() if c[0] == version}
        self._lowered[name] = (version, lowered)
        return lowered
