"""What a column is for (an embedding, numbers, categories, free text, images), from its cells."""

from __future__ import annotations

from typing import Literal

from .columns import Column

Kind = Literal["embedding", "numeric", "categorical", "text", "image"]

#: A str column is "text" (not categorical) past this many distinct values *and* when more than
#: half its rows are distinct: labels repeat, free text does not.
TEXT_MIN_DISTINCT = 50


def n_distinct(col: Column) -> int:
    """Distinct non-missing values in a 1-D column."""
    return len(col.factorized()[1])


def column_kind(col: Column) -> Kind:
    """What the column is for: an embedding, a numeric value, categories, free text or images."""
    if col.type == "vector":
        return "embedding"
    if col.type == "image":
        return "image"
    if col.type == "number":
        return "numeric"
    if col.type == "str":
        distinct = n_distinct(col)
        if distinct > TEXT_MIN_DISTINCT and distinct > len(col.values) / 2:
            return "text"
    return "categorical"
