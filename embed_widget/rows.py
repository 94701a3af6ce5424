"""One row of a Table as short, plain text for the hover tooltip (the frontend shows it as text)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .media import Image

if TYPE_CHECKING:
    from .table import Table

MAX_TEXT = 120


def format_cell(value: object) -> str:
    """A cell as at most ``MAX_TEXT`` characters of text."""
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
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def row_details(
    table: Table, index: int, first: str | None, image_column: str | None
) -> tuple[list[list[str]], bytes | None]:
    """The row's (name, text) pairs, ``first`` column first, and its image's PNG if it has one."""
    if not 0 <= index < len(table):
        raise IndexError(f"row {index} is out of range (the table has {len(table)} rows)")
    row = table.row(index)
    names = list(row)
    if first in row:
        names.remove(first)
        names.insert(0, first)
    values = [[name, format_cell(row[name])] for name in names if name != image_column]
    cell = row.get(image_column) if image_column else None
    return values, cell.png if isinstance(cell, Image) else None


#: The selection list shows at most this many rows; the count says how many there are.
MAX_LISTED = 60


def row_summaries(
    table: Table, indices: list[int], label_column: str | None, image_column: str | None
) -> tuple[list[dict[str, object]], list[bytes]]:
    """Short entries for the selection list: index, a label, and a thumbnail where there is one.

    Returns the entries and the PNGs of those with ``"image": True``, in order.
    """
    entries: list[dict[str, object]] = []
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
