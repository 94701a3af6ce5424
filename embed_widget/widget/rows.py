"""One row of a Table as plain text: short for the hover tooltip, in full for the details panel
(the frontend shows it as text)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..data import Image
from .protocol import RowSummary

if TYPE_CHECKING:
    from ..data import Table

#: The tooltip cuts longer text (it wraps up to this); the details panel shows all of it.
MAX_TEXT = 280


def format_cell(value: object, limit: int | None = MAX_TEXT) -> str:
    """A cell as text, cut to ``limit`` characters (None: in full)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        text = "—"
    elif isinstance(value, Image):
        text = value.caption or f"image {value.width}x{value.height}"
    elif isinstance(value, (float, np.floating)):
        text = f"{float(value):.4g}"
    elif isinstance(value, (np.ndarray, list, tuple)):
        text = f"[{len(value)}-d vector]"
    else:
        text = str(value)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


#: The tooltip shows at most this many values; a last line counts the rest.
MAX_VALUES = 12
#: Tooltip order: labels first, then numbers, then vectors and images (one line each).
_KIND_ORDER = {"categorical": 0, "text": 1, "numeric": 2, "embedding": 3, "image": 4}


def row_details(
    table: Table, index: int, first: str | None, image_column: str | None
) -> tuple[list[list[str]], bytes | None]:
    """The row's (name, text) pairs for the tooltip and its image's PNG if it has one.

    ``first`` (the colour column) leads, then labels and numbers (vectors only in the details
    panel); at most ``MAX_VALUES`` pairs, the last one saying how many columns were left out.
    """
    row, names = _ordered(table, index, first, image_column)
    kinds = table.column_kinds
    names = [name for name in names if kinds.get(name) != "embedding"]
    values = [[name, format_cell(row[name])] for name in names[:MAX_VALUES]]
    if len(names) > MAX_VALUES:
        values.append(["…", f"{len(names) - MAX_VALUES} more columns"])
    cell = row.get(image_column) if image_column else None
    return values, cell.png if isinstance(cell, Image) else None


def row_in_full(
    table: Table, index: int, first: str | None, image_column: str | None
) -> tuple[list[list[str]], bytes | None]:
    """Every (name, text) pair of the row, untruncated (vectors as ``[384-d vector]``), in the
    tooltip's order, and its image's PNG if it has one: the details panel."""
    row, names = _ordered(table, index, first, image_column)
    cell = row.get(image_column) if image_column else None
    return [[n, format_cell(row[n], None)] for n in names], (
        cell.png if isinstance(cell, Image) else None
    )


def _ordered(
    table: Table, index: int, first: str | None, image_column: str | None
) -> tuple[dict[str, object], list[str]]:
    if not 0 <= index < len(table):
        raise IndexError(f"row {index} is out of range (the table has {len(table)} rows)")
    row = table.row(index)
    return row, tooltip_order([n for n in row if n != image_column], table.column_kinds, first)


def tooltip_order(names: list[str], kinds: dict[str, str], first: str | None) -> list[str]:
    """``names`` in the tooltip's order: ``first`` (the colour column), then by kind."""
    return sorted(names, key=lambda name: (name != first, _KIND_ORDER.get(kinds.get(name, ""), 5)))


#: The selection list shows at most this many rows; the count says how many there are.
MAX_LISTED = 60


def row_summaries(
    table: Table, indices: list[int], label_column: str | None, image_column: str | None
) -> tuple[list[RowSummary], list[bytes]]:
    """Short entries for the selection list: index, a label, and a thumbnail where there is one.

    Returns the entries and the PNGs of those with ``"image": True``, in order.
    """
    entries: list[RowSummary] = []
    images: list[bytes] = []
    for index in indices[:MAX_LISTED]:
        row = table.row(index)
        label = format_cell(row[label_column]) if label_column in row else f"row {index}"
        cell = row.get(image_column) if image_column else None
        has_image = isinstance(cell, Image)
        if isinstance(cell, Image):
            images.append(cell.png)
        entries.append({"index": index, "label": label, "image": has_image})
    return entries, images
