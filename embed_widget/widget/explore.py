"""Selection, search, filter and nearest neighbours for a view: their traits, their checks, and
what they send to the frontend (matched rows as uint32 bytes, hidden rows as a uint8 mask).

Set from Python, a bad search, search column or filter raises :class:`InvalidSetting` and changes
nothing; typed in the widget, it shows its error there and the previous result stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import traitlets

from ..data.filter import RowFilter
from ..data.search import SEARCHABLE, TextSearch, check_query
from ..errors import InvalidSetting
from ..projection.neighbors import METRICS
from ..session.subset import Rows, outside
from .protocol import FilterState, Neighbor, SearchState
from .rows import format_cell
from .settings import check_selection
from .traits import IndexArray, RowSubset

if TYPE_CHECKING:
    import pandas as pd

    from ..data import Table
    from ..session import LiveProjection, Settings

#: Neighbours listed for a clicked point.
NEIGHBORS_SHOWN = 10


class Exploring(traitlets.HasTraits):
    """The rows the user looks at in :class:`~embed_widget.EmbeddingView`: selected, searched,
    filtered, and a clicked row's neighbours."""

    selection = IndexArray().tag(sync=True)
    """Row indices selected in the plot (lasso) or from Python, as a uint32 array."""

    subset = RowSubset().tag(sync=True)
    """Rows to project on their own ("project only these"; the others are hidden), as a uint32
    array, or None for every row."""

    search = traitlets.Unicode("").tag(sync=True)
    """Rows to highlight: a case-insensitive substring, or ``/regex/`` (RE2 syntax), looked for
    in ``search_column`` (None: every text and categorical column). The rest are dimmed."""

    search_column = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    """The column ``search`` looks in, or None for every text and categorical column."""

    filter = traitlets.Unicode("").tag(sync=True)
    """A pandas condition on the table's columns (``"length > 200 and module != 'os'"``, as
    ``DataFrame.query`` reads it); rows that fail it are hidden without recomputing the layout."""

    neighbor_metric = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    """The metric of a clicked point's nearest rows: ``"euclidean"``, ``"cosine"``,
    ``"correlation"``, ``"manhattan"``, or None for the projection's (else cosine for a vector
    column, euclidean for numbers)."""

    _search = traitlets.Dict().tag(sync=True)
    """The rows ``search`` matched (:class:`~embed_widget.widget.protocol.SearchState`)."""

    _filter = traitlets.Dict().tag(sync=True)
    """The rows ``filter`` hides (:class:`~embed_widget.widget.protocol.FilterState`)."""

    table: Table
    _from_frontend: bool = False
    _matcher: TextSearch | None = None
    _row_filter: RowFilter | None = None
    _matches = np.zeros(0, dtype=np.uint32)

    # --- Python API ---------------------------------------------------------------------------

    @property
    def matches(self) -> np.ndarray:
        """Row indices (uint32, sorted) that ``search`` matches now."""
        return np.array(self._matches, dtype=np.uint32)

    def selection_frame(self) -> pd.DataFrame:
        """The selected rows with their x, y."""
        frame = self.projection_frame()
        return frame.iloc[np.asarray(self.selection, dtype=np.int64)]

    def projection_frame(self, wait: bool = True) -> pd.DataFrame:  # (the view's)
        raise NotImplementedError

    def refit(self) -> None:
        """Fit the current settings on every row again. Rows added to a shown table are placed
        into its layout (``placed`` in :attr:`~embed_widget.Table.projection`) without moving
        the others; after a refit every row is fitted, and every point may move."""
        self.live.refit()

    @property
    def visible(self) -> np.ndarray:
        """Boolean mask of the rows ``filter`` keeps (all True without a filter)."""
        hidden = self._filter.get("hidden")
        if not hidden:
            return np.ones(len(self.table), dtype=bool)
        mask: np.ndarray = np.frombuffer(hidden, dtype=np.uint8) == 0
        return mask

    # --- checks -------------------------------------------------------------------------------

    @traitlets.validate("selection")
    def _check_selection(self, proposal: dict[str, Any]) -> Any:
        if not self._from_frontend:
            check_selection(proposal["value"], len(self.table))
        return proposal["value"]

    @traitlets.validate("subset")
    def _check_subset(self, proposal: dict[str, Any]) -> Any:
        value = proposal["value"]
        if value is not None and not self._from_frontend:
            check_selection(value, len(self.table), "subset")
        return value

    @traitlets.validate("neighbor_metric")
    def _check_metric(self, proposal: dict[str, Any]) -> str | None:
        value = proposal["value"]
        if value is not None and value not in METRICS:
            raise InvalidSetting(f"neighbor_metric must be one of {list(METRICS)} or None")
        return value  # type: ignore[no-any-return]

    @traitlets.validate("search")
    def _check_search(self, proposal: dict[str, Any]) -> str:
        if not self._from_frontend:
            try:
                check_query(proposal["value"])
            except ValueError as error:
                raise InvalidSetting(str(error)) from None
        return str(proposal["value"])

    @traitlets.validate("search_column")
    def _check_search_column(self, proposal: dict[str, Any]) -> str | None:
        value = proposal["value"]
        kinds = self.table.column_kinds
        if value is not None and not self._from_frontend and kinds.get(value) not in SEARCHABLE:
            allowed = [n for n, k in kinds.items() if k in SEARCHABLE]
            raise InvalidSetting(
                f"search_column {value!r} is not a text or categorical column; "
                f"allowed: {allowed} or None (all of them)"
            )
        return value  # type: ignore[no-any-return]

    @traitlets.validate("filter")
    def _check_filter(self, proposal: dict[str, Any]) -> str:
        if not self._from_frontend:
            try:
                self._filterer().mask(proposal["value"])
            except ValueError as error:
                raise InvalidSetting(str(error)) from None
        return str(proposal["value"])

    # --- updates ------------------------------------------------------------------------------

    @traitlets.observe("search", "search_column")
    def _on_search(self, _change: dict[str, Any]) -> None:
        self.update_search()

    @traitlets.observe("filter", "subset")
    def _on_filter(self, _change: dict[str, Any]) -> None:
        self.update_filter()

    def update_search(self) -> None:
        """Match ``search`` again (its text, its column or the table changed)."""
        if self._matcher is None:
            self._matcher = TextSearch(self.table)
        column = self.search_column
        if column is not None and column not in self.table.column_kinds:
            column = None  # (a column that went away)
        try:
            found = self._matcher.match(self.search, None if column is None else [column])
        except ValueError as error:
            self._search = {**self._search_state(), "error": str(error)}
            return
        self._matches = found
        self._search = dict(self._search_state())

    def _search_state(self) -> SearchState:
        active = bool(self.search)
        return {
            "query": self.search if active else "",
            "count": int(self._matches.size) if active else 0,
            "indices": self._matches.tobytes() if active else None,
            "error": None,
        }

    def update_filter(self) -> None:
        """Evaluate ``filter`` again (its text or the table changed)."""
        try:
            keep = self._filterer().mask(self.filter)
        except ValueError as error:
            self._filter = {**self._filter, "error": str(error)}
            return
        rows = Rows.of(self.subset.tobytes()) if self.subset is not None else None
        not_projected = outside(rows, len(keep))  # rows outside a subset: hidden too
        if not_projected is not None:
            keep &= ~not_projected
        state: FilterState = {
            "expression": self.filter,
            "count": int(keep.sum()),
            "hidden": None if keep.all() else (~keep).astype(np.uint8).tobytes(),
            "error": None,
        }
        self._filter = dict(state)

    def _filterer(self) -> RowFilter:
        if self._row_filter is None:
            self._row_filter = RowFilter(self.table)
        return self._row_filter

    def update_exploration(self) -> None:
        """Select, search and filter again (the table's data changed)."""
        if self.selection.size and int(self.selection.max()) >= len(self.table):
            self.selection = []
        self.update_search()
        self.update_filter()

    # --- neighbours ---------------------------------------------------------------------------

    @property
    def live(self) -> LiveProjection:  # (the view's)
        raise NotImplementedError

    def current_settings(self) -> Settings:  # (the view's)
        raise NotImplementedError

    def neighbors_of(self, index: int, metric: str | None = None) -> tuple[str, list[Neighbor]]:
        """The metric and the nearest rows of ``index`` in the original space of the view's
        embedding, for the details panel, each with its distance and a label (from the listed
        column, else the colour column)."""
        settings, live = self.current_settings(), self.live
        label = getattr(self, "selection_column", None) or getattr(self, "color_by", None)
        embedding = list(settings.embedding)
        shown = live.result
        params = shown.params if shown is not None else dict(settings.params)
        session = live.session
        metric = metric or self.neighbor_metric or session.default_metric(embedding, params)
        indices, distances = session.neighbors(index, NEIGHBORS_SHOWN, metric, embedding)
        rows = self.table.rows_frame(indices.tolist()) if label else None
        out: list[Neighbor] = []
        for i, (row, distance) in enumerate(zip(indices.tolist(), distances.tolist(), strict=True)):
            text = format_cell(rows[label].iloc[i]) if rows is not None and label else f"row {row}"
            out.append({"index": row, "distance": float(distance), "label": text})
        return metric, out
