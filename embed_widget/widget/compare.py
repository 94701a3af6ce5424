"""Linked views: several embeddings side by side, the same rows in the same places.

``compare(a, b, ...)`` shows 2 to 4 views in a grid. Each keeps its own algorithm and settings;
together they share:

- **place**: each layout is turned, scaled and moved (Procrustes) to match the first view's on
  the rows both hold; the first view's own layouts are turned to match the one they replace;
- **hover**: a row hovered in one view is marked in all (the frontends tell each other: no
  kernel round trip);
- **selection**: a lasso (or ``.selection``) in one selects the same rows in all;
- **zoom**, with ``link_zoom=True``: the cameras move together.

Rows are matched by row number, or across tables by the values of a ``key`` column.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets
import numpy as np
import pandas as pd

from ..errors import InvalidSetting
from ..projection.align import IDENTITY, Similarity, procrustes
from .grid_picture import grid_picture
from .picture import SavedPicture
from .protocol import LinkState

if TYPE_CHECKING:
    from ..data import Table
    from .view import EmbeddingView

#: How many views fit side by side in a notebook (two a row).
MAX_VIEWS = 4


class Comparison(SavedPicture, ipywidgets.GridBox):  # type: ignore[misc]
    """Linked views of 2 to 4 embeddings (see :func:`compare`).

    Attributes
    ----------
    views
        The :class:`~embed_widget.EmbeddingView` s, in order; the first is the reference the
        others are aligned to.
    """

    def __init__(
        self,
        views: Sequence[EmbeddingView],
        *,
        key: str | None = None,
        align: bool = True,
        link_zoom: bool = False,
    ) -> None:
        views = list(views)
        _check_views(views, key)
        self.views = views
        self._reference = views[0]  # (kept: views is emptied on close)
        self._reference_drawn: np.ndarray | None = None
        self.key, self.align, self.link_zoom = key, align, link_zoom
        self._group = f"ew-{uuid.uuid4().hex}"
        self._pairing = threading.Lock()
        self._keys: tuple[tuple[int, ...], list[np.ndarray]] | None = None  # (table versions)
        self._spreading = False  # (a selection being copied to the others: no echo)
        self._linked = list(views)  # (every view linked, also while closing)
        self._link_versions = tuple(v.table.version for v in views)  # (of the keys sent)
        super().__init__(
            children=views,
            layout=ipywidgets.Layout(
                grid_template_columns="repeat(2, minmax(0, 1fr))", grid_gap="8px", width="100%"
            ),
        )
        for view in views:
            view._on_picture = self._view_pictured
            view.link(self._state(view), self._aligned if align else None)
            view.observe(self._view_drew, names="_layout")
            view.observe(self._view_selected, names="selection")

    # --- Python API ---------------------------------------------------------------------------

    @property
    def selection(self) -> np.ndarray:
        """The rows selected, as row numbers of the first view's table (set it to select in
        every view)."""
        return self.views[0].selection if self.views else np.zeros(0, np.uint32)

    @selection.setter
    def selection(self, rows: Any) -> None:
        self.views[0].selection = rows  # (observed: copied to the others)

    @property
    def projections(self) -> list[pd.DataFrame]:
        """Each view's projection as a DataFrame, with x, y as drawn (aligned to the first)."""
        return [view.projection_frame() for view in self.views]

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every view's projection is computed (False if ``timeout`` passed)."""
        return all([view.wait(timeout) for view in self.views])

    def close(self) -> None:
        """Unlink the views (each keeps working on its own) and close the grid."""
        linked, self.views = self.__dict__.get("views", []), []  # (once; also after a failed init)
        for view in linked:
            view.unobserve(self._view_drew, names="_layout")
            view.unobserve(self._view_selected, names="selection")
            view._on_picture = None
            if not view.closed:
                view.unlink()
        super().close()

    def __repr__(self) -> str:
        shown = " | ".join(", ".join(v.embedding) or "?" for v in self.views)
        return f"Comparison of {len(self.views)} linked views: {shown}"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        for view in self.views:
            view._start()  # (the grid's display does not display its children)
        return super()._repr_mimebundle_(**kwargs)

    def _view_pictured(self) -> None:
        """A view kept a new picture: the grid's saved picture shows them all."""
        png = grid_picture([view._picture for view in self._linked])
        if png is not None:
            self.show_picture(png)

    # --- alignment ----------------------------------------------------------------------------

    def _aligned(
        self, view: EmbeddingView, coords: np.ndarray
    ) -> tuple[Similarity, list[float] | None]:
        """The similarity drawing ``coords`` of ``view`` in the first view's place, and the box
        every view fits into its plot (the first view's)."""
        reference = self._reference
        if view is reference:  # turned (not scaled) to match the layout it replaces
            previous = reference.drawn_coords
            turn = IDENTITY if previous is None else procrustes(previous, coords, scaling=False)
            return turn, _box(turn.apply(coords))
        target = reference.drawn_coords
        if target is None:
            return IDENTITY, None
        reference_rows, rows = self._pairs(view, len(target), len(coords))
        return procrustes(target, coords, reference_rows, rows), _box(target)

    def _view_drew(self, change: dict[str, Any]) -> None:
        view: EmbeddingView = change["owner"]
        versions = tuple(v.table.version for v in self._linked)
        if self.key is not None and versions != self._link_versions:
            self._link_versions = versions  # (rows added or keys changed: hover them too)
            for linked in self._linked:
                linked._link = dict(self._state(linked))
        layout = change["new"] or {}
        if view is not self._reference or not layout.get("final") or layout.get("preview"):
            return
        drawn, before = view.drawn_coords, self._reference_drawn
        self._reference_drawn = drawn
        if drawn is not None and before is not None and _only_added(before, drawn):
            return  # (rows placed into it: the others keep their place too)
        for other in self.views[1:]:
            other.publish_again()

    # --- matching rows ------------------------------------------------------------------------

    def _pairs(self, view: EmbeddingView, n_reference: int, n_rows: int) -> tuple[Any, Any]:
        """(reference rows, ``view`` rows) holding the same rows."""
        if self.key is None:
            both = np.arange(min(n_reference, n_rows))
            return both, both
        reference_keys, keys = self._row_keys(self._reference), self._row_keys(view)
        order = np.argsort(reference_keys[:n_reference], kind="stable")
        found = np.searchsorted(reference_keys[:n_reference], keys[:n_rows], sorter=order)
        found = np.minimum(found, max(n_reference - 1, 0))
        if n_reference == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        matched = (reference_keys[order[found]] == keys[:n_rows]) & (keys[:n_rows] >= 0)
        rows = np.flatnonzero(matched)  # (-1: a missing key, matched to nothing)
        return order[found[rows]], rows

    def _row_keys(self, view: EmbeddingView) -> np.ndarray:
        """Each row's key id (the same id for the same key value in every table)."""
        views = self._linked
        index = views.index(view)
        versions = tuple(v.table.version for v in views)
        with self._pairing:
            if self._keys is not None and self._keys[0] == versions:
                return self._keys[1][index]
            values = [pd.Series(v.table.get_column(self.key)) for v in views]  # type: ignore[arg-type]
            codes, _ = pd.factorize(pd.concat(values, ignore_index=True))
            bounds = np.cumsum([0] + [len(v) for v in values])
            keys = [codes[a:b].astype(np.int32) for a, b in itertools.pairwise(bounds)]
            self._keys = (versions, keys)
            return keys[index]

    def _state(self, view: EmbeddingView) -> LinkState:
        keys = None if self.key is None else self._row_keys(view).tobytes()
        return {"group": self._group, "keys": keys, "zoom": self.link_zoom}

    # --- selection ----------------------------------------------------------------------------

    def _view_selected(self, change: dict[str, Any]) -> None:
        if self._spreading:
            return
        source: EmbeddingView = change["owner"]
        self._spreading = True
        try:
            for view in self.views:
                if view is not source:
                    view.selection = self._same_rows(source, view, change["new"])
        finally:
            self._spreading = False

    def _same_rows(self, source: EmbeddingView, view: EmbeddingView, rows: np.ndarray) -> Any:
        """``source``'s ``rows`` as rows of ``view``."""
        if self.key is None:
            return rows[rows < len(view.table)]
        wanted = self._row_keys(source)[rows]
        keys = self._row_keys(view)
        return np.flatnonzero(np.isin(keys, wanted[wanted >= 0]))


