"""Colour encodings for the scatter: category codes or continuous values, as bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .table import Table

#: The palette has this many distinguishable colours; rarer categories share an "other" colour.
MAX_CATEGORIES = 20
OTHER_LABEL = "(other)"
COLORABLE_KINDS = ("categorical", "numeric", "text")


def color_encoding(table: Table, column: str | None) -> dict[str, Any]:
    """Encode ``column`` for colouring: the ``_colors`` trait's value.

    Categorical and text columns become uint8 codes with their labels and counts (at most
    ``MAX_CATEGORIES``, the most frequent kept, the rest lumped into "(other)"); numeric columns
    become float32 values with their finite min and max.
    """
    if column is None:
        return {"kind": "none", "column": None}
    kinds = table.column_kinds
    if column not in kinds:
        raise ValueError(f"color_by: no column {column!r}; columns are {list(kinds)}")
    kind = kinds[column]
    if kind not in COLORABLE_KINDS:
        colorable = [name for name, k in kinds.items() if k in COLORABLE_KINDS]
        raise ValueError(
            f"color_by: column {column!r} holds {kind} cells, which cannot colour points; "
            f"choose one of {colorable} or None"
        )
    if kind == "numeric":
        return _continuous(column, table.numeric_values(column))
    codes, labels, counts = table.category_codes(column)
    return _categorical(column, np.asarray(codes), list(labels), list(counts))


def _continuous(column: str, values: np.ndarray) -> dict[str, Any]:
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
    }


def _categorical(
    column: str, codes: np.ndarray, labels: list[str], counts: list[int]
) -> dict[str, Any]:
    if len(labels) > MAX_CATEGORIES:
        codes, labels, counts = _lump_rare(codes, labels, counts)
    return {
        "kind": "categorical",
        "column": column,
        "codes": np.ascontiguousarray(codes, dtype=np.uint8).tobytes(),
        "categories": labels,
        "counts": [int(c) for c in counts],
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
