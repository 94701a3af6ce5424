"""A fake projection engine for widget and session tests: records what is submitted and runs a
job only when the test says so."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from embed_widget.projection import Projector


@dataclass
class Job:
    key: Hashable
    matrix: np.ndarray
    algorithm: str
    params: dict[str, Any]
    channel: Hashable
    callbacks: dict[str, Any] = field(default_factory=dict)
    cancelled: bool = False


class FakeEngine:
    """Duck-types :class:`embed_widget.projection.ProjectionEngine`: ``submit`` records the job,
    :meth:`finish` runs the latest one synchronously and delivers its result."""

    def __init__(self) -> None:
        self.projector = Projector()
        self.jobs: list[Job] = []
        self.cancels: list[Hashable] = []

    def submit(
        self, key: Hashable, matrix: np.ndarray, algorithm: str, params: Any, *,
        channel: Hashable = None, **callbacks: Any,
    ) -> int:  # fmt: skip
        for job in self.jobs:
            job.cancelled |= job.channel == channel
        self.jobs.append(Job(key, matrix, algorithm, dict(params), channel, callbacks))
        return len(self.jobs)

    def cancel(self, channel: Hashable = None) -> None:
        self.cancels.append(channel)
        for job in self.jobs:
            job.cancelled |= job.channel == channel

    def wait(self, timeout: float | None = None, channel: Hashable = None) -> bool:
        return True

    def finish(self, index: int = -1) -> None:
        """Run job ``index`` now and deliver its result (unless it was superseded)."""
        job = self.jobs[index]
        result = self.projector.project(job.key, job.matrix, job.algorithm, job.params)
        if not job.cancelled:
            job.callbacks["on_done"](result)

    @property
    def algorithms(self) -> list[str]:
        return [job.algorithm for job in self.jobs]