def _box(coords: np.ndarray) -> list[float] | None:
    """(min x, min y, max x, max y) of the finite rows, or None."""
    finite = coords[np.isfinite(coords).all(axis=1)]
    if not len(finite):
        return None
    low, high = finite.min(axis=0), finite.max(axis=0)
    return [float(low[0]), float(low[1]), float(high[0]), float(high[1])]


def _only_added(before: np.ndarray, after: np.ndarray) -> bool:
    """Whether ``after`` keeps every row of ``before`` where it was (rows placed into it)."""
    n = len(before)
    return len(after) >= n and np.array_equal(after[:n], before, equal_nan=True)


def _check_views(views: list[EmbeddingView], key: str | None) -> None:
    if not 2 <= len(views) <= MAX_VIEWS:
        raise InvalidSetting(f"compare takes 2 to {MAX_VIEWS} views, got {len(views)}")
    if len({id(v) for v in views}) != len(views):
        raise InvalidSetting("compare got the same view twice: pass each view once")
    if key is None:
        return
    for number, view in enumerate(views, 1):
        if key not in view.table.column_kinds:
            raise InvalidSetting(
                f"compare: the key column {key!r} is not in table {number} "
                f"(its columns: {', '.join(view.table.columns)})"
            )
        kind = view.table.column_kinds[key]
        if kind in ("embedding", "image"):
            raise InvalidSetting(
                f"compare: the key column {key!r} of table {number} holds {kind} cells; "
                "a key is a column of ids (text or numbers)"
            )
        values = pd.Series(view.table.get_column(key))
        if values.duplicated().any():
            repeated = values[values.duplicated()].iloc[0]
            raise InvalidSetting(
                f"compare: the key column {key!r} repeats {repeated!r} in table {number}: "
                "keys must be unique"
            )


