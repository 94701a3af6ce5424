"""The status a session reports for a view: one builder per state, one typed shape.

The frontend's ``Status`` interface (``js/protocol/model.ts``) names the same keys; a test
compares them.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from ..projection import ProjectionResult

State = Literal["idle", "running", "done", "error"]


class Status(TypedDict, total=False):
    """What the status bar shows: a state and, depending on it, the other keys."""

    state: State
    phase: str
    progress: float
    message: str
    notices: list[str]
    info: dict[str, Any]
    algorithm: str
    params: dict[str, Any]
    seq: int
    seconds: float
    #: the layout's mean share of neighbours kept (known a moment after it is done)
    quality: float


def idle(message: str = "") -> Status:
    """Nothing computed or computing (before the first display, or after the view was hidden)."""
    return {"state": "idle", "message": message, "notices": []}


def running(algorithm: str, seq: int, notices: list[str]) -> Status:
    """Request ``seq`` was submitted."""
    return {
        "state": "running",
        "phase": "starting",
        "progress": 0.0,
        "notices": list(notices),
        "algorithm": algorithm,
        "seq": seq,
    }


def progressed(status: Status, fraction: float, phase: str) -> Status:
    """``status`` (running) with new progress."""
    return {**status, "phase": phase, "progress": float(fraction)}


def done(result: ProjectionResult, seq: int, rows: int | None = None) -> Status:
    """Request ``seq`` finished with ``result`` (computed for a subset of ``rows`` rows)."""
    subset = [f"only {rows:,} rows projected (a subset): the others are hidden"] if rows else []
    cluster = result.info.get("distributed") or {}
    sampled = [
        f"fitted on a sample of {cluster.get('fitted', 0):,} rows; "
        f"{cluster.get('placed', 0):,} placed on the cluster"
    ]
    sampled = sampled if cluster else []
    device = result.info.get("device", "cpu")
    on_gpu = [f"computed on the GPU ({device})"] if device != "cpu" else []
    if "gpu_error" in result.info:
        on_gpu = [f"the GPU failed ({result.info['gpu_error']}): computed on the CPU"]
    return {
        "state": "done",
        "phase": "done",
        "progress": 1.0,
        "notices": [*result.notices, *subset, *sampled, *on_gpu],
        "info": result.info,
        "algorithm": result.algorithm,
        "params": dict(result.params),
        "seconds": result.seconds,
        "seq": seq,
    }


def failed(message: str, seq: int | None = None) -> Status:
    """A setting or the data could not be projected; the previous view stays."""
    out: Status = {"state": "error", "message": message, "notices": []}
    if seq is not None:
        out["seq"] = seq
    return out
