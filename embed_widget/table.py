"""``Table``: the data model (:class:`embed_widget.data.Table`) with its projection and widget.

The data layer knows nothing of projections or widgets; this class adds them by composition:
the table's :class:`~embed_widget.session.ProjectionSession` (shared by ``project`` and every
view) and its current :class:`~embed_widget.EmbeddingView`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from . import data
from .data.long import wide_steps
from .errors import InvalidSetting
from .projection import warm_up_in_background
from .projection.distributed import SAMPLE_ROWS
from .session import session_for
from .session.cluster import Cluster
from .session.clusters import check_naming_column, cluster_layout, naming_column

if TYPE_CHECKING:
    import pandas as pd

    from .widget import EmbeddingView
    from .widget.compare import Comparison


class Table(data.Table):
    __doc__ = data.Table.__doc__

    _view: EmbeddingView | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Compile UMAP's kernel (a machine's first run: ~1 s) before anyone asks for it.
        warm_up_in_background()

    def project(
        self,
        algorithm: str | None = None,
        embedding: Sequence[str] | None = None,
        *,
        client: Any = None,
        sample: int | None = None,
        stratify: str | None = None,
        **params: Any,
    ) -> pd.DataFrame:
        """Compute a 2D projection now and return it as a DataFrame.

        Parameters
        ----------
        algorithm
            ``"pca"``, ``"umap"`` or ``"tsne"``; default: the smart default for the table's size
            (UMAP from 100 rows on, PCA below).
        embedding
            Columns forming the embedding; default: the table's default embedding columns.
        client
            A ``dask.distributed.Client``: fit on a sample of the rows, here, and place the other
            rows into that layout on the cluster's workers, in parallel chunks (the ``dask``
            extra). ``attrs["distributed"]`` says how many rows were fitted and placed. A table
            of no more rows than the sample is projected here, as without a client.
        sample
            With ``client``: how many rows to fit on (default 100,000).
        stratify
            With ``client``: a categorical column whose categories are sampled in proportion.
        **params
            The algorithm's parameters (see ``embed_widget.projection.param_schema()``); an
            unknown one raises :class:`~embed_widget.InvalidSetting`.

        Returns
        -------
        pandas.DataFrame
            ``x``, ``y`` and the table's other non-vector, non-image columns, aligned to the rows;
            ``attrs`` holds the algorithm, parameters, embedding columns and library versions.
        """
        session = session_for(self)
        if client is None and (sample is not None or stratify is not None):
            raise InvalidSetting("sample and stratify apply to a projection on a cluster (client=)")
        cluster = self._cluster(client, sample, stratify) if client is not None else None
        result, columns = session.project(algorithm, embedding, params, cluster=cluster)
        return session.frame(result, columns)

    def use_cluster(
        self, client: Any, sample: int | None = None, stratify: str | None = None
    ) -> None:
        """Run this table's projections (``project`` and the widget's) on a Dask cluster from
        now on: fitted on a sample of ``sample`` rows (default 100,000; ``stratify``: a
        categorical column to sample in proportion), the other rows placed on the workers and
        streamed to the plot as they land. A table of no more rows than the sample is projected
        in the kernel as usual. ``client=None`` goes back to the kernel alone."""
        cluster = self._cluster(client, sample, stratify) if client is not None else None
        session_for(self).use_cluster(cluster)  # a view shown already: laid out again, there

    def _cluster(self, client: Any, sample: int | None, stratify: str | None) -> Cluster:
        size = SAMPLE_ROWS if sample is None else int(sample)
        if size < 2:
            raise InvalidSetting(f"sample must be at least 2 rows, not {sample!r}")
        if stratify is not None:
            self.category_codes(stratify)  # (a column that has categories, or a clear error)
        return Cluster(client, size, stratify)

    @property
    def projection(self) -> pd.DataFrame:
        """The current projection: what the widget shows once displayed, else the smart default."""
        if self._view is not None and not self._view.closed:
            return self._view.projection_frame()
        return self.project()

    @property
    def view(self) -> EmbeddingView:
        """The widget showing this table (made on first use, and again after ``close()``; every
        display shows the same one)."""
        if self._view is None or self._view.closed:
            from .widget import EmbeddingView

            self._view = EmbeddingView(self)
        return self._view

    @classmethod
    def from_steps(
        cls,
        dataframe: pd.DataFrame,
        step: str = "step",
        key: str = "id",
        embedding: str = "embedding",
        missing: Literal["error", "drop"] = "error",
    ) -> Table:
        """A table of training steps from a long one (a row per item and step, as a run logs
        a table at each step): a row per ``key``, an embedding column a step (``emb@100``),
        the view's ``steps`` set to them. Other columns keep their last step's values.
        ``missing="drop"`` keeps only the keys found at every step (else that is an error).
        """
        wide, columns = wide_steps(dataframe, step, key, embedding, missing)
        table = cls(dataframe=wide)
        table.view.steps = columns
        return table

    def compare(self, embeddings: Sequence[str | Sequence[str]], **kwargs: Any) -> Comparison:
        """Linked views of several embeddings of this table, side by side (2 to 4).

        ``t.compare(["emb_epoch1", "emb_epoch10"])``: one view per item (a column name, or a
        list of numeric columns), rows matched by row number, each layout aligned to the first.
        Keyword arguments go to :func:`embed_widget.compare` (``align``, ``link_zoom``) or to
        every view (``algorithm``, ``params``, ``color_by``, ...).
        """
        from .widget.compare import compare_columns

        return compare_columns(self, embeddings, **kwargs)

    def neighbors(self, row: int, k: int = 10, metric: str | None = None) -> pd.DataFrame:
        """The ``k`` rows nearest to ``row`` in the original space (exact), nearest first.

        Parameters
        ----------
        row
            The row whose neighbours to find.
        k
            How many (at most the number of other rows).
        metric
            ``"euclidean"``, ``"cosine"``, ``"correlation"`` or ``"manhattan"``; default: the
            shown projection's metric when it has one (UMAP, t-SNE), else cosine for a vector
            column and euclidean for numeric columns.

        Returns
        -------
        pandas.DataFrame
            A ``distance`` column and the rows' cells, indexed by row number; ``attrs`` holds
            the row, the metric and the embedding columns.
        """
        view = self._view if self._view is not None and not self._view.closed else None
        embedding = list(view.embedding) if view else self.default_embedding_columns
        session = session_for(self)
        if metric is None:
            shown = view.result if view else None
            params = shown.params if shown is not None else (view.params if view else {})
            metric = session.default_metric(embedding, params)
        indices, distances = session.neighbors(row, k, metric, embedding)
        frame = self.rows_frame(indices.tolist())
        frame.insert(0, "distance", distances)
        frame.attrs = {"row": int(row), "metric": metric, "embedding": embedding, "k": len(frame)}
        return frame

    def quality(self, k: int = 10) -> pd.DataFrame:
        """How well the current projection keeps each row's ``k`` nearest neighbours.

        Returns
        -------
        pandas.DataFrame
            ``preserved`` per row: the share of its k nearest rows in the original space (the
            projection's metric) that are among its k nearest in 2D. ``attrs`` holds ``k``, the
            metric, ``mean_preserved``, and the layout's ``trustworthiness`` and ``continuity``
            (Venna & Kaski; from a random sample of ``sampled_rows`` rows above 1,000 rows).
        """
        import pandas as pd

        view = self._view if self._view is not None and not self._view.closed else None
        session = session_for(self)
        if view is not None:
            view.wait()
        rows = None
        if view is not None and view.result is not None:
            result, embedding, rows = (
                view.result,
                list(view.live.result_embedding),
                view.live.result_rows,
            )
        else:
            result, embedding = session.project()
        quality = session.quality(result, embedding, k, rows)
        index = pd.RangeIndex(len(self)) if rows is None else pd.Index(rows.indices, name="row")
        frame = pd.DataFrame({"preserved": quality.preserved}, index=index)
        frame.attrs = {
            "k": quality.k, "metric": session.default_metric(embedding, result.params),
            "mean_preserved": quality.mean_preserved,
            "trustworthiness": quality.trustworthiness, "continuity": quality.continuity,
            "sampled_rows": quality.sampled_rows, "algorithm": result.algorithm,
        }  # fmt: skip
        return frame

    def clusters(
        self, min_cluster_size: int | None = None, label_column: str | None = None
    ) -> pd.DataFrame:
        """The clusters of the current projection, found with HDBSCAN on its 2D layout.

        Parameters
        ----------
        min_cluster_size
            The smallest group of rows called a cluster; default: 1% of the rows (at least 5).
        label_column
            The column naming each cluster: a categorical column gives its majority value and
            share ("logging 92%"), a text column its most distinctive terms (class-based
            TF-IDF), a numeric column its median. Default: the view's ``label_column``, else
            the colour column if categorical, else the first text or categorical column.

        Returns
        -------
        pandas.DataFrame
            ``cluster`` per row (``-1``: noise) and its ``label``; ``attrs`` holds the method and
            its parameters (``min_cluster_size``, ``min_samples``, ``sampled_rows`` above 20k
            rows), the naming column and method, ``n_clusters`` and their ``sizes``.
        """
        kinds = self.column_kinds
        if label_column is not None:
            check_naming_column(label_column, kinds)
        view = self._view if self._view is not None and not self._view.closed else None
        if view is not None:
            view.wait()
            return view.clusters_frame(min_cluster_size, label_column)
        result, _ = session_for(self).project()
        column = naming_column(kinds, label_column, self.default_color_column)
        frame = cluster_layout(self, result.coords, None, column, min_cluster_size).frame()
        frame.attrs["algorithm"] = result.algorithm
        return frame

    @property
    def selection(self) -> pd.DataFrame:
        """The rows selected in the widget (lasso or ``view.selection``), with their x, y."""
        return self.view.selection_frame()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.view._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple) and bundle and isinstance(bundle[0], dict):
            bundle[0]["text/plain"] = repr(self)  # where widgets don't render: the table's summary
        return bundle

    def _ipython_display_(self) -> None:
        self.view.display_with_picture(self._repr_mimebundle_())
