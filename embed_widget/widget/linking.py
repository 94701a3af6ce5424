"""A view's part in linked views (:mod:`embed_widget.widget.compare`): the layout it publishes,
turned by the comparison to match the others, and the link its frontend joins (hovering a row
marks the same row in every view of the group; the frontends do that among themselves).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import traitlets

from ..projection.align import IDENTITY, Similarity
from .protocol import Layout, LinkState

if TYPE_CHECKING:
    import pandas as pd

#: Given a view and the layout it is about to publish, the similarity to draw it with and the
#: box (min x, min y, max x, max y, after it) that the frontend fits into its plot: linked views
#: share the first view's, so the same place is the same pixel.
Aligner = Callable[[Any, np.ndarray], tuple[Similarity, list[float] | None]]
log = logging.getLogger(__name__)


class Linking(traitlets.HasTraits):
    """Publishes layouts (``_layout``), aligned when the view is part of a comparison."""

    _layout = traitlets.Dict().tag(sync=True)
    """Current coordinates (:class:`~embed_widget.widget.protocol.Layout`)."""

    _link = traitlets.Dict().tag(sync=True)
    """The linked views this one belongs to (:class:`~embed_widget.widget.protocol.LinkState`),
    or empty."""

    def __init__(self, **kwargs: Any) -> None:
        self._publishing = threading.RLock()
        self._aligner: Aligner | None = None
        #: (coords, final, seq, preview) as the session gave them, and the similarity drawn with
        self._raw_layout: tuple[np.ndarray, bool, int, bool] | None = None
        self._drawn_with: Similarity | None = None
        self._final_with: Similarity | None = None  # (of the last final layout)
        self._drawn_coords: np.ndarray | None = None
        super().__init__(**kwargs)

    def link(self, state: LinkState, aligner: Aligner | None) -> None:
        """Join linked views (``aligner`` turns each layout), and publish the layout again."""
        self._aligner = aligner
        self._link = dict(state)
        self.publish_again()

    def unlink(self) -> None:
        self._aligner = None
        self._link = {}
        self.publish_again()

    @property
    def drawn_coords(self) -> np.ndarray | None:
        """The coordinates published last (aligned if linked), N x 2 float32, or None."""
        return self._drawn_coords

    @property
    def drawn_with(self) -> Similarity | None:
        """The similarity the last layout was drawn with (None: as computed)."""
        return self._drawn_with

    def publish_layout(
        self, coords: np.ndarray, *, final: bool, seq: int, preview: bool, realign: bool = False
    ) -> None:
        """Send ``coords`` (N x 2, one row per table row) to the frontend; linked, turned to
        match the other views (a layout that only adds rows to the last keeps its turn, so the
        rows drawn stay put, unless ``realign``)."""
        with self._publishing:
            coords = np.ascontiguousarray(coords, dtype=np.float32)
            extends = self._extends(coords)
            self._raw_layout = (coords, final, seq, preview)
            similarity, frame = None, None
            if self._aligner is not None:
                similarity, frame = self._aligned(coords)
                if extends and not realign and self._drawn_with is not None:
                    similarity = self._drawn_with
            drawn = similarity.apply(coords) if similarity is not None else coords
            self._drawn_with, self._drawn_coords = similarity, drawn
            if final and not preview:
                self._final_with = similarity
            layout: Layout = {
                "coords": drawn.tobytes(), "final": final, "seq": seq, "n": len(drawn),
                "preview": preview, "aligned": self._aligner is not None, "frame": frame,
            }  # fmt: skip
            self._layout = dict(layout)

    def _aligned(self, coords: np.ndarray) -> tuple[Similarity, list[float] | None]:
        assert self._aligner is not None
        try:
            return self._aligner(self, coords)
        except Exception:  # (a table changed under the comparison: draw it as computed)
            log.exception("embed_widget: aligning a linked view failed; drawn unaligned")
            return IDENTITY, None

    def _extends(self, coords: np.ndarray) -> bool:
        """Whether ``coords`` holds the last layout's rows unchanged (and maybe more)."""
        last = self._raw_layout[0] if self._raw_layout is not None else None
        return (
            last is not None
            and len(coords) >= len(last)
            and np.array_equal(coords[: len(last)], last, equal_nan=True)
        )

    def aligned_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame``'s x, y as the last final layout was drawn (linked views are aligned)."""
        similarity = self._final_with
        if similarity is not None and len(frame):
            frame[["x", "y"]] = similarity.apply(frame[["x", "y"]].to_numpy())
        return frame

    def clear_layout(self) -> None:
        """Nothing is drawn any more (the view was hidden)."""
        with self._publishing:
            self._raw_layout = self._drawn_with = self._drawn_coords = self._final_with = None
            self._layout = {}

    def publish_again(self) -> None:
        """Publish the last layout again (the views it is aligned to changed)."""
        with self._publishing:  # (held throughout: a newer layout is never overtaken)
            if self._raw_layout is not None:
                coords, final, seq, preview = self._raw_layout
                self.publish_layout(coords, final=final, seq=seq, preview=preview, realign=True)
