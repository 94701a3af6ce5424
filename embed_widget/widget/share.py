"""A view as one self-contained HTML file: the layout, colours, legend, clusters and the rows'
hover text, with the frontend bundle inlined. No server, no network: it opens from ``file://``.

What it holds (``snapshot``): the view's synced state as the widget would have it (the layout's
coordinates quantized to 16 bits an axis: 4 bytes a point, finer than any screen), the hover
columns (categories as codes, numbers as float32, texts as strings up to ``TEXT_ROWS`` rows), the
image column's thumbnails (small ones, up to ``THUMB_BUDGET`` bytes) and where the picture comes
from (algorithm, parameters, embedding, library versions, date). Binary parts travel as base64
beside the JSON; strings from the data stay JSON strings, read as text.
"""

from __future__ import annotations

import base64
import datetime
import html
import io
import json
import pathlib
import re
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import PIL.Image
from ipywidgets.widgets.widget import _remove_buffers

from ..data import Image
from .rows import MAX_TEXT, format_cell, tooltip_order
from .svg import caption, svg_document

if TYPE_CHECKING:
    from ..data import Table
    from .view import EmbeddingView

STATIC = pathlib.Path(__file__).parent.parent / "static"
#: The traits the page reads (the rest are the widget framework's).
SHARED_TRAITS = (
    "algorithm", "params", "embedding", "color_by", "color_scale", "image_column",
    "selection_column", "search", "search_column", "neighbor_metric", "filter", "subset",
    "labels", "label_column", "density", "status", "_schema", "_limits", "_columns",
    "_layout", "_colors", "_filter", "_clusters",
)  # fmt: skip
#: Column kinds hover shows in the page (images and vectors are left out).
SAVED_KINDS = ("categorical", "text", "numeric")
#: Hover columns kept (the colour column first, as in the widget's tooltip).
HOVER_COLUMNS = 8
#: Text columns are kept for hover and search up to this many rows (their text is most of a file).
TEXT_ROWS = 200_000
#: Text cells are cut to the tooltip's length, and text columns stop once this many characters
#: are saved (a page of ~20 MB at most of text).
TEXT_CHARS = MAX_TEXT
TEXT_BUDGET = 20_000_000
#: The image column's thumbnails: a PNG up to this size is kept as it is (a digit's), a larger one
#: is made at most THUMB_SIDE pixels a side, as WebP. Past THUMB_BUDGET bytes in all, the other
#: rows (a seeded sample spread over the table has its images) hover without one.
SMALL_PNG = 4096
THUMB_SIDE = 96
THUMB_BUDGET = 10_000_000


def to_html(view: EmbeddingView, title: str | None = None, wait: bool = True) -> str:
    """The page showing ``view``'s current picture (see the module docstring); ``wait``: let a
    running computation finish first (else the picture on screen, or ``RuntimeError``)."""
    data = json.dumps(_packed(snapshot(view, wait)), separators=(",", ":"), allow_nan=False)
    # inside <script>: no "<", ">" or "&" can end the element or start a comment
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    bundle = _inert((STATIC / "standalone.js").read_text(), "script")
    css = _inert((STATIC / "widget.css").read_text(), "style")
    name = html.escape(title or _title(view))
    return _PAGE.format(title=name, css=css, data=data, bundle=bundle)


def _inert(text: str, tag: str) -> str:
    """``text`` (our bundle or styles) unable to end its ``<tag>`` element or open a comment."""
    text = re.sub(f"</({tag})", r"<\\/\1", text, flags=re.IGNORECASE)
    return text.replace("<!--", "<\\!--")


