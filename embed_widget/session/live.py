"""LiveProjection: one view's projection — its requests, preview, status, memory and result.

The latest request wins, decided in one place: the engine's channel (one per live projection)
delivers no callback of a superseded job. Request numbers (``seq``) only tell the frontend which
request a status or layout belongs to.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ..projection import ProjectionResult, check_params, validate_params
from ..projection.pca import preview as pca_preview
from ..projection.placement import place, placed_result, worth_placing
from ..projection.result import Reporter
from . import status as st
from .cluster import task_for
from .requests import Settings, Shown
from .steps import StepPart, StepsShown, StepsState, steps_task
from .subset import Rows, expand

if TYPE_CHECKING:
    import pandas as pd

    from .session import ProjectionSession


class Listener(Protocol):
    """What a live projection reports to (the widget)."""

    def show_status(self, status: st.Status) -> None: ...

    def show_layout(
        self, coords: np.ndarray, *, final: bool, seq: int, preview: bool = False
    ) -> None: ...

    def data_changed(self) -> None: ...

    def show_steps(self, state: StepsState) -> None: ...


class LiveProjection:
    """One view's projection of its table (made by :meth:`ProjectionSession.live`).

    Nothing is computed until :meth:`request`. ``shown`` says whether a view displays it: the
    session frees its caches when no live projection is shown.
    """

    def __init__(self, session: ProjectionSession, listener: Listener) -> None:
        self.session = session
        self._listener = listener
        self._lock = threading.Lock()  # a preview never lands after the job's first frame
        # requests come from the kernel's main thread and from the data-change timer
        self._requests = threading.RLock()
        self._seq = 0
        self._submitted: tuple[Any, ...] | None = None
        self._settings: Settings | None = None
        self._drawn = False
        self._previewed: tuple[Any, ...] | None = None
        self._memory: dict[str, dict[str, Any]] = {}
        self._error: str | None = None  # why the latest request failed
        self.result: ProjectionResult | None = None
        self.result_embedding: list[str] = []
        self.result_rows: Rows | None = None  # the subset the result was computed for
        self._shown: Shown | None = None  # the result with what it was computed for
        self._refit = False  # fit every row (none placed) until a fit of them lands
        self._steps = StepsShown()
        self._seq_lock = threading.Lock()
        self.shown = False

    # --- requests ---------------------------------------------------------------------------------

    def request(self, settings: Settings) -> None:
        """Compute ``settings`` in the background (once per distinct setting and data version).

        A setting or data that cannot be projected reports an error status and stops an older
        job from landing; the previous layout stays.
        """
        with self._requests:
            self._request(settings)

    def _request(self, settings: Settings) -> None:
        self._settings = settings
        key = (self.session.table.version, *settings.key())
        if key == self._submitted:
            if settings.steps:  # only the step on screen changed
                self._show_step(settings.step)
            return
        self._submitted = key
        if settings.steps:
            self._submit_steps(settings, key[0])
            return
        rows = Rows.of(settings.subset)
        try:
            matrix = self.session.matrix(settings.embedding, rows)
            params, notices = validate_params(settings.algorithm, settings.params, *matrix.shape)
            params = self.session.with_preprocess(params, settings.embedding)
        except (ValueError, TypeError, KeyError) as error:
            self._submitted = None
            self.session.engine.cancel(self)  # a job still running for older settings
            self._next_seq()
            self._error = str(error)
            self._listener.show_status(st.failed(self._error))
            return
        self._error = None
        seq = self._next_seq()
        running = st.running(settings.algorithm, seq, notices)
        self._listener.show_status(running)
        shown = self._placeable(settings, matrix.shape)
        if shown is not None:
            self._submit_placement(matrix, shown, seq, running, key[0])
            return
        self._preview_once(matrix, self.session.key(settings.embedding, rows), settings.algorithm)
        self._submit(matrix, settings, params, seq, running, key[0])

    def _next_seq(self) -> int:
        with self._seq_lock:  # (a step shown from the engine's thread counts too)
            self._seq += 1
            return self._seq

    def _submit_steps(self, settings: Settings, version: int) -> None:
        """Lay out every step in order (one task); show the step on screen once it is done."""
        self._error, rows, listener = None, Rows.of(settings.subset), self._listener
        seq = self._next_seq()
        running = st.running(settings.algorithm, seq, [])
        self._steps = steps = StepsShown(settings, version, running)
        listener.show_status(running)
        listener.show_steps(steps.state())

        def on_part(part: StepPart) -> None:
            steps.done[part[0]] = part[1]
            listener.show_steps(steps.state())
            self._show_step(part[0], only_if_wanted=True)

        def on_frame(coords: np.ndarray) -> None:
            with self._seq_lock:  # (a frame of a step no longer wanted, or already drawn: none)
                if self._wanted_step() not in steps.done:
                    self._draw(coords, final=False, seq=seq, rows=rows)

        def on_progress(fraction: float, phase: str) -> None:
            steps.progress = (fraction, phase)
            if self._wanted_step() not in steps.done:  # (else the step shown is done)
                listener.show_status(st.progressed(running, fraction, phase))
            listener.show_steps(steps.state())

        def on_error(error: BaseException) -> None:
            self._submitted, self._error = None, str(error)
            listener.show_status(st.failed(self._error, seq))

        self.session.engine.submit(
            self.session.key(settings.steps[:1], rows), np.zeros((0, 0)), settings.algorithm,
            {}, channel=self, on_progress=on_progress, on_part=on_part, on_error=on_error,
            on_frame=on_frame, task=steps_task(self.session, settings, version, self._wanted_step),
        )  # fmt: skip

    def _wanted_step(self) -> int:
        settings = self._settings
        return settings.step if settings is not None else 0

    def _show_step(self, index: int, only_if_wanted: bool = False) -> None:
        """Draw step ``index`` if it is laid out (else it shows once it is) and not drawn yet;
        from the engine's thread (``only_if_wanted``), only while it is the step wanted."""
        steps = self._steps
        if steps.settings is None or steps.running is None:
            return
        with self._seq_lock:  # (one step drawn at a time: the wanted one wins)
            result = steps.done.get(index)
            if (only_if_wanted and index != self._wanted_step()) or steps.drawn == index:
                return
            if result is None:  # waiting for the steps before it
                self._listener.show_status(st.progressed(steps.running, *steps.progress))
                return
            self._seq += 1
            seq, rows = self._seq, Rows.of(steps.settings.subset)
            column = steps.settings.steps[index]
            settings = replace(steps.settings, embedding=(column,), step=index)
            self._shown = Shown(result, settings, steps.version, len(result.coords))
            self.result, self.result_embedding, self.result_rows = result, [column], rows
            steps.drawn = index
            self._draw(result.coords, final=True, seq=seq, rows=rows)
            self._listener.show_status(st.done(result, seq, rows=len(rows) if rows else None))

    def refit(self) -> None:
        """Fit the current settings on every row again (rows placed since the fit move too)."""
        with self._requests:
            if self._settings is not None:
                self._refit, self._submitted = True, None
                self._request(self._settings)

    def _placeable(self, settings: Settings, shape: tuple[int, ...]) -> Shown | None:
        """The shown result, if its layout can take the table's new rows as it stands: the same
        settings, on every row, since then rows only appended, and not too many of them."""
        shown = self._shown  # (read once: a result may land meanwhile)
        if self._refit or shown is None or settings.subset is not None:
            return None
        ok = (
            shown.settings.key() == settings.key()
            and self.session.table.rows_kept_since(shown.version)
            and shape[0] >= len(shown.result.coords)
            and worth_placing(shown.fitted, shape[0], shape[1])
        )
        return shown if ok else None

    def _submit_placement(
        self, matrix: np.ndarray, shown: Shown, seq: int, running: st.Status, version: int
    ) -> None:
        """Place the rows past the shown layout into it, moving none of the others."""
        result, settings, fitted = shown.result, shown.settings, shown.fitted
        listener = self._listener

        def task(rep: Reporter) -> ProjectionResult:
            t0 = time.perf_counter()
            new, how = place(matrix, fitted, result.coords, result, rep)
            return placed_result(result, fitted, result.coords, new, how, time.perf_counter() - t0)

        def on_done(placed: ProjectionResult) -> None:
            self._shown = Shown(placed, settings, version, fitted)
            self.result = placed
            self._draw(placed.coords, final=True, seq=seq, rows=None)
            listener.show_status(st.done(placed, seq))

        def on_error(error: BaseException) -> None:
            self._submitted, self._error = None, str(error)
            listener.show_status(st.failed(self._error, seq))

        self.session.engine.submit(
            self.session.key(settings.embedding), matrix, settings.algorithm, {}, channel=self,
            on_progress=lambda f, phase: listener.show_status(st.progressed(running, f, phase)),
            on_done=on_done, on_error=on_error, task=task,
        )  # fmt: skip

    def _submit(
        self, matrix: np.ndarray, settings: Settings, params: dict[str, Any], seq: int,
        running: st.Status, version: int,
    ) -> None:  # fmt: skip
        listener, embedding = self._listener, list(settings.embedding)
        rows = Rows.of(settings.subset)

        def on_done(result: ProjectionResult) -> None:
            self._shown = Shown(result, settings, version, len(result.coords))
            self.result, self.result_embedding, self.result_rows = result, embedding, rows
            self._refit = False
            self._draw(result.coords, final=True, seq=seq, rows=rows)
            listener.show_status(st.done(result, seq, rows=len(rows) if rows else None))

        def on_error(error: BaseException) -> None:
            self._submitted, self._error = None, str(error)
            listener.show_status(st.failed(self._error, seq))

        key = self.session.key(embedding, rows)
        algorithm = settings.algorithm
        on_cluster = None if rows else task_for(self.session, key, matrix, algorithm, params)
        self.session.engine.submit(
            key, matrix, algorithm, params, channel=self,
            on_progress=lambda f, phase: listener.show_status(st.progressed(running, f, phase)),
            on_frame=lambda coords: self._draw(coords, final=False, seq=seq, rows=rows),
            on_done=on_done, on_error=on_error, task=on_cluster,
        )  # fmt: skip

    def wait(self, timeout: float | None = None) -> bool:
        """Block until this projection's job is done (True) or ``timeout`` passes (False)."""
        return self.session.engine.wait(timeout, channel=self)

    def refresh(self) -> None:
        """Request the last settings again (after a change of the table's data, or once shown
        again after :meth:`hide`); nothing new is computed if they are in hand."""
        if self._settings is not None:
            self.request(self._settings)

    @property
    def seq(self) -> int:
        """Number of the latest request."""
        return self._seq

    def frame(self) -> pd.DataFrame | None:
        """The shown result as a DataFrame, or None before the first one.

        Raises ``RuntimeError`` when the table's rows changed since and the new rows could not
        be projected (the message says why): a frame never pairs rows with other rows' x, y.
        """
        result = self.result
        if result is None:
            return None
        n_rows = len(self.session.table)
        rows = self.result_rows
        if rows is not None:  # the subset's rows only
            every_row = replace(result, coords=expand(result.coords, rows, n_rows, np.nan))
            frame = self.session.frame(every_row, self.result_embedding)
            return frame.iloc[rows.indices[rows.indices < n_rows]]
        shown = self._shown
        dropped = shown is not None and not self.session.table.rows_kept_since(shown.version)
        if len(result.coords) != n_rows or dropped:  # (a drop then an append: the same count)
            why = self._error or "the projection of the new rows is still being computed"
            raise RuntimeError(
                f"the table changed: it has {n_rows} rows now, the projection shown was computed "
                f"for {len(result.coords)}; the new rows cannot be placed: {why}"
            )
        return self.session.frame(result, self.result_embedding)

    def on_screen(self) -> tuple[str, pd.DataFrame] | None:
        """(algorithm, frame) of the result shown, or None: before the first one, or when the
        table's new rows are not projected (yet)."""
        result = self.result
        try:
            frame = self.frame()
        except RuntimeError:
            return None
        return None if result is None or frame is None else (result.algorithm, frame)

    # --- parameter memory -------------------------------------------------------------------------

    def remember(self, algorithm: str, params: Mapping[str, Any]) -> None:
        """Note the parameters in use with ``algorithm`` (they come back with it)."""
        self._memory[algorithm] = dict(params)

    def set_algorithm(self, name: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The parameters to use on switching to ``name``: ``params`` when given, else those last
        used with ``name`` (the defaults if the schema now rejects them, e.g. a value the
        controls sent). Remembers the result."""
        chosen = dict(params) if params is not None else self._memory.get(name, {})
        if params is None:
            try:
                check_params(name, chosen)
            except ValueError:
                chosen = {}
        self.remember(name, chosen)
        return dict(chosen)

    # --- lifetime ---------------------------------------------------------------------------------

    def show(self) -> None:
        """A view displays this projection (again)."""
        self.shown = True

    def hide(self) -> None:
        """No view displays it any more: stop its job and free what it holds (the session's
        caches too, once no live projection of the table is shown). A later :meth:`show` and
        :meth:`refresh` compute again."""
        self.shown = False
        self.session.engine.cancel(self)
        self._submitted = None
        with self._lock:
            self._drawn = False
            self._previewed = None
        self.result, self._shown, self._steps = None, None, StepsShown()
        self.session.release_if_unused()

    def close(self) -> None:
        """The view is closed: stop its job and leave the session."""
        self.shown = False
        self.session.forget(self)

    def data_changed(self) -> None:
        self._listener.data_changed()

    # --- drawing ----------------------------------------------------------------------------------

    def _draw(self, coords: np.ndarray, *, final: bool, seq: int, rows: Rows | None) -> None:
        coords = expand(coords, rows, len(self.session.table))
        with self._lock:
            self._drawn = True
            self._listener.show_layout(coords, final=final, seq=seq)

    def _preview_once(self, matrix: np.ndarray, key: tuple[Any, ...], algorithm: str) -> None:
        """While nothing is drawn, a PCA preview from its own thread, once per matrix: the first
        picture must not wait for UMAP's warm-up, nor freeze the kernel for a big matrix."""
        if self.result is not None or algorithm == "pca" or self._previewed == key:
            return
        self._previewed = key
        rows = Rows.of(self._settings.subset) if self._settings else None
        thread = threading.Thread(
            target=self._show_preview, args=(matrix, rows), name="ew-preview", daemon=True
        )
        thread.start()

    def _show_preview(self, matrix: np.ndarray, rows: Rows | None) -> None:
        try:
            coords = pca_preview(matrix)
        except (ValueError, TypeError, np.linalg.LinAlgError):
            return  # bad data (NaN, every row the same): the job's error says why
        if not (np.isfinite(coords).all() and np.ptp(coords, axis=0).max() > 0):
            return
        with self._lock:
            if not self._drawn:
                self._drawn = True
                coords = expand(coords, rows, len(self.session.table))
                self._listener.show_layout(coords, final=False, seq=self._seq, preview=True)
