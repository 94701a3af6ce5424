"""Clusters on the map for a view: found in the background after each final layout, named from a
column, drawn as labels (``labels``), offered as a colour ("clusters"), with density contours
(``density``, drawn by the frontend from the points it shows).

A newer layout supersedes an older clustering; a change of the naming column only renames the
clusters of the layout shown (they are not found again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import traitlets

from ..projection.clusters import Clusters
from ..session.clusters import (
    NamedClusters,
    check_naming_column,
    cluster_layout,
    find_layout_clusters,
    name_clusters,
    naming_column,
)
from .background import LatestResult
from .encodings import categorical_colors, no_colors
from .protocol import ClusterState, Colors, ColumnInfo
from .quality import QUALITY_COLUMN

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

    from ..data import Table
    from ..session import LiveProjection
    from ..session.subset import Rows

#: The colour choice that paints each point by its cluster.
CLUSTER_COLUMN = "clusters"
NOISE = "noise"


def with_derived(columns: list[ColumnInfo]) -> list[ColumnInfo]:
    """The table's columns plus the colour choices derived from the layout, its clusters and
    its projection quality (unless a column of the table has their name)."""
    taken = {c["name"] for c in columns}
    derived: list[ColumnInfo] = [
        {"name": CLUSTER_COLUMN, "kind": "categorical", "roles": ["color"]},
        {"name": QUALITY_COLUMN, "kind": "numeric", "roles": ["color"]},
    ]
    return [*columns, *(c for c in derived if c["name"] not in taken)]


class Clustering(traitlets.HasTraits):
    """The clusters of a view's layout: labels, a colour, and density contours."""

    labels = traitlets.Bool(True).tag(sync=True)
    """Draw a label at each cluster of the layout (found with HDBSCAN on the 2D layout, named
    by ``label_column``); labels never overlap: the smaller cluster's is hidden."""

    label_column = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    """The column naming the clusters: a categorical column gives its majority value and share
    ("logging 92%"), a text column its most distinctive terms, a numeric column its median.
    None: the colour column if categorical, else the first text, else the first categorical
    column."""

    density = traitlets.Bool(False).tag(sync=True)
    """Draw density contours under the points (of the rows shown: filter and legend apply)."""

    _clusters = traitlets.Dict().tag(sync=True)
    """The shown layout's clusters (:class:`~embed_widget.widget.protocol.ClusterState`)."""

    table: Table
    color_by: str | None
    _from_frontend: bool = False
    _live: LiveProjection | None
    _found: tuple[int, Clusters] | None = None  # the shown layout's clusters, before naming
    _final: tuple[int, np.ndarray, Rows | None] | None = None  # the last final layout
    _update_colors: Callable[[], None]  # (the view's)

    def __init__(self, **kwargs: Any) -> None:
        # (before the traits are set: their observers read it)
        self._named: LatestResult[NamedClusters] = LatestResult(self._clusters_ready)
        super().__init__(**kwargs)

    # --- Python API ---------------------------------------------------------------------------

    def clusters_frame(
        self, min_cluster_size: int | None = None, label_column: str | None = None
    ) -> pd.DataFrame:
        """The shown layout's clusters (see :meth:`embed_widget.Table.clusters`)."""
        live = self._live
        if live is None or live.result is None:
            raise RuntimeError(f"no projection to cluster: {getattr(self, 'status', {})}")
        column = self._naming_column(label_column)
        live.frame()  # raises if rows were added that the layout could not place
        named = self._named.wait_for(self.final_seq())  # (a job running for it: its result)
        if not (named and min_cluster_size is None and _named_by(named) == column):
            coords, rows = live.result.coords, live.result_rows
            named = cluster_layout(self.table, coords, rows, column, min_cluster_size)
        frame = named.frame(live.result_rows)
        frame.attrs["algorithm"] = live.result.algorithm
        return frame

    def final_seq(self) -> int:
        """The number of the final layout the shown result drew (a newer request may run)."""
        live = self._live
        result = live.result if live is not None else None
        if self._final is not None and result is not None and self._final[1] is result.coords:
            return self._final[0]
        return int((getattr(self, "_layout", {}) or {}).get("seq", -1))

    # --- hooks for the view -------------------------------------------------------------------

    def _clusters_layout_done(self, seq: int) -> None:
        """Layout ``seq`` is final: find its clusters aside if anything shows them."""
        live = self._live
        if live is None or live.result is None or not self._named.expect(seq):
            return
        # kept with its number: a rename later reads this layout, not a newer one
        self._final = (seq, live.result.coords, live.result_rows)
        self._submit_clusters()

    def _submit_clusters(self) -> None:
        live = self._live
        if self._final is None or live is None or not self._clusters_wanted():
            return
        (seq, coords, rows), column = self._final, self._naming_column()
        table, n_rows = self.table, len(self.table)

        def compute() -> NamedClusters | None:
            if not live.shown:
                return None  # hidden meanwhile: nothing shows them
            found = self._found
            if found is None or found[0] != seq:
                found = (seq, find_layout_clusters(n_rows, coords, rows))
                self._found = found
            return name_clusters(table, found[1], column)

        self._named.submit(seq, compute)

    def _cluster_colors(self) -> Colors:
        """The colour encoding of the clusters (no colours until they are known)."""
        named = self._named.current
        if named is None:
            return no_colors()
        count = len(named.names)
        codes = np.where(named.labels >= 0, named.labels, count)
        # a name two clusters share gets their numbers (e.g. two groups of ones: "1 98% (#10)")
        shared = {n for n in named.names if named.names.count(n) > 1}
        names = [f"{n} (#{i})" if n in shared else n for i, n in enumerate(named.names)]
        counts = list(named.sizes)
        noise = int((named.labels < 0).sum())
        if noise:  # (a legend entry only when some rows are noise)
            names.append(NOISE)
            counts.append(noise)
        return categorical_colors(CLUSTER_COLUMN, codes, names, counts)

    def _close_clustering(self) -> None:
        self._named.close()

    # --- internals ----------------------------------------------------------------------------

    def _clusters_wanted(self) -> bool:
        return bool(self.labels) or self._colored_by_clusters()

    def _colored_by_clusters(self) -> bool:
        """Whether the colour is the clusters (not a column of the table of that name)."""
        return self.color_by == CLUSTER_COLUMN and self._derived(CLUSTER_COLUMN)

    def _derived(self, column: str | None) -> bool:
        """Whether ``column`` is a colour the layout gives (its clusters or its quality), not a
        column of the table."""
        derived = column in (CLUSTER_COLUMN, QUALITY_COLUMN)
        return derived and column not in self.table.column_kinds

    def _naming_column(self, chosen: str | None = None) -> str | None:
        kinds = self.table.column_kinds
        column = naming_column(kinds, chosen or self.label_column, self.color_by)
        return column if column is None or column in kinds else None

    def _clusters_ready(self, seq: int) -> None:
        named = self._named.current
        if named is None:
            return
        state: ClusterState = {
            "seq": seq,
            "codes": np.where(named.labels >= 0, named.labels + 1, 0).astype(np.uint16).tobytes(),
            "names": list(named.names),
            "sizes": list(named.sizes),
            "column": named.params.get("label_column"),
        }
        self._clusters = dict(state)
        if self._colored_by_clusters():
            self._update_colors()

    def _cluster_again(self) -> None:
        """Find (or rename) the last final layout's clusters again."""
        if self._final is not None and self._named.expect(self._final[0]):
            self._submit_clusters()

    @traitlets.validate("label_column")
    def _check_label_column(self, proposal: dict[str, Any]) -> Any:
        value = proposal["value"]
        if value is not None and not self._from_frontend:
            check_naming_column(value, self.table.column_kinds)  # raises InvalidSetting
        return value

    @traitlets.observe("labels", "label_column")
    def _on_labels(self, change: dict[str, Any]) -> None:
        if change["name"] == "labels" and not change["new"]:
            return  # hidden in the frontend; the clusters found stay
        if self._named.current is None or change["name"] == "label_column":
            self._cluster_again()

    @traitlets.observe("color_by")
    def _on_color_for_labels(self, change: dict[str, Any]) -> None:
        named = self._named.current
        renamed = named is not None and _named_by(named) != self._naming_column()
        if (renamed and self.label_column is None) or (
            named is None and self._colored_by_clusters()
        ):
            self._cluster_again()


def _named_by(named: NamedClusters) -> str | None:
    column = named.params.get("label_column")
    return column if isinstance(column, str) else None
