"""EmbeddingView: the anywidget showing a Table's 2D projection.

Traits and observers only. The table's session computes (:mod:`embed_widget.session`); this view
turns its settings into requests and what comes back into traits. Coordinates and colours cross
as raw bytes inside dict traits (one trait update per layout, so x and y never arrive apart).
"""

from __future__ import annotations

import os
import pathlib
from typing import TYPE_CHECKING, Any

import anywidget
import numpy as np
import traitlets

from ..data import reject_unknown
from ..projection import ProjectionResult, param_schema, warm_up_in_background
from ..session import Cluster, LiveProjection, Settings, Status, session_for
from ..session import status as st
from ..session.debounce import Debounced
from .choices import Choices
from .clusters import CLUSTER_COLUMN, Clustering, with_derived
from .encodings import COLOR_SCALES, LastEncoding, column_infos, no_colors
from .explore import Exploring
from .linking import Linking
from .outputs import Outputs
from .picture import SavedPicture
from .protocol import Colors, LiveReply
from .quality import QUALITY_COLUMN, LayoutQuality
from .replies import reply, rows_reply
from .settings import (
    ACCEPTED,
    InvalidSetting,
    check_algorithm_params,
    check_columns,
    checked_algorithm,
    smart_defaults,
)
from .share import Sharing
from .stepping import Stepping

if TYPE_CHECKING:
    import pandas as pd

    from ..data import Table

STATIC = pathlib.Path(__file__).parent.parent / "static"
#: A shown table that keeps changing (rows added in a loop) recomputes this long after it stops.
REFRESH_DELAY_S = 0.3


