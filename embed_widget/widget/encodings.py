"""Colour encodings for the scatter: category codes or continuous values, as bytes, with the
palette that draws them (the frontend restates no colour rule)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from .protocol import CategoricalColors, Colors, ColumnInfo, ContinuousColors, NoColors, Role

if TYPE_CHECKING:
    from ..data import Table

#: Tableau 10 followed by its lighter partners: 20 colours, the first ten the most distinct.
CATEGORICAL = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#a0cbe8", "#ffbe7d", "#ff9d9a", "#8cd17d", "#86bcb6", "#f1ce63",
    "#d4a6c8", "#fabfd2", "#d37295", "#79706e",
]  # fmt: skip
#: Viridis at 9 stops; the frontend interpolates between them.
VIRIDIS = [
    "#440154", "#472c7a", "#3b518b", "#2c718e", "#21908d", "#27ad81", "#5cc863", "#aadc32",
    "#fde725",
]  # fmt: skip
#: Colour of the points when no column colours them.
DEFAULT_POINT = "#4e79a7"
#: The palette has this many distinguishable colours; rarer categories share an "other" colour.
MAX_CATEGORIES = len(CATEGORICAL)
OTHER_LABEL = "(other)"
#: What each kind of column can be used for.
ROLES: dict[str, list[Role]] = {
    "embedding": ["embedding"],
    "numeric": ["embedding", "color"],
    "categorical": ["color"],
    "text": [],  # mostly unique strings: a legend of them would mean nothing
    "image": ["image"],
}


def column_infos(kinds: Mapping[str, str]) -> list[ColumnInfo]:
    """The ``_columns`` trait: each column with its kind and roles."""
    return [{"name": n, "kind": k, "roles": list(ROLES.get(k, []))} for n, k in kinds.items()]


def color_encoding(table: Table, column: str | None) -> Colors:
    """Encode ``column`` for colouring: the ``_colors`` trait's value.

    Categorical and text columns become uint8 codes with their labels and counts (at most
    ``MAX_CATEGORIES``, the most frequent kept, the rest lumped into "(other)"); numeric columns
    become float32 values with their finite min and max.
    """
    if column is None:
        return no_colors()
    kinds = table.column_kinds
    if column not in kinds:
        raise ValueError(f"color_by: no column {column!r}; columns are {list(kinds)}")
    kind = kinds[column]
    if "color" not in ROLES.get(kind, []):
        colorable = [name for name, k in kinds.items() if "color" in ROLES.get(k, [])]
        raise ValueError(
            f"color_by: column {column!r} holds {kind} cells, which cannot colour points; "
            f"choose one of {colorable} or None"
        )
    if kind == "numeric":
        return _continuous(column, table.numeric_values(column))
    codes, labels, counts = table.category_codes(column)
    return _categorical(column, np.asarray(codes), list(labels), list(counts))


class LastEncoding:
    """The last colour encoding made, reused while the table and the column stay the same."""

    def __init__(self) -> None:
        self._last: tuple[tuple[int, str | None], Colors] | None = None

    def encode(self, table: Table, column: str | None) -> Colors:
        key = (table.version, column)
        if self._last is None or self._last[0] != key:
            self._last = (key, color_encoding(table, column))
        return self._last[1]


def no_colors() -> NoColors:
    return {"kind": "none", "column": None, "color": DEFAULT_POINT}


def _continuous(column: str, values: np.ndarray) -> ContinuousColors:
    values = np.ascontiguousarray(values, dtype=np.float32)
    finite = values[np.isfinite(values)]
    low = float(finite.min()) if finite.size else 0.0
    high = float(finite.max()) if finite.size else 1.0
    return {
        "kind": "continuous",
        "column": column,
        "values": values.tobytes(),
        "min": low,
        "max": high,
        "colormap": list(VIRIDIS),
    }


def _categorical(
    column: str, codes: np.ndarray, labels: list[str], counts: list[int]
) -> CategoricalColors:
    if len(labels) > MAX_CATEGORIES:
        codes, labels, counts = _lump_rare(codes, labels, counts)
    return {
        "kind": "categorical",
        "column": column,
        "codes": np.ascontiguousarray(codes, dtype=np.uint8).tobytes(),
        "categories": labels,
        "counts": [int(c) for c in counts],
        "palette": CATEGORICAL[: len(labels)],
    }


def _lump_rare(
    codes: np.ndarray, labels: list[str], counts: list[int]
) -> tuple[np.ndarray, list[str], list[int]]:
    """Keep the MAX_CATEGORIES - 1 most frequent categories (in their order); the rest share one."""
    keep = sorted(np.argsort(-np.asarray(counts), kind="stable")[: MAX_CATEGORIES - 1])
    remap = np.full(len(labels), len(keep), dtype=np.uint8)
    remap[keep] = np.arange(len(keep), dtype=np.uint8)
    new_codes = remap[codes]
    kept_counts = [int(counts[i]) for i in keep]
    other = int(sum(counts)) - sum(kept_counts)
    return new_codes, [labels[i] for i in keep] + [OTHER_LABEL], [*kept_counts, other]