def snapshot(view: EmbeddingView, wait: bool = True) -> dict[str, Any]:
    """What the page is built from: the view's state, hover columns and provenance. The picture
    is the finished one on screen (a computation still running is left out)."""
    frame = view.projection_frame(wait=wait)
    xy = every_row(view, frame)
    state = view.get_state(list(SHARED_TRAITS))
    seq = view.final_seq()
    state["_layout"] = _quantized(xy, {"seq": seq, "final": True, "preview": False})
    state["_filter"] = _hiding(state["_filter"], ~np.isfinite(xy).all(axis=1))
    if state["_clusters"].get("seq") != seq:
        state["_clusters"] = {}  # found for another layout
    if state["status"].get("state") != "done":  # a new computation runs: the shown one is done
        state["status"] = {"state": "done", "seq": seq, "algorithm": frame.attrs["algorithm"]}
        state["algorithm"], state["params"] = frame.attrs["algorithm"], frame.attrs["params"]
    state["selection"], state["_search"] = b"", {}  # (the page runs the search itself)
    rows = _hover_columns(view.table, view.color_by, set(view.embedding))
    saved = {c["name"] for c in rows}
    state["_columns"] = [c for c in state["_columns"] if _searchable(c) <= (c["name"] in saved)]
    about = {k: v for k, v in frame.attrs.items() if _plain(v)}
    about["date"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    about["rows"] = len(frame)
    images = _thumbnails(view.table, view.image_column)
    if images is not None:
        about["thumbnails"] = f"{images['count']:,} of {len(view.table):,} rows"
    return {"state": state, "rows": rows, "about": about, "images": images}


def _thumbnails(table: Table, column: str | None) -> dict[str, Any] | None:
    """The image column's thumbnails, concatenated: ``rows`` (uint32, ascending) has
    ``data[offsets[i]:offsets[i + 1]]``."""
    if column is None or table.column_kinds.get(column) != "image":
        return None
    cells = table.get_column(column)
    kept: dict[int, bytes] = {}
    used = 0
    for index in np.random.default_rng(0).permutation(len(cells)).tolist():
        if isinstance(cells[index], Image):
            small = _small(cells[index])
            used += len(small)
            if used > THUMB_BUDGET:
                break
            kept[index] = small
    rows = sorted(kept)
    offsets = np.cumsum([0, *(len(kept[i]) for i in rows)], dtype=np.int64).astype(np.uint32)
    data = b"".join(kept[i] for i in rows)
    indices = np.asarray(rows, dtype=np.uint32).tobytes()
    return {"rows": indices, "offsets": offsets.tobytes(), "data": data, "count": len(rows)}


def _small(image: Image) -> bytes:
    if len(image.png) <= SMALL_PNG:
        return image.png
    picture = PIL.Image.open(io.BytesIO(image.png))
    picture.thumbnail((THUMB_SIDE, THUMB_SIDE), PIL.Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="WEBP", quality=80)
    return out.getvalue()


def every_row(view: EmbeddingView, frame: Any) -> np.ndarray:
    """x, y of every table row (NaN where the shown projection has none: outside a subset)."""
    xy = np.full((len(view.table), 2), np.nan)
    xy[frame.index.to_numpy()] = frame[["x", "y"]].to_numpy(dtype=np.float64)
    return xy


def _searchable(column: dict[str, Any]) -> bool:
    return column.get("kind") in ("text", "categorical")


def _hiding(state: dict[str, Any], also: np.ndarray) -> dict[str, Any]:
    """The filter's state with the rows ``also`` marks hidden too."""
    hidden = state.get("hidden")
    mask = np.frombuffer(hidden, dtype=np.uint8) != 0 if hidden else np.zeros(len(also), bool)
    mask = mask | also
    return {**state, "hidden": mask.astype(np.uint8).tobytes() if mask.any() else None}


def _quantized(xy: np.ndarray, layout: dict[str, Any]) -> dict[str, Any]:
    """The layout as uint16 per axis between each axis' low and high (rows without coordinates:
    in the middle, and hidden)."""
    finite = np.isfinite(xy).all(axis=1)
    low = xy[finite].min(axis=0) if finite.any() else np.zeros(2)
    high = xy[finite].max(axis=0) if finite.any() else np.ones(2)
    span = np.where(high > low, high - low, 1.0)
    steps = np.round((np.where(finite[:, None], xy, (low + high) / 2) - low) / span * 65535)
    codes = np.clip(steps, 0, 65535).astype(np.uint16)
    return {
        **layout,
        "n": len(xy),
        "coords16": codes.tobytes(),
        "low": low.tolist(),
        "high": high.tolist(),
    }


def _hover_columns(table: Table, first: str | None, embedding: set[str]) -> list[dict[str, Any]]:
    """The columns hover shows, as the page reads them; not the embedding's own numbers (one
    column per dimension would cost 4 bytes a point each)."""
    kinds = table.column_kinds
    shown = [n for n, k in kinds.items() if k in SAVED_KINDS and n not in embedding]
    names = tooltip_order(shown, kinds, first)
    columns: list[dict[str, Any]] = []
    text_left = TEXT_BUDGET
    for name in names[:HOVER_COLUMNS]:
        kind = kinds[name]
        if kind == "categorical":
            try:
                codes, categories, _ = table.category_codes(name)
            except (ValueError, TypeError):  # more categories than codes hold: skip it
                continue
            dtype = np.uint8 if len(categories) <= 255 else np.uint16
            values: Any = np.asarray(codes).astype(dtype).tobytes()
            columns.append({"name": name, "kind": kind, "codes": values, "wide": dtype == np.uint16,
                            "categories": [str(c) for c in categories]})  # fmt: skip
        elif kind == "numeric":
            values = np.asarray(table.numeric_values(name), dtype=np.float32).tobytes()
            columns.append({"name": name, "kind": kind, "values": values})
        elif len(table) <= TEXT_ROWS and text_left > 0:
            texts = table.get_column(name, convert_to="numpy")
            values = [format_cell(v, TEXT_CHARS) for v in texts]
            text_left -= sum(map(len, values))
            columns.append({"name": name, "kind": kind, "texts": values})
    return columns


def _plain(value: object) -> bool:
    """Whether ``value`` is JSON as it is (provenance keeps only those)."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


def _packed(snap: dict[str, Any]) -> dict[str, Any]:
    """The snapshot with every bytes value moved to ``buffers`` (base64) and its path listed."""
    stripped, paths, buffers = _remove_buffers(snap)
    encoded = [base64.b64encode(bytes(b)).decode("ascii") for b in buffers]
    return {"snapshot": stripped, "buffer_paths": paths, "buffers": encoded}


def _title(view: EmbeddingView) -> str:
    algorithm = {"pca": "PCA", "umap": "UMAP", "tsne": "t-SNE"}.get(view.algorithm, view.algorithm)
    return f"{algorithm} of {len(view.table):,} rows — embed_widget"


class Sharing:
    """The view's picture as a file to send: :meth:`to_html`."""

    def to_html(self, path: str | pathlib.Path | None = None, title: str | None = None) -> str:
        """The current picture as one self-contained HTML file (no server, no network).

        The page shows the layout with pan and zoom, hover (each row's values as text), the
        legend with hide and isolate, cluster labels and density, search over the text and
        category columns, and where the picture comes from (algorithm, parameters, embedding,
        library versions, date). A running computation finishes first.

        Parameters
        ----------
        path
            Where to write the file (UTF-8); None: only return its text.
        title
            The page's title (default: the algorithm and the number of rows).

        Returns
        -------
        str
            The HTML.
        """
        page = to_html(self._view(), title)
        if path is not None:
            pathlib.Path(path).write_text(page, encoding="utf-8")
        return page

    def to_svg(self, path: str | pathlib.Path | None = None) -> str:
        """The current picture as SVG, for publications (at most 50,000 points shown).

        One circle per point the filter shows, in its colour, with the legend (categories and
        their swatches, or the colormap and its range) and a caption (algorithm, key
        parameters). A running computation finishes first.

        Parameters
        ----------
        path
            Where to write the file (UTF-8); None: only return its text.
        """
        text = svg_of(self._view(), wait=True)
        if path is not None:
            pathlib.Path(path).write_text(text, encoding="utf-8")
        return text

    def saved_file(self, kind: str) -> tuple[str, str, str]:
        """(file name, type, text) of the picture on screen now as ``kind`` ("html" or "svg"),
        for the widget's buttons (never waits for a computation)."""
        view = self._view()
        name = f"embedding-{view.algorithm}"
        if kind == "svg":
            return f"{name}.svg", "image/svg+xml", svg_of(view, wait=False)
        return f"{name}.html", "text/html", to_html(view, wait=False)

    def _view(self) -> EmbeddingView:
        return cast("EmbeddingView", self)  # (a mixin of EmbeddingView)


def svg_of(view: EmbeddingView, wait: bool) -> str:
    """The SVG of ``view``'s picture (see :mod:`.svg`)."""
    xy = every_row(view, view.projection_frame(wait=wait))
    visible = view.visible & np.isfinite(xy).all(axis=1)
    text = caption(dict(view.status), int(visible.sum()))
    return svg_document(xy, visible, dict(view._colors), text)


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 16px; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }}
{css}
</style>
</head>
<body>
<div id="ew-root"></div>
<script id="ew-data" type="application/json">{data}</script>
<script>{bundle}</script>
<script>
EmbedWidgetStandalone.show(
  JSON.parse(document.getElementById("ew-data").textContent),
  document.getElementById("ew-root"),
);
</script>
</body>
</html>
"""