class EmbeddingView(
    Exploring, Clustering, Linking, Stepping, Sharing, SavedPicture, anywidget.AnyWidget
):
    """The 2D projection of a :class:`~embed_widget.Table`, drawn with WebGL.

    Every public trait can be set from Python or from the widget's controls; the plot follows.
    A setting from Python that the parameter schema or the table does not allow raises
    :class:`~embed_widget.InvalidSetting` (a ``ValueError``) and changes nothing.

    Parameters
    ----------
    table
        The table to show. Its projection session (one per table) is shared with
        ``table.project()`` and every other view of it.
    **settings
        Initial values of the public traits (``algorithm``, ``params``, ``embedding``, ``color_by``,
        ``labels``, ``selection``, ``search``, ``filter``, ...); unknown names raise ``TypeError``.
    client
        A ``dask.distributed.Client``: as ``table.use_cluster(client)`` (unless the table uses that
        client already: its ``sample`` and ``stratify`` are kept), the table's projections (this
        view's too) are fitted on a sample and the other rows placed on the cluster.
    """

    _esm = STATIC / "widget.js"
    _css = STATIC / "widget.css"

    algorithm = traitlets.Unicode("umap").tag(sync=True)
    """Projection algorithm: ``"pca"``, ``"umap"`` or ``"tsne"`` (default: the table's smart
    default, PCA below 100 rows)."""

    params = traitlets.Dict().tag(sync=True)
    """The algorithm's parameters (see ``embed_widget.projection.param_schema()``); missing ones
    take their defaults. Setting ``algorithm`` alone brings back the parameters last used with it;
    set both (in either order, or together in ``hold_trait_notifications``) to choose them."""

    embedding = traitlets.List(traitlets.Unicode()).tag(sync=True)
    """Columns forming the embedding: an embedding (vector) column, or numeric columns."""

    color_by = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    """Column colouring the points (categorical: palette and legend; numeric: colormap), or None."""

    color_scale = traitlets.Enum(COLOR_SCALES, "auto").tag(sync=True)
    """How a numeric colour column maps onto the colormap: ``"linear"``, ``"log"``,
    ``"quantile"`` or ``"auto"`` (log or quantile for strongly skewed values; the colorbar says
    which)."""

    image_column = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    """Image column shown in the hover tooltip, or None."""

    selection_column = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    """Column the selection list shows for each selected row (default: the first text column,
    else the colour column), or None for row numbers."""

    status = traitlets.Dict().tag(sync=True)
    """Computation state (:class:`~embed_widget.session.Status`): ``state`` (idle, running, done,
    error), ``phase``, ``progress`` (0-1), ``message``, ``notices``, ``info``, ``seq``."""

    _schema = traitlets.Dict().tag(sync=True)
    """The static parameter schema the controls are built from (sent once)."""

    _limits = traitlets.Dict().tag(sync=True)
    """What the table's data allows (:class:`~embed_widget.widget.protocol.Limits`)."""

    _columns = traitlets.List(traitlets.Dict()).tag(sync=True)
    """The table's columns (:class:`~embed_widget.widget.protocol.ColumnInfo`)."""

    _colors = traitlets.Dict().tag(sync=True)
    """Colour encoding from :func:`~embed_widget.widget.encodings.color_encoding`."""

    _from_frontend = False
    _live: LiveProjection | None = None

    def __init__(self, table: Table, *, client: Any = None, **settings: Any) -> None:
        reject_unknown("EmbeddingView", settings, ACCEPTED)
        session = session_for(table)
        if client is not None and getattr(session.cluster, "client", None) is not client:
            session.use_cluster(Cluster(client))  # (the same client keeps the table's settings)
        if os.environ.get("ANYWIDGET_HMR") != "1":
            # without hot reload, give anywidget the text (its file watcher would hold every view)
            self._esm, self._css = str(type(self)._esm), str(type(self)._css)  # type: ignore[assignment]
        self.table = table
        self._refresh_timer = Debounced(self.refresh, REFRESH_DELAY_S)
        self._outputs = Outputs(on_hidden=self._hidden, on_shown=self._shown_again)
        self._started = False  # nothing is computed until shown or asked for a result
        self._choices = Choices()
        self._colorings = LastEncoding()
        self.quality = LayoutQuality(self._quality_ready)
        with self._choices.defaulting():
            super().__init__(**smart_defaults(table, session.default_algorithm))
        with self.hold_trait_notifications():  # checked together: params with their algorithm
            for name, value in settings.items():
                setattr(self, name, value)
        self._choices.chosen.update(settings)
        self._live = session.live(self)
        self._note_params(self.params)
        self._schema = param_schema()
        self.status = dict(st.idle())
        self._sync_table()
        self.on_msg(self._on_message)
        self.on_msg(self._picture_message)

    # --- Python API ---------------------------------------------------------------------------

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the current projection is computed (True) or ``timeout`` passes (False)."""
        self._start()
        self._refresh_timer.flush()
        self._request()  # (a hidden view computes again when asked for its result)
        return self.live.wait(timeout)

    @property
    def live(self) -> LiveProjection:
        """This view's projection (its requests, status and result)."""
        if self._live is None:
            raise RuntimeError("this EmbeddingView was closed; use table.view for a new one")
        return self._live

    @property
    def result(self) -> ProjectionResult | None:
        """The projection currently shown (final, not a streamed frame), or None."""
        return self.live.result

    def projection_frame(self, wait: bool = True) -> pd.DataFrame:
        """The shown projection as a DataFrame (x, y and the table's other columns); with
        ``wait`` (the default) a running computation finishes first, so it matches the settings."""
        if wait:
            self.wait()
        frame = self.live.frame()
        if frame is None:
            raise RuntimeError(f"no projection to show: {self.status.get('message') or 'none yet'}")
        return self.aligned_frame(frame)  # (linked views: as drawn)

    def refresh(self) -> None:
        """Pick up a change of the table's data (rows or columns added)."""
        if self._live is None:
            return
        self._apply_defaults()
        self._sync_table()
        self.update_exploration()
        if self._started:
            self.live.refresh()

    def _apply_defaults(self) -> None:
        """Unset settings take the table's smart defaults (the algorithm only before a picture)."""
        defaults = smart_defaults(self.table, self.live.session.default_algorithm)
        if self.live.result is not None:
            del defaults["algorithm"]
        changes = self._choices.unchosen(defaults, {k: getattr(self, k) for k in defaults})
        with self._choices.defaulting(), self.hold_trait_notifications():
            for name, value in changes.items():
                setattr(self, name, value)

    def close(self) -> None:
        """Close the widget: its job stops, it leaves the session (``table.view`` is then new)."""
        for timer in (self.__dict__.get("_refresh_timer"), self.__dict__.get("_outputs")):
            if timer is not None:  # (None when the constructor raised)
                timer.cancel()
        if self._live is not None:
            self.quality.close()
            self._close_clustering()
            self._live.close()
            self._live = None
        super().close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called (the widget cannot be displayed any more)."""
        return self._live is None

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        self._start()
        return super()._repr_mimebundle_(**kwargs)

    # --- what the session reports (Listener) --------------------------------------------------

    def show_status(self, status: Status) -> None:
        self.status = dict(self.quality.annotate(status))

    def _quality_ready(self, seq: int) -> None:
        self.show_status(self.status)  # type: ignore[arg-type]
        if self.color_by == QUALITY_COLUMN:
            self._update_colors()

    def show_layout(
        self, coords: np.ndarray, *, final: bool, seq: int, preview: bool = False
    ) -> None:
        self.publish_layout(coords, final=final, seq=seq, preview=preview)
        if final and not preview:  # clusters first: their labels are what the user sees
            self._clusters_layout_done(seq)
            self.quality.layout_done(self.live, seq, asked=self.color_by == QUALITY_COLUMN)

    def data_changed(self) -> None:
        """The table's data changed: refresh once it stops changing (``add_data`` in a loop)."""
        self._refresh_timer.call()

    # --- wiring -------------------------------------------------------------------------------

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        self.live.show()
        self._request()
        warm_up_in_background()  # a view of a data.Table: compile UMAP's kernel now

    def _request(self) -> None:
        if self._started and self._live is not None:
            self._live.request(self.current_settings())

    def current_settings(self) -> Settings:
        rows = None if self.subset is None else self.subset.tobytes()
        return Settings(self.algorithm, dict(self.params), tuple(self.embedding), rows,
                        tuple(self.steps), self.step)  # fmt: skip

    def _sync_table(self) -> None:  # (also the colour choices derived from the layout)
        self._columns = [dict(c) for c in with_derived(column_infos(self.table.column_kinds))]
        self._limits = self.live.session.limits(self.embedding)
        self._update_colors()

    def set_state(self, sync_data: dict[str, Any]) -> None:
        # checked when requested, errors shown in the widget (raised here: only in the kernel's log)
        self._from_frontend = True
        try:
            super().set_state(sync_data)
        finally:
            self._from_frontend = False

    @traitlets.validate("params")
    def _check_params(self, proposal: dict[str, Any]) -> dict[str, Any]:
        value = dict(proposal["value"])
        if not self._from_frontend:
            check_algorithm_params(self.algorithm, value)
        self._choices.params_validated(value)
        return value

    @traitlets.validate("embedding", "color_by", "image_column", "selection_column")
    def _check_columns(self, proposal: dict[str, Any]) -> Any:
        value, name = proposal["value"], proposal["trait"].name
        self._choices.chose(name)
        if not self._from_frontend and value is not None and not self._derived(value):
            check_columns(name, value, self.table.column_kinds, empty=len(self.table) == 0)
            if name == "color_by":
                self._encode_colors(value)  # e.g. too many categories: raise, change nothing
        return value

    @traitlets.validate("color_scale")
    def _check_scale(self, proposal: dict[str, Any]) -> Any:
        if not self._from_frontend:
            self._encode_colors(self.color_by, proposal["value"])  # e.g. log of negative values
        return proposal["value"]

    @traitlets.validate("algorithm")
    def _check_algorithm(self, proposal: dict[str, Any]) -> str:
        self._choices.chose("algorithm")
        return checked_algorithm(proposal["value"])

    @traitlets.observe("algorithm")
    def _on_algorithm(self, change: dict[str, Any]) -> None:
        if self._live is None:
            return  # (while constructing: EmbeddingView(t, algorithm=..., params=...) keeps both)
        # params set with it (held notifications, one message) are its; else its last ones return
        together = self._choices.params_came_with(change["new"])
        params = self._live.set_algorithm(change["new"], self.params if together else None)
        if params != self.params:
            self.params = params  # (observed: requests)
        else:
            self._request()

    @traitlets.observe("params")
    def _on_params(self, change: dict[str, Any]) -> None:
        self._note_params(change["new"])
        self._request()

    def _note_params(self, params: dict[str, Any]) -> None:
        self._choices.params_seen(params, self.algorithm)
        if self._live is not None:
            self._live.remember(self.algorithm, params)

    @traitlets.observe("selection", "selection_column", "image_column")
    def _on_listed(self, change: dict[str, Any]) -> None:
        # pushed: a request could overtake the state change (ipywidgets holds back updates)
        if self._live is not None and (self.selection.size or change["name"] == "selection"):
            self.send(*rows_reply(self))

    @traitlets.observe("embedding", "subset")
    def _on_embedding(self, change: dict[str, Any]) -> None:
        if self._live is not None:
            self._limits = self._live.session.limits(self.embedding)
            self._request()

    @traitlets.observe("color_by", "image_column", "color_scale", "selection_column")
    def _on_column_choice(self, change: dict[str, Any]) -> None:
        self._choices.chose(change["name"])  # (also None: validators skip it)
        if change["name"] in ("color_by", "color_scale") and self._live is not None:
            self._update_colors()
            if change["new"] == QUALITY_COLUMN:
                self.quality.ask(self.live, self._layout)

    def _update_colors(self) -> None:
        try:
            self._colors = dict(self._encode_colors(self.color_by))
        except ValueError as error:
            self._colors = dict(no_colors())
            self.status = dict(st.failed(str(error)))

    def _encode_colors(self, column: str | None, scale: str | None = None) -> Colors:
        """The colour encoding of ``column`` (kept: the validator and the observer share it)."""
        if column == CLUSTER_COLUMN and self._derived(column):
            return self._cluster_colors()
        if column == QUALITY_COLUMN and self._derived(column):
            return self.quality.colors(scale or self.color_scale)
        try:
            return self._colorings.encode(self.table, column, scale or self.color_scale)
        except ValueError as error:
            raise InvalidSetting(str(error)) from None

    # --- the frontend's messages --------------------------------------------------------------

    def _on_message(self, _widget: Any, content: dict[str, Any], _buffers: list[bytes]) -> None:
        if content.get("type") == "output":
            if content.get("shown"):
                self._start()  # (a view in a box: the box's display did not start it)
            self._outputs.changed(bool(content.get("shown")))
            self.send(dict(LiveReply(type="live")))  # a kernel holds it (not a saved state only)
            return
        if self._live is None:
            return
        answer = reply(content, self)
        if answer is not None:
            self.send(*answer)

    def shown_projection(self) -> tuple[str, pd.DataFrame] | None:
        """The projection on screen now, or None (never blocks for one still computing)."""
        return self._live.on_screen() if self._live is not None else None

    def _shown_again(self) -> None:
        if self._live is not None:
            self._live.show()
            self._live.refresh()

    def _hidden(self) -> None:
        """Every output of this view is gone: stop its job and free its memory."""
        if self._live is None:
            return
        self._live.hide()
        self.clear_layout()
        self.status = dict(st.idle("not shown: display the table again to recompute"))
