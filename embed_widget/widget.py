"""EmbeddingView: the anywidget showing a Table's 2D projection.

Thin wiring: user state lives in public traits, the projection runs in the engine's worker thread,
and coordinates / colours cross to the frontend as raw bytes inside dict traits (one trait update
per layout, so x and y never arrive apart).
"""

from __future__ import annotations

import json
import pathlib
import threading
from typing import TYPE_CHECKING, Any

import anywidget
import numpy as np
import traitlets

from .colors import color_encoding
from .debounce import Debounced
from .projection import (
    ProjectionEngine,
    ProjectionResult,
    param_schema,
    validate_params,
    warm_up_in_background,
)
from .projection.pca import preview as pca_preview
from .replies import reply
from .selection import IndexArray
from .settings import check_algorithm_params, check_columns, checked_algorithm, valid_params

if TYPE_CHECKING:
    import pandas as pd

    from .table import Table

STATIC = pathlib.Path(__file__).parent / "static"
DEFAULT_ALGORITHM = "umap"
#: A shown table that keeps changing (rows added in a loop) recomputes this long after it stops.
REFRESH_DELAY_S = 0.3


class EmbeddingView(anywidget.AnyWidget):
    """The 2D projection of a :class:`~embed_widget.Table`, drawn with WebGL.

    Every public trait can be set from Python or from the widget's controls; the plot follows.
    A setting from Python that the parameter schema or the table does not allow raises
    :class:`InvalidSetting` (a ``ValueError``) and changes nothing.
    """

    _esm = STATIC / "widget.js"
    _css = STATIC / "widget.css"

    algorithm = traitlets.Unicode(DEFAULT_ALGORITHM).tag(sync=True)
    """Projection algorithm: ``"pca"``, ``"umap"`` or ``"tsne"``."""

    params = traitlets.Dict().tag(sync=True)
    """The algorithm's parameters (see ``embed_widget.projection.param_schema()``); missing ones
    take their defaults. Setting ``algorithm`` brings back the parameters last used with it, so set
    ``params`` after ``algorithm``."""

    embedding = traitlets.List(traitlets.Unicode()).tag(sync=True)
    """Columns forming the embedding: an embedding (vector) column, or numeric columns."""

    color_by = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    """Column colouring the points (categorical: palette and legend; numeric: colormap), or None."""

    image_column = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    """Image column shown in the hover tooltip, or None."""

    selection = IndexArray().tag(sync=True)
    """Row indices selected in the plot (lasso) or from Python, as a uint32 array."""

    status = traitlets.Dict().tag(sync=True)
    """Computation state: ``state`` (idle/running/done/error), ``phase``, ``progress`` (0-1),
    ``message``, ``notices`` and the result's ``info``."""

    _schema = traitlets.Dict().tag(sync=True)
    """Parameter schema the controls are built from, narrowed to this table's size."""

    _columns = traitlets.List(traitlets.Dict()).tag(sync=True)
    """The table's columns as ``{"name", "kind"}``."""

    _layout = traitlets.Dict().tag(sync=True)
    """Current coordinates: ``coords`` (float32 x, y interleaved), ``final`` (False for streamed
    frames and previews), ``seq`` (request number)."""

    _colors = traitlets.Dict().tag(sync=True)
    """Colour encoding from :func:`embed_widget.colors.color_encoding`."""

    _from_frontend = False
    _constructed = False

    def __init__(self, table: Table, **kwargs: Any) -> None:
        self._table = table
        self._engine = ProjectionEngine()
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()  # a preview never lands after the job's first frame
        self._previewed: tuple[Any, ...] | None = None  # the matrix a preview was started for
        self._seq = 0
        self._submitted: tuple[Any, ...] | None = None
        self._matrix_key: tuple[Any, ...] | None = None
        self._matrix: np.ndarray | None = None
        self._result: ProjectionResult | None = None
        self._result_embedding: list[str] = []
        self._params_memory: dict[str, dict[str, Any]] = {}
        self._refresh_timer = Debounced(self.refresh, REFRESH_DELAY_S)
        # Nothing is computed until the view is shown or asked for a result, so settings made in
        # the same cell as `t.view...` merge into one request.
        self._started = False
        defaults = {
            "embedding": list(table.default_embedding_columns),
            "color_by": table.default_color_column,
            "image_column": table.default_image_column,
        }
        super().__init__(**{**defaults, **kwargs})
        self._constructed = True
        self._sync_table()
        self.on_msg(self._on_message)

    # --- Python API ---------------------------------------------------------------------------

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the current projection is computed (True) or ``timeout`` passes (False)."""
        self._start()
        self._refresh_timer.flush()
        return self._engine.wait(timeout)

    @property
    def result(self) -> ProjectionResult | None:
        """The projection currently shown (final, not a streamed frame), or None."""
        return self._result

    def projection_frame(self, wait: bool = True) -> pd.DataFrame:
        """The shown projection as a DataFrame (x, y and the table's other columns).

        With ``wait`` (the default) a running computation finishes first, so the frame matches the
        current settings.
        """
        from .export import projection_frame

        if wait:
            self.wait()
        if self._result is None:
            raise RuntimeError(f"no projection to show: {self.status.get('message', 'none yet')}")
        return projection_frame(self._table, self._result, self._result_embedding)

    def selection_frame(self) -> pd.DataFrame:
        """The selected rows with their x, y."""
        frame = self.projection_frame()
        return frame.iloc[np.asarray(self.selection, dtype=np.int64)]

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        self._start()
        return super()._repr_mimebundle_(**kwargs)

    def _start(self) -> None:
        if not self._started:
            self._started = True
            self._request()
            if self.algorithm == "pca":
                # The user sees PCA now; pay UMAP's one-off JIT meanwhile, before they switch.
                warm_up_in_background()

    def refresh(self) -> None:
        """Pick up a change of the table's data (rows or columns added)."""
        # The old data's caches (neighbour graphs, affinities, results) go with the old engine.
        old, self._engine = self._engine, ProjectionEngine()
        old.shutdown()
        if self.selection.size and int(self.selection.max()) >= len(self._table):
            self.selection = []
        self._sync_table()
        self._request()

    def refresh_soon(self) -> None:
        """Refresh once the table stops changing (a loop of ``add_data`` recomputes once)."""
        self._refresh_timer.call()

    def close(self) -> None:
        self._refresh_timer.cancel()
        self._engine.shutdown()
        super().close()

    # --- wiring -------------------------------------------------------------------------------

    def _sync_table(self) -> None:
        table = self._table
        self._columns = [{"name": n, "kind": k} for n, k in table.column_kinds.items()]
        self._schema = param_schema(len(table), self._dims_or_none())
        self._update_colors()

    def _dims_or_none(self) -> int | None:
        try:
            return int(self._embedding_matrix().shape[1])
        except (ValueError, TypeError, KeyError):
            return None

    def _embedding_matrix(self) -> np.ndarray:
        key = (self._table.version, tuple(self.embedding))
        if key != self._matrix_key:
            if not self.embedding:
                raise ValueError(
                    "no embedding columns chosen: pick an embedding or numeric columns"
                )
            self._matrix = self._table.embedding_matrix(self.embedding)
            self._matrix_key = key
        assert self._matrix is not None
        return self._matrix

    def set_state(self, sync_data: dict[str, Any]) -> None:
        # Settings from the widget's own controls are checked when the request is made and any
        # error shows in the widget (an exception here would only reach the kernel's log);
        # settings from Python code are checked by the validators below, and raise.
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
        return value

    @traitlets.validate("embedding", "color_by", "image_column")
    def _check_columns(self, proposal: dict[str, Any]) -> Any:
        value = proposal["value"]
        if not self._from_frontend and value is not None:
            check_columns(proposal["trait"].name, value, self._table.column_kinds)
        return value

    @traitlets.validate("algorithm")
    def _check_algorithm(self, proposal: dict[str, Any]) -> str:
        return checked_algorithm(proposal["value"])

    @traitlets.observe("algorithm")
    def _on_algorithm(self, change: dict[str, Any]) -> None:
        # Each algorithm keeps its own parameters: switching back brings back what the user had.
        # (Not while constructing: EmbeddingView(t, algorithm=..., params=...) keeps its params.)
        if self._constructed:
            self._params_memory[change["old"]] = dict(self.params)
            remembered = self._params_memory.get(change["new"], {})
            # (they may hold a value the controls sent that the schema rejects: then defaults)
            self.params = remembered if valid_params(change["new"], remembered) else {}
        self._request()

    @traitlets.observe("params", "embedding")
    def _on_settings(self, change: dict[str, Any]) -> None:
        if change["name"] == "embedding":
            self._schema = param_schema(len(self._table), self._dims_or_none())
        self._request()

    @traitlets.observe("color_by")
    def _on_color_by(self, change: dict[str, Any]) -> None:
        self._update_colors()

    def _update_colors(self) -> None:
        try:
            self._colors = color_encoding(self._table, self.color_by)
        except ValueError as error:
            self._colors = {"kind": "none", "column": None}
            self.status = {**self.status, "state": "error", "message": str(error)}

    def _request(self) -> None:
        """Submit the current settings to the engine (once per distinct setting)."""
        if not self._started:
            return
        request = (
            self._table.version,
            self.algorithm,
            json.dumps(self.params, sort_keys=True, default=str),
            tuple(self.embedding),
        )
        if request == self._submitted:
            return
        self._submitted = request
        algorithm, embedding = self.algorithm, list(self.embedding)
        try:
            matrix = self._embedding_matrix()
            params, notices = validate_params(algorithm, self.params, *matrix.shape)
        except (ValueError, TypeError, KeyError) as error:
            with self._lock:
                self._seq += 1  # a job still running for older settings must not land now
            self._submitted = None
            self.status = {"state": "error", "message": str(error), "notices": []}
            return
        with self._lock:
            self._seq += 1
            seq = self._seq
        self.status = {
            "state": "running",
            "phase": "starting",
            "progress": 0.0,
            "notices": notices,
            "algorithm": algorithm,
            "seq": seq,
        }
        if self._result is None and algorithm != "pca" and self._previewed != self._matrix_key:
            # The first picture must not wait for UMAP's warm-up, nor freeze the kernel while a
            # big matrix is projected: a PCA preview, drawn from its own thread, once per matrix.
            self._previewed = self._matrix_key
            preview = threading.Thread(
                target=self._show_preview, args=(matrix,), name="ew-preview", daemon=True
            )
            preview.start()

        def on_progress(fraction: float, phase: str) -> None:
            if self._is_current(seq):
                self.status = {**self.status, "phase": phase, "progress": float(fraction)}

        def on_frame(coords: np.ndarray) -> None:
            if self._is_current(seq):
                self._send_layout(coords, final=False, seq=seq)

        def on_done(result: ProjectionResult) -> None:
            if not self._is_current(seq):
                return
            self._result, self._result_embedding = result, embedding
            self._send_layout(result.coords, final=True, seq=seq)
            self.status = {
                "state": "done",
                "phase": "done",
                "progress": 1.0,
                "notices": list(result.notices),
                "info": result.info,
                "algorithm": result.algorithm,
                "seconds": result.seconds,
                "seq": seq,
            }

        def on_error(error: BaseException) -> None:
            if self._is_current(seq):
                self._submitted = None
                self.status = {"state": "error", "message": str(error), "notices": [], "seq": seq}

        self._engine.submit(
            (self._table.version, tuple(embedding)),
            matrix,
            algorithm,
            params,
            on_progress=on_progress,
            on_frame=on_frame,
            on_done=on_done,
            on_error=on_error,
        )

    def _is_current(self, seq: int) -> bool:
        with self._lock:
            return seq == self._seq

    def _show_preview(self, matrix: np.ndarray) -> None:
        """Draw a PCA layout, unless something (a job's frame or result) is drawn already."""
        try:
            coords = pca_preview(matrix)
        except (ValueError, TypeError, np.linalg.LinAlgError):
            return
        # (bad data: NaN, or every row the same; the job's error says why)
        if np.isfinite(coords).all() and np.ptp(coords, axis=0).max() > 0:
            self._send_layout(coords, final=False, seq=None)

    def _send_layout(self, coords: np.ndarray, *, final: bool, seq: int | None) -> None:
        """Send coordinates for request ``seq``; None (a preview) only while nothing is drawn."""
        coords = np.ascontiguousarray(coords, dtype=np.float32)
        with self._send_lock:
            if seq is None:
                if self._layout:
                    return
                seq = self._seq
            self._layout = {
                "coords": coords.tobytes(), "final": final, "seq": seq, "n": len(coords)
            }  # fmt: skip

    def _on_message(self, _widget: Any, content: dict[str, Any], _buffers: list[bytes]) -> None:
        answer = reply(content, self._table, self.color_by, self.image_column, self._shown)
        if answer is not None:
            self.send(*answer)

    def _shown(self) -> tuple[str, pd.DataFrame] | None:
        """The projection on screen now: never blocks the kernel for one still computing."""
        if self._result is None:
            return None
        return self._result.algorithm, self.projection_frame(wait=False)