def compare(
    *items: Any,
    key: str | None = None,
    align: bool = True,
    link_zoom: bool = False,
    **settings: Any,
) -> Comparison:
    """Show 2 to 4 embeddings side by side, linked (hover, selection, place; zoom if asked).

    Parameters
    ----------
    *items
        Each a :class:`~embed_widget.Table` (a new view of it), an
        :class:`~embed_widget.EmbeddingView` (linked as it is), or ``(table, columns)``: a new view
        of ``table`` with ``embedding=columns`` (a column name or a list of them).
    key
        A column present in every table whose values match rows across tables; None matches
        rows by row number.
    align
        Turn, scale and move each layout to match the first view's (Procrustes).
    link_zoom
        Move every view's camera with the one the user zooms or pans.
    **settings
        Settings for the new views (``algorithm``, ``params``, ``color_by``, ...).
    """
    made: list[EmbeddingView] = []  # (closed again if the comparison is refused)
    try:
        views = [_view_of(item, settings, made) for item in items]
        return Comparison(views, key=key, align=align, link_zoom=link_zoom)
    except Exception:
        for view in made:
            view.close()
        raise


def _view_of(item: Any, settings: dict[str, Any], made: list[EmbeddingView]) -> EmbeddingView:
    from ..data import Table
    from .view import EmbeddingView

    if isinstance(item, EmbeddingView):
        return item
    if isinstance(item, Table):
        made.append(EmbeddingView(item, **settings))
        return made[-1]
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Table):
        table, columns = item
        columns = [columns] if isinstance(columns, str) else list(columns)
        made.append(EmbeddingView(table, **{**settings, "embedding": columns}))
        return made[-1]
    raise InvalidSetting(
        "compare takes Tables, EmbeddingViews or (table, embedding columns) pairs, "
        f"got {type(item).__name__}"
    )


def compare_columns(table: Table, embeddings: Sequence[Any], **kwargs: Any) -> Comparison:
    """Linked views of several embedding columns of one table (``Table.compare``)."""
    return compare(*[(table, columns) for columns in embeddings], **kwargs)
