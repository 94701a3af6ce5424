"""Replies to the frontend's on-demand fetches (the message types in ``js/messages.ts``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .rows import row_details, row_summaries

if TYPE_CHECKING:
    import pandas as pd

    from .table import Table

Reply = tuple[dict[str, Any], list[bytes]]
#: The projection on screen, as (algorithm, DataFrame), or None before the first one.
ShownFn = Callable[[], "tuple[str, pd.DataFrame] | None"]


def reply(
    message: Mapping[str, Any],
    table: Table,
    color_by: str | None,
    image_column: str | None,
    shown: ShownFn,
) -> Reply | None:
    """The reply (content, buffers) to ``message``, or None when there is nothing to send."""
    kind = message.get("type")
    if kind == "row":
        return _row(table, int(message.get("index", -1)), color_by, image_column)
    if kind == "rows":
        indices = [int(i) for i in message.get("indices", [])]
        valid = [i for i in indices if 0 <= i < len(table)]
        entries, images = row_summaries(table, valid, color_by, image_column)
        return {"type": "rows", "request": message.get("request"), "rows": entries}, images
    if kind == "csv":
        current = shown()
        if current is None:
            return None
        algorithm, frame = current
        filename = f"embedding-{algorithm}.csv"
        return {"type": "csv", "filename": filename}, [frame.to_csv(index=False).encode()]
    return None


def _row(table: Table, index: int, color_by: str | None, image_column: str | None) -> Reply:
    try:
        values, png = row_details(table, index, color_by, image_column)
    except IndexError as error:
        return {"type": "row", "index": index, "error": str(error)}, []
    buffers = [png] if png is not None else []
    return {"type": "row", "index": index, "values": values, "image": png is not None}, buffers
