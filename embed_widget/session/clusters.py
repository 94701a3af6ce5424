"""A layout's clusters with their names: the engine's HDBSCAN on the 2D coordinates, named from a
column of the table (its majority category, a text column's distinctive terms, or a median).

Shared by ``Table.clusters()`` and the widget's labels, so both say the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InvalidSetting
from ..projection.cluster_names import majority_names, median_names, numbered, term_names
from ..projection.clusters import Clusters, find_clusters
from .subset import Rows

if TYPE_CHECKING:
    import pandas as pd

    from ..data import Table

#: Column kinds that can name clusters.
NAMING_KINDS = ("categorical", "text", "numeric")


@dataclass(frozen=True)
class NamedClusters:
    """Each table row's cluster (``-1``: noise, or outside the projected subset) and each
    cluster's name and size."""

    labels: np.ndarray  # int32, one per table row
    names: list[str]
    sizes: list[int]
    params: dict[str, Any] = field(default_factory=dict)

    def name_of_rows(self) -> list[str]:
        """Each row's cluster name ("" for noise)."""
        names = np.array([*self.names, ""], dtype=object)
        return list(names[np.where(self.labels >= 0, self.labels, len(self.names))])

    def frame(self, rows: Rows | None = None) -> pd.DataFrame:
        """``cluster`` (-1: noise) and ``label`` per row (of the subset ``rows``, if given);
        ``attrs`` holds how they were found and named."""
        import pandas as pd

        labels, names = self.labels, np.array(self.name_of_rows(), dtype=object)
        index: pd.Index = pd.RangeIndex(len(labels))
        if rows is not None:
            index = pd.Index(rows.indices, name="row")
            labels, names = labels[rows.indices], names[rows.indices]
        frame = pd.DataFrame({"cluster": labels, "label": names}, index=index)
        attrs: dict[Any, Any] = {**self.params, "n_clusters": len(self.names)}
        frame.attrs = {**attrs, "sizes": list(self.sizes)}
        return frame


def naming_column(
    kinds: Mapping[str, str], chosen: str | None, color_by: str | None = None
) -> str | None:
    """The column naming the clusters: ``chosen`` if given, else the colour column when it holds
    categories, else the first text column, else the first categorical one (None: numbered)."""
    if chosen is not None:
        return chosen
    if color_by is not None and kinds.get(color_by) == "categorical":
        return color_by
    for wanted in ("text", "categorical"):
        found = next((name for name, kind in kinds.items() if kind == wanted), None)
        if found is not None:
            return found
    return None


def check_naming_column(name: str, kinds: Mapping[str, str]) -> None:
    """Raise :class:`InvalidSetting` unless ``name`` is a column that can name clusters."""
    if name not in kinds:
        raise InvalidSetting(f"label_column: no column {name!r}; columns are {list(kinds)}")
    if kinds[name] not in NAMING_KINDS:
        allowed = [n for n, k in kinds.items() if k in NAMING_KINDS]
        raise InvalidSetting(
            f"label_column: {name!r} is a {kinds[name]} column, which cannot name clusters; "
            f"allowed: {allowed or 'none in this table'} (text, categorical or numeric columns)"
        )


def find_layout_clusters(
    n_rows: int, coords: np.ndarray, rows: Rows | None = None, min_cluster_size: int | None = None
) -> Clusters:
    """The clusters of a layout (of the subset ``rows``, if given), one label per table row."""
    found = find_clusters(coords, min_cluster_size)
    labels = np.full(n_rows, -1, dtype=np.int32)
    where = np.arange(len(coords)) if rows is None else rows.indices[: len(coords)]
    labels[where] = found.labels
    return Clusters(labels, found.params)


def name_clusters(table: Table, found: Clusters, label_column: str | None) -> NamedClusters:
    """Name each cluster from ``label_column`` (None: numbered). Rows added to the table since
    the clusters were found belong to none."""
    n_rows = len(table)
    labels = np.full(n_rows, -1, dtype=np.int32)
    labels[: min(n_rows, len(found.labels))] = found.labels[:n_rows]
    found = Clusters(labels, found.params)
    names, method = _names(table, labels, found.count, label_column)
    names = [name or fallback for name, fallback in zip(names, numbered(len(names)), strict=True)]
    params = {**found.params, "label_column": label_column, "label_method": method}
    return NamedClusters(labels, names, [int(s) for s in found.sizes()], params)


def cluster_layout(
    table: Table,
    coords: np.ndarray,
    rows: Rows | None = None,
    label_column: str | None = None,
    min_cluster_size: int | None = None,
) -> NamedClusters:
    """Cluster a layout (of the subset ``rows``, if given) and name each cluster from
    ``label_column`` (None: numbered)."""
    found = find_layout_clusters(len(table), coords, rows, min_cluster_size)
    return name_clusters(table, found, label_column)


def _names(
    table: Table, labels: np.ndarray, count: int, column: str | None
) -> tuple[list[str], str]:
    if column is None:
        return numbered(count), "numbered"
    kind = table.column_kinds[column]
    if kind == "categorical":
        codes, categories, _ = table.category_codes(column)
        return majority_names(labels, count, np.asarray(codes), categories), "majority"
    if kind == "numeric":
        return median_names(labels, count, table.numeric_values(column), column), "median"
    if kind == "text":
        texts = table.get_column(column, convert_to="numpy")
        return term_names(labels, count, texts), "c-tf-idf"
    raise ValueError(f"label_column: {column!r} is a {kind} column, which cannot name clusters")
