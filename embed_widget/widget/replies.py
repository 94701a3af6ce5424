"""Replies to the frontend's on-demand fetches (message types: ``js/protocol/messages.ts``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ..data import Table
from ..projection.neighbors import METRICS
from .protocol import CsvReply, FileReply, Neighbor, RowsReply
from .rows import MAX_LISTED, row_details, row_in_full, row_summaries

if TYPE_CHECKING:
    import pandas as pd

Reply = tuple[Any, list[bytes]]


class Source(Protocol):
    """What a reply reads: the view's table and settings, and the projection on screen."""

    table: Table
    color_by: str | None
    image_column: str | None
    selection_column: str | None
    selection: np.ndarray

    def shown_projection(self) -> tuple[str, pd.DataFrame] | None: ...

    def aligned_frame(self, frame: pd.DataFrame) -> pd.DataFrame: ...

    def neighbors_of(self, index: int, metric: str | None = None) -> tuple[str, list[Neighbor]]: ...

    def saved_file(self, kind: str) -> tuple[str, str, str]: ...

    def refit(self) -> None: ...


def reply(message: Mapping[str, Any], source: Source) -> Reply | None:
    """The reply (content, buffers) to ``message``, or None when there is nothing to send."""
    kind = message.get("type")
    if kind == "row":
        return _row(source, int(message.get("index", -1)))
    if kind == "details":
        metric = message.get("metric")
        return _details(
            source, int(message.get("index", -1)), metric if metric in METRICS else None
        )
    if kind == "rows":
        return rows_reply(source)
    if kind == "csv":
        return _csv(source)
    if kind == "file":
        return _file(source, "svg" if message.get("format") == "svg" else "html")
    if kind == "refit":  # (an action: what it changes arrives in the traits)
        source.refit()
    return None


def _row(source: Source, index: int) -> Reply:
    """The tooltip's short text of one row."""
    return _one_row("row", row_details, source, index)


def _details(source: Source, index: int, metric: str | None = None) -> Reply:
    """Every value of one row in full, and its nearest rows, for the pinned details panel."""
    content, buffers = _one_row("details", row_in_full, source, index)
    if "error" not in content:
        content["metrics"] = list(METRICS)
        try:
            content["metric"], content["neighbors"] = source.neighbors_of(index, metric)
        except (ValueError, TypeError, KeyError) as error:  # e.g. no embedding chosen
            content["neighbors_error"] = str(error)
    return content, buffers


RowFn = Callable[[Table, int, str | None, str | None], tuple[list[list[str]], bytes | None]]


def _one_row(kind: str, values_of: RowFn, source: Source, index: int) -> Reply:
    try:
        values, png = values_of(source.table, index, source.color_by, source.image_column)
    except IndexError as error:
        return {"type": kind, "index": index, "error": str(error)}, []
    content = {"type": kind, "index": index, "values": values, "image": png is not None}
    return content, [png] if png is not None else []


def rows_reply(source: Source) -> Reply:
    """The first selected rows (the kernel reads the selection: no index list crosses)."""
    selected = source.selection
    valid = [int(i) for i in selected[:MAX_LISTED] if i < len(source.table)]
    label = source.selection_column or source.color_by
    entries, images = row_summaries(source.table, valid, label, source.image_column)
    content: RowsReply = {"type": "rows", "total": len(selected), "rows": entries}
    return content, images


def _csv(source: Source) -> Reply | None:
    current = source.shown_projection()
    if current is None:
        return None
    algorithm, frame = current[0], source.aligned_frame(current[1])  # (linked: as drawn)
    content: CsvReply = {"type": "csv", "filename": f"embedding-{algorithm}.csv"}
    return content, [frame.to_csv(index=False).encode()]


def _file(source: Source, kind: str) -> Reply:
    """The picture on screen as a file ("html" or "svg"), or why not (never waits)."""
    try:
        filename, mime, text = source.saved_file(kind)
    except Exception as error:  # nothing final on screen, too many points, ...: say it there
        failed: FileReply = {"type": "file", "filename": "", "mime": "", "error": str(error)}
        return failed, []
    content: FileReply = {"type": "file", "filename": filename, "mime": mime}
    return content, [text.encode()]
