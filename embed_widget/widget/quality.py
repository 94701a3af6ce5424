"""The shown layout's projection quality, computed in the background after each final layout.

Unasked only when it is cheap (the projection's own neighbour graph is cached, or the table is
small enough for an exact search); always once the user colours by it. A newer layout supersedes
an older computation: its result is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..projection.quality import Quality
from ..session.subset import Rows, expand
from .background import LatestResult
from .encodings import continuous_colors, no_colors
from .protocol import Colors, Status

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..session import LiveProjection

#: The colour choice that paints each point by the share of its neighbours the layout kept.
QUALITY_COLUMN = "projection quality"
#: Neighbours compared per row.
QUALITY_K = 10


@dataclass(frozen=True)
class _Measured:
    quality: Quality
    rows: Rows | None  # the subset measured
    n_rows: int


class LayoutQuality:
    """The latest layout's quality for one view; ``on_ready(seq)`` runs (on a background
    thread) when the quality of layout ``seq`` is known."""

    def __init__(self, on_ready: Callable[[int], None]) -> None:
        self._latest: LatestResult[_Measured] = LatestResult(on_ready)

    @property
    def current(self) -> Quality | None:
        measured = self._latest.current
        return measured.quality if measured else None

    @property
    def seq(self) -> int:
        return self._latest.seq

    def layout_done(self, live: LiveProjection, seq: int, asked: bool) -> None:
        """Layout ``seq`` is final: compute its quality aside if cheap or ``asked``."""
        result, embedding, rows = live.result, list(live.result_embedding), live.result_rows
        if not self._latest.expect(seq) or result is None or len(result.coords) < 3:
            return
        if not (asked or live.session.quality_is_cheap(result, embedding, QUALITY_K)):
            return

        def compute() -> _Measured | None:
            if not live.shown:
                return None  # hidden: its matrix is freed
            quality = live.session.quality(result, embedding, QUALITY_K, rows)
            return _Measured(quality, rows, len(live.session.table))

        self._latest.submit(seq, compute)

    def close(self, timeout: float = 10.0) -> None:
        """Drop any result still coming and let a running computation end (it holds the view)."""
        self._latest.close(timeout)

    def ask(self, live: LiveProjection, layout: Mapping[str, Any]) -> None:
        """The user wants the quality (colours by it): compute it for the final layout shown."""
        if self.current is None and layout.get("final") and not layout.get("preview"):
            self.layout_done(live, int(layout["seq"]), asked=True)

    def annotate(self, status: Status) -> Status:
        """``status`` with the quality figure, when it is the status of the layout measured."""
        quality = self.current
        if status.get("state") == "done" and quality and self.seq == status.get("seq"):
            return {**status, "quality": quality.mean_preserved}
        return status

    def colors(self, scale: str) -> Colors:
        """The colour encoding of the quality (no colours until it is known)."""
        measured = self._latest.current
        if measured is None:
            return no_colors()
        preserved = measured.quality.preserved[:, None]
        per_row = expand(preserved, measured.rows, measured.n_rows, np.nan)[:, 0]
        return continuous_colors(QUALITY_COLUMN, per_row, scale)
