"""Category codes for colouring a column: natural label order, a "(missing)" category."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from .columns import Array, Column

MISSING_LABEL = "(missing)"
MAX_CODES = 65535  # uint16 codes


def natural_key(label: str) -> tuple[Any, ...]:
    """Sort key that compares digit runs as numbers: "2" < "10", "item 9" < "item 10"."""
    parts = re.split(r"(\d+)", label)
    return (*((int(p) if i % 2 else p) for i, p in enumerate(parts)), label)


def sort_labels(labels: list[str]) -> list[int]:
    """Order of ``labels``: numerically when they all read as numbers, else naturally."""
    try:
        numbers = [float(s) for s in labels]
    except ValueError:
        return sorted(range(len(labels)), key=lambda i: natural_key(labels[i]))
    return sorted(range(len(labels)), key=lambda i: (numbers[i], labels[i]))


def category_codes(col: Column) -> tuple[Array, list[str], list[int]]:
    """(codes, labels, counts) for a flushed number, bool, str or empty column."""
    if col.type in ("vector", "image"):
        raise TypeError(
            f"column {col.name!r} holds {col.type}s, which have no categories; "
            "accepted: categorical, text or numeric columns"
        )
    missing = col.missing_mask()
    codes, uniques = col.factorized()
    labels = [_label(u) for u in uniques]
    if len(labels) + int(missing.any()) > MAX_CODES:
        raise ValueError(
            f"column {col.name!r} has {len(labels)} distinct values; at most {MAX_CODES} "
            "categories can be coloured; accepted: a column with fewer distinct values "
            "(or numeric_values() for a numeric column)"
        )
    order = sort_labels(labels)
    remap = np.empty(len(labels) + 1, dtype=np.int64)
    remap[order] = np.arange(len(labels))
    remap[-1] = len(labels)  # pd.factorize's -1 (missing) lands on the last slot
    labels = [labels[i] for i in order]
    if missing.any():
        labels.append(MISSING_LABEL)
    dtype = np.uint8 if len(labels) <= 255 else np.uint16
    out = remap[codes].astype(dtype)
    counts = np.bincount(out, minlength=len(labels)).tolist()
    return out, labels, [int(c) for c in counts]


def _label(value: object) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    return str(value)
