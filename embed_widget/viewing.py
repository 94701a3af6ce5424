"""What a Table shows: its 2D projection as a DataFrame, and the widget that draws it.

Kept apart from the data model so ``table.py`` never imports widget code; everything here is
imported lazily, on first use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from .projection import Projector
    from .table import Table
    from .widget import EmbeddingView

#: Below this many rows a neighbour graph says little: the smart default is PCA.
MIN_ROWS_FOR_UMAP = 100


def default_algorithm(n_rows: int) -> str:
    """The smart default: UMAP when there are enough rows for neighbourhoods to mean something."""
    return "umap" if n_rows >= MIN_ROWS_FOR_UMAP else "pca"


class TableViews:
    """Mixed into :class:`~embed_widget.Table`: ``project``, ``projection``, ``view``..."""

    _view_widget: EmbeddingView | None = None
    _projector: Projector | None = None

    def project(
        self, algorithm: str | None = None, embedding: Sequence[str] | None = None, **params: Any
    ) -> pd.DataFrame:
        """Compute a 2D projection now and return it as a DataFrame.

        Parameters
        ----------
        algorithm
            ``"pca"``, ``"umap"`` or ``"tsne"``; default: the smart default for the table's size.
        embedding
            Columns forming the embedding; default: the table's default embedding columns.
        **params
            The algorithm's parameters (see ``embed_widget.projection.param_schema()``).

        Returns
        -------
        pandas.DataFrame
            ``x``, ``y`` and the table's other non-vector, non-image columns, aligned to the rows;
            ``attrs`` holds the algorithm, parameters, embedding columns and library versions.
        """
        from .export import projection_frame
        from .projection import Projector

        table = self._as_table()
        columns = list(embedding) if embedding is not None else table.default_embedding_columns
        algorithm = algorithm or default_algorithm(len(table))
        matrix = table.embedding_matrix(columns)
        if self._projector is None:
            self._projector = Projector()
        result = self._projector.project((table.version, tuple(columns)), matrix, algorithm, params)
        return projection_frame(table, result, columns)

    @property
    def projection(self) -> pd.DataFrame:
        """The current projection: what the widget shows once displayed, else the smart default."""
        if self._view_widget is not None:
            return self._view_widget.projection_frame()
        return self.project()

    @property
    def view(self) -> EmbeddingView:
        """The widget showing this table (made on first use; every display shows the same one)."""
        if self._view_widget is None:
            from .widget import EmbeddingView

            table = self._as_table()
            self._view_widget = EmbeddingView(table, algorithm=default_algorithm(len(table)))
        return self._view_widget

    @property
    def selection(self) -> pd.DataFrame:
        """The rows selected in the widget (lasso or ``view.selection``), with their x, y."""
        return self.view.selection_frame()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.view._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple) and bundle and isinstance(bundle[0], dict):
            bundle[0]["text/plain"] = repr(self)  # where widgets don't render: the table's summary
        return bundle

    def _notify_data_changed(self) -> None:
        """Called by the Table after its data changed: caches go, a displayed view recomputes."""
        self._projector = None
        if self._view_widget is not None:
            self._view_widget.refresh_soon()

    def _as_table(self) -> Table:
        return self  # type: ignore[return-value]
