"""Steps: one table's embedding at several training steps (one column a step), laid out in order.

Each step's layout starts from the one before (UMAP and t-SNE: a warm start, far cheaper than a
fresh fit and coherent with the step before it) and is turned, scaled and moved to match it
(Procrustes), so an animation through the steps shows what moved, not a spinning picture. The
whole run is one engine task: the first step first, each handed over as soon as it is done; the
layouts are kept (per table, LRU) so going back and forth is instant.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypedDict

from ..projection import ProjectionResult, validate_params
from ..projection.align import procrustes
from ..projection.cache import LRU
from ..projection.result import Reporter
from .subset import Rows

if TYPE_CHECKING:
    from .requests import Settings
    from .session import ProjectionSession
    from .status import Status


class StepsState(TypedDict):
    """The steps laid out so far (a view's ``_steps``): every step's column, the indices laid
    out, and the run's progress and phase."""

    steps: list[str]
    ready: list[int]
    progress: float
    phase: str


@dataclass
class StepsShown:
    """A run of steps as a view shows it: its settings, the steps laid out, its progress."""

    settings: Settings | None = None
    version: int = 0
    running: Status | None = None
    done: dict[int, ProjectionResult] = field(default_factory=dict)
    progress: tuple[float, str] = (0.0, "")
    #: the step drawn last (None: none yet)
    drawn: int | None = None

    def state(self) -> StepsState:
        """What the steps bar shows (the view's ``_steps``)."""
        steps = list(self.settings.steps) if self.settings is not None else []
        fraction, phase = self.progress
        ready = sorted(self.done)
        finished = len(ready) == len(steps)
        return StepsState(steps=steps, ready=ready, progress=1.0 if finished else fraction,
                          phase="" if finished else phase)  # fmt: skip


#: Step layouts kept per table (LRU over every run of steps).
MAX_STEP_LAYOUTS = 64
#: One step's layout, as the task hands it over: (step index, result).
StepPart = tuple[int, ProjectionResult]


def check_steps(columns: list[str], kinds: dict[str, str]) -> None:
    """Raise ``ValueError`` unless ``columns`` name at least two vector columns."""
    if len(columns) == 1:
        raise ValueError("steps takes at least 2 embedding columns (or [] for none)")
    for name in columns:
        if kinds.get(name) != "embedding":
            found = f"a {kinds[name]} column" if name in kinds else "not a column"
            vectors = [c for c, kind in kinds.items() if kind == "embedding"]
            raise ValueError(
                f"steps: {name!r} is {found}; each step is an embedding (vector) column, "
                f"one of {vectors}"
            )


class StepLayouts:
    """The step layouts of one table, by (data version, settings, the steps up to this one)."""

    def __init__(self) -> None:
        self._results: LRU[ProjectionResult] = LRU(MAX_STEP_LAYOUTS)
        self._lock = threading.Lock()

    @staticmethod
    def key(version: int, settings: Settings, index: int) -> tuple[Any, ...]:
        params = json.dumps(dict(settings.params), sort_keys=True, default=str)
        rows = Rows.of(settings.subset)
        return (version, settings.algorithm, params, settings.steps[: index + 1],
                rows.digest if rows else None)  # fmt: skip

    def get(self, key: tuple[Any, ...]) -> ProjectionResult | None:
        with self._lock:
            return self._results.get(key)

    def put(self, key: tuple[Any, ...], result: ProjectionResult) -> None:
        with self._lock:
            self._results.put(key, result)

    def clear(self) -> None:
        with self._lock:
            self._results = LRU(MAX_STEP_LAYOUTS)


def steps_task(
    session: ProjectionSession, settings: Settings, version: int, wanted: Callable[[], int]
) -> Callable[[Reporter], ProjectionResult]:
    """The engine task laying out every step in order; ``wanted()`` is the step on screen (its
    frames stream)."""
    layouts: StepLayouts = session.step_layouts

    def task(rep: Reporter) -> ProjectionResult:
        previous: ProjectionResult | None = None
        for index in range(len(settings.steps)):
            key = layouts.key(version, settings, index)
            result = layouts.get(key)
            if result is None:
                result = _fit_step(session, settings, index, previous, rep, wanted)
                layouts.put(key, result)
            rep.part((index, result))
            previous = result
        assert previous is not None
        return previous

    return task


def _fit_step(
    session: ProjectionSession, settings: Settings, index: int,
    previous: ProjectionResult | None, rep: Reporter, wanted: Callable[[], int],
) -> ProjectionResult:  # fmt: skip
    """Step ``index``'s layout, started from ``previous`` and aligned to it."""
    column, total = settings.steps[index], len(settings.steps)
    rows = Rows.of(settings.subset)
    matrix = session.matrix((column,), rows)
    params, _ = validate_params(settings.algorithm, settings.params, *matrix.shape)
    params = session.with_preprocess(params, (column,))

    def progress(fraction: float, phase: str) -> None:
        rep.progress((index + fraction) / total, f"step {index + 1}/{total} · {phase}")

    def stop() -> bool:
        rep.check()  # (raises Cancelled when a newer request came)
        return False

    start = previous.coords if previous is not None else None
    raw = session.engine.projector.project(
        session.key((column,), rows), matrix, settings.algorithm, params,
        on_progress=progress, should_stop=stop, start=start,
        on_frame=lambda coords: rep.frame(coords) if wanted() == index else None,
    )  # fmt: skip
    coords = raw.coords
    if previous is not None:
        coords = procrustes(previous.coords, coords).apply(coords)
        coords.flags.writeable = False
    warm = previous is not None and settings.algorithm in ("umap", "tsne")
    step = {
        "index": index, "column": column, "steps": list(settings.steps),
        "started_from": f"step {index} ({settings.steps[index - 1]})" if warm else "fresh",
        "aligned_to_previous": previous is not None,
    }  # fmt: skip
    return replace(raw, coords=coords, info={**raw.info, "step": step})
