"""ProjectionSession: one per table — one cache, one default algorithm, one embedding matrix.

``t.project()`` and every view of ``t`` go through the table's session (:func:`session_for`), so
they reuse each other's PCA decompositions, neighbour graphs, affinities and results.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InvalidSetting
from ..projection import ALGORITHMS, ProjectionEngine, ProjectionResult, check_params
from ..projection.knn import is_exact
from ..projection.neighbors import METRICS, NeighborIndex
from ..projection.quality import Quality, layout_quality
from ..projection.result import Reporter
from ..projection.schema import data_limits
from .cluster import Cluster, task_for
from .steps import StepLayouts

if TYPE_CHECKING:
    import pandas as pd

    from ..data import Table
    from .live import Listener, LiveProjection
    from .subset import Rows

#: Below this many rows a neighbour graph says little: the smart default is PCA.
MIN_ROWS_FOR_UMAP = 100

_sessions: weakref.WeakKeyDictionary[Table, ProjectionSession] = weakref.WeakKeyDictionary()
_sessions_lock = threading.Lock()


def default_algorithm(n_rows: int) -> str:
    """The smart default: UMAP when there are enough rows for neighbourhoods to mean something."""
    return "umap" if n_rows >= MIN_ROWS_FOR_UMAP else "pca"


def session_for(table: Table) -> ProjectionSession:
    """The table's session, made on first use."""
    with _sessions_lock:
        session = _sessions.get(table)
    return session if session is not None else ProjectionSession(table)


