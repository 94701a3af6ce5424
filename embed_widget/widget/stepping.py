"""Training steps in a view: ``steps`` names an embedding column a step, ``step`` the one shown.

The session lays every step out in order, each starting from the step before (UMAP, t-SNE) and
aligned to it (:mod:`embed_widget.session.steps`); the widget's step slider and play button move
``step``, and a step already laid out shows at once.
"""

from __future__ import annotations

from typing import Any

import traitlets

from ..errors import InvalidSetting
from ..session.steps import StepsState, check_steps


class Stepping(traitlets.HasTraits):
    """The ``steps`` / ``step`` traits of :class:`~embed_widget.EmbeddingView`."""

    steps = traitlets.List(traitlets.Unicode()).tag(sync=True)
    """Embedding (vector) columns, one a training step, in order (``[]``: no steps). Each step's
    layout starts from the one before (UMAP, t-SNE) and is aligned to it; ``embedding`` follows
    ``step``."""

    step = traitlets.Int(0).tag(sync=True)
    """The step shown: an index into ``steps``."""

    embedding: list[str]  # (EmbeddingView's trait: it follows the step)

    _steps = traitlets.Dict().tag(sync=True)
    """The steps laid out so far (:class:`~embed_widget.session.steps.StepsState`)."""

    @traitlets.validate("steps")
    def _check_steps(self, proposal: dict[str, Any]) -> list[str]:
        value = list(proposal["value"])
        if value:
            try:
                check_steps(value, self.table.column_kinds)  # type: ignore[attr-defined]
            except ValueError as error:
                raise InvalidSetting(str(error)) from None
        return value

    @traitlets.validate("step")
    def _check_step(self, proposal: dict[str, Any]) -> int:
        value, count = int(proposal["value"]), len(self.steps)
        if count and not 0 <= value < count:
            if getattr(self, "_from_frontend", False):
                return min(max(value, 0), count - 1)
            raise InvalidSetting(f"step must be from 0 to {count - 1} (one of {count} steps)")
        return value

    @traitlets.observe("steps")
    def _on_steps(self, change: dict[str, Any]) -> None:
        if not self.steps:
            self._steps = {}
            self._request()  # type: ignore[attr-defined]
            return
        self.step = min(self.step, len(self.steps) - 1)
        self._follow_step()

    @traitlets.observe("step")
    def _on_step(self, change: dict[str, Any]) -> None:
        if self.steps:
            self._follow_step()

    @traitlets.observe("embedding")
    def _left_steps(self, change: dict[str, Any]) -> None:
        """Another embedding chosen (the picker, or from Python): a step's column goes to that
        step; any other leaves the steps."""
        chosen = list(self.embedding)
        if not self.steps or chosen == [self.steps[self.step]]:
            return
        if len(chosen) == 1 and chosen[0] in self.steps:
            self.step = self.steps.index(chosen[0])
        else:
            self.steps = []

    def _follow_step(self) -> None:
        column = [self.steps[self.step]]
        if self.embedding != column:
            self.embedding = column  # (the picker shows the step's column; observed: requests)
        else:
            self._request()  # type: ignore[attr-defined]

    def show_steps(self, state: StepsState) -> None:
        """The session laid out more steps (a ``Listener`` call)."""
        self._steps = dict(state)