class ProjectionSession:
    """The link between one table and its projections.

    Parameters
    ----------
    table
        The table; held weakly (a session lives as long as its table, not longer).
    engine
        Runs the views' jobs (a new :class:`ProjectionEngine` by default; tests pass a fake).
        Its ``projector`` holds the caches, shared with :meth:`project`.

    Making a session registers it as the table's (:func:`session_for` returns it).
    """

    def __init__(self, table: Table, engine: ProjectionEngine | None = None) -> None:
        self._table = weakref.ref(table)
        self.engine = engine if engine is not None else ProjectionEngine()
        self._lock = threading.Lock()
        self._matrix_key: tuple[int, tuple[str, ...]] | None = None
        self._matrix: np.ndarray | None = None
        self._neighbors: tuple[tuple[Any, ...], NeighborIndex] | None = None
        self._subset: tuple[tuple[Any, ...], np.ndarray] | None = None
        self._lives: list[LiveProjection] = []
        self.step_layouts = StepLayouts()  # (layouts of training steps, see steps.py)
        #: projections of more rows than a sample run on this Dask cluster (see cluster.py)
        self.cluster: Cluster | None = None
        table.subscribe(self._on_data_changed)
        with _sessions_lock:
            old = _sessions.get(table)
            _sessions[table] = self
        if old is not None:
            table.unsubscribe(old._on_data_changed)

    @property
    def table(self) -> Table:
        table = self._table()
        if table is None:
            raise RuntimeError("the table of this projection session no longer exists")
        return table

    @property
    def default_algorithm(self) -> str:
        """The smart default for this table's size."""
        return default_algorithm(len(self.table))

    def key(self, embedding: Sequence[str], rows: Rows | None = None) -> tuple[Any, ...]:
        """The cache key of an embedding: the table's data version, its columns (and the rows
        of a subset)."""
        key = (self.table.version, tuple(embedding))
        return key if rows is None else (*key, rows.digest)

    def matrix(self, embedding: Sequence[str], rows: Rows | None = None) -> np.ndarray:
        """The embedding matrix, or the rows of a subset of it (kept while asked for)."""
        full = self.full_matrix(embedding)
        if rows is None:
            return full
        if rows.indices.size and int(rows.indices.max()) >= len(full):
            raise ValueError(
                f"subset: row {int(rows.indices.max())} is past the table's {len(full)}"
            )
        held = self._subset
        if held is None or held[0] != self.key(embedding, rows):
            held = self._subset = (self.key(embedding, rows), full[rows.indices])
        return held[1]

    def full_matrix(self, embedding: Sequence[str]) -> np.ndarray:
        """The embedding matrix (built once per data version and column choice, then shared)."""
        if len(self.table) == 0:
            raise ValueError(
                f"the table has 0 rows (columns {self.table.columns}): add rows to see a projection"
            )
        if not embedding:
            raise ValueError("no embedding columns chosen: pick an embedding or numeric columns")
        key = self.key(embedding)
        with self._lock:
            if key == self._matrix_key and self._matrix is not None:
                return self._matrix
        matrix = self.table.embedding_matrix(list(embedding))
        with self._lock:
            self._matrix_key, self._matrix = key, matrix
        return matrix

    def neighbors(
        self, row: int, k: int, metric: str, embedding: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` rows nearest to ``row`` in the original space of ``embedding`` (exact), and
        their distances, nearest first."""
        if metric not in METRICS:
            raise InvalidSetting(f"metric must be one of {list(METRICS)}, not {metric!r}")
        key = self.key(embedding)
        matrix = self.matrix(embedding)
        index = self._neighbors
        if index is None or index[0] != key:
            index = self._neighbors = (key, NeighborIndex(matrix))
        return index[1].query(row, k, metric)

    def quality(
        self, result: ProjectionResult, embedding: Sequence[str], k: int = 10,
        rows: Rows | None = None,
    ) -> Quality:  # fmt: skip
        """How well ``result`` (of the subset ``rows``, if given) keeps each row's k nearest
        neighbours of ``embedding``, with the layout's trustworthiness and continuity (in the
        projection's metric)."""
        matrix = self.matrix(embedding, rows)
        if len(matrix) < 3:
            raise ValueError(
                f"projection quality needs at least 3 rows; the table has {len(matrix)}"
            )
        metric = self.default_metric(embedding, result.params)
        graph = self.engine.projector.neighbor_graph(self.key(embedding, rows), matrix, metric, k)
        return layout_quality(matrix, result.coords, graph, metric)

    def quality_is_cheap(self, result: ProjectionResult, embedding: Sequence[str], k: int) -> bool:
        """Whether :meth:`quality` needs no approximate neighbour search (the projection's own
        graph is cached, or the table is small enough for an exact one): then the widget
        computes it after every layout, unasked."""
        matrix = self.cached_matrix
        if matrix is None:
            return False
        metric = self.default_metric(embedding, result.params)
        projector = self.engine.projector
        return is_exact(len(matrix), metric) or projector.has_neighbor_graph(
            self.key(embedding), matrix, metric, k
        )

    def default_metric(self, embedding: Sequence[str], params: Mapping[str, Any]) -> str:
        """The projection's metric when it has one, else cosine for a vector column and
        euclidean for numeric columns."""
        metric = params.get("metric")
        if isinstance(metric, str) and metric in METRICS:
            return metric
        kinds = self.table.column_kinds
        return "cosine" if any(kinds.get(c) == "embedding" for c in embedding) else "euclidean"

    @property
    def cached_matrix(self) -> np.ndarray | None:
        """The embedding matrix held now (None once freed)."""
        return self._matrix

    def limits(self, embedding: Sequence[str]) -> dict[str, Any]:
        """Data-dependent parameter limits for ``embedding`` (``_limits`` of the widget)."""
        try:
            n_dims: int | None = int(self.matrix(embedding).shape[1])
        except (ValueError, TypeError, KeyError):
            n_dims = None
        return data_limits(len(self.table), n_dims)

    def project(
        self,
        algorithm: str | None = None,
        embedding: Sequence[str] | None = None,
        params: Mapping[str, Any] | None = None,
        cluster: Cluster | None = None,
    ) -> tuple[ProjectionResult, list[str]]:
        """Compute a projection now, on this thread, with the session's caches; on ``cluster``
        (default: the session's, if any) when there are more rows than its sample.

        Returns the result and the embedding columns used. Raises :class:`InvalidSetting` for an
        unknown algorithm or parameter, ``ValueError`` / ``TypeError`` for data that cannot be
        projected.
        """
        algorithm = (algorithm or self.default_algorithm).lower()
        if algorithm not in ALGORITHMS:
            raise InvalidSetting(f"algorithm must be one of {list(ALGORITHMS)}, not {algorithm!r}")
        columns = list(embedding) if embedding is not None else self.table.default_embedding_columns
        matrix = self.matrix(columns)
        try:
            check_params(algorithm, params or {})
        except ValueError as error:
            raise InvalidSetting(str(error)) from None
        settled = self.with_preprocess(params or {}, columns)
        on_cluster = task_for(self, self.key(columns), matrix, algorithm, settled, cluster)
        if on_cluster is not None:
            return on_cluster(Reporter()), columns
        return self.engine.projector.project(self.key(columns), matrix, algorithm, settled), columns

    def with_preprocess(
        self, params: Mapping[str, Any], embedding: Sequence[str]
    ) -> dict[str, Any]:
        """``params`` with ``preprocess="auto"`` settled as ``"none"`` for a vector column (its
        dimensions share one scale); numeric columns are left to the projector's check."""
        kinds = self.table.column_kinds
        auto = params.get("preprocess", "auto") == "auto"
        if auto and any(kinds.get(c) == "embedding" for c in embedding):
            return {**params, "preprocess": "none"}
        return dict(params)

    def frame(self, result: ProjectionResult, embedding: Sequence[str]) -> pd.DataFrame:
        """``result`` as a DataFrame beside the table's columns."""
        from .export import projection_frame

        return projection_frame(self.table, result, embedding)

    def live(self, listener: Listener) -> LiveProjection:
        """A new live projection (one per view) reporting to ``listener``."""
        from .live import LiveProjection

        live = LiveProjection(self, listener)
        with self._lock:
            self._lives.append(live)
        return live

    def use_cluster(self, cluster: Cluster | None) -> None:
        """Run projections on ``cluster`` from now on (None: in the kernel); every view that has
        asked for a layout is laid out again, there."""
        with self._lock:
            self.cluster = cluster
            lives = list(self._lives)
        for live in lives:
            live.refit()

    def forget(self, live: LiveProjection) -> None:
        """Drop a closed live projection; with none left showing, free the caches."""
        self.engine.cancel(live)
        with self._lock:
            if live in self._lives:
                self._lives.remove(live)
        self.release_if_unused()

    def release_if_unused(self) -> None:
        """Free the matrix and every cache when no live projection is shown (they are rebuilt
        on demand): a table whose views are all gone holds no more than its own data."""
        with self._lock:
            if any(live.shown for live in self._lives):
                return
            self._matrix_key, self._matrix, self._neighbors, self._subset = None, None, None, None
        self.engine.projector.clear()
        self.step_layouts.clear()

    def _on_data_changed(self) -> None:
        # The old data's caches (neighbour graphs, affinities, results) go; views recompute.
        with self._lock:
            self._matrix_key, self._matrix, self._neighbors, self._subset = None, None, None, None
            lives = list(self._lives)
        self.engine.projector.clear()
        self.step_layouts.clear()
        for live in lives:
            live.data_changed()
