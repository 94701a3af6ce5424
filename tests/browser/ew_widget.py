"""Page object for the embed_widget view: its DOM hooks and what a test asks of them.

Selectors are the contract with ``js/``: change them here and there together.
"""

from __future__ import annotations

import numpy as np
from ew_page import (
    canvas_pixels,
    careful_click,
    count_non_background,
    hover,
    point_in,
    set_range,
    wait_for,
    was_visible,
    watch_visible,
)
from playwright.sync_api import Locator, Page

ROOT = ".embed-widget"
CANVAS = ".ew-canvas canvas.ew-scatter"
LEGEND = ".ew-legend"
LEGEND_ITEM = ".ew-legend-item"
PROGRESS = ".ew-progress"
STATUS = ".ew-status"
ERROR = ".ew-error"
TOOLTIP = ".ew-tooltip"


def control(name: str) -> str:
    """Selector of a dropdown control, e.g. ``control("algorithm")``."""
    return f'select[data-control="{name}"]'


def slider(param: str) -> str:
    """Selector of a parameter slider, e.g. ``slider("n_neighbors")``."""
    return f'input[type=range][data-param="{param}"]'


def pixels_changed(a: np.ndarray, b: np.ndarray, tolerance: int = 8) -> int:
    """Number of pixels that differ between two same-size RGBA images (any size change: all)."""
    if a.shape != b.shape:
        return int(max(a.shape[0] * a.shape[1], b.shape[0] * b.shape[1]))
    diff = np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2)
    return int((diff > tolerance).sum())


class EmbedView:
    """The ``index``-th embed_widget view on ``page`` (a second display of a table is index 1)."""

    def __init__(self, page: Page, index: int = 0) -> None:
        self.page = page
        self.root: Locator = page.locator(ROOT).nth(index)

    def at(self, selector: str) -> Locator:
        """``selector`` inside this view."""
        return self.root.locator(selector)

    # -- reading ---------------------------------------------------------------------------

    def pixels(self) -> np.ndarray:
        """RGBA pixels of the scatter's visible canvas."""
        return canvas_pixels(self.page, self.at(CANVAS))

    def painted(self) -> int:
        """Non-background pixel count of the scatter canvas."""
        return count_non_background(self.pixels())

    def wait_painted(self, min_pixels: int = 50, timeout: float = 30.0) -> np.ndarray:
        """Wait until the view is shown and its canvas has at least ``min_pixels`` painted."""
        self.at(CANVAS).first.wait_for(state="visible", timeout=timeout * 1000)

        def painted() -> np.ndarray | None:
            px = self.pixels()
            return px if count_non_background(px) >= min_pixels else None

        return wait_for(painted, timeout, 0.2, f"canvas with >= {min_pixels} painted pixels")

    def wait_pixels_change(
        self, before: np.ndarray, min_changed: int = 50, timeout: float = 30.0
    ) -> np.ndarray:
        """Wait until >= ``min_changed`` pixels differ from ``before``; return the new pixels."""

        def changed() -> np.ndarray | None:
            px = self.pixels()
            return px if pixels_changed(before, px) >= min_changed else None

        return wait_for(changed, timeout, 0.2, f">= {min_changed} pixels changed")

    def watch_progress(self) -> None:
        """Start recording whether the progress bar shows (call before the action)."""
        watch_visible(self.page, f"{ROOT} {PROGRESS}", "ew-progress")

    def progress_seen(self) -> bool:
        """Whether the progress bar was visible since :meth:`watch_progress`."""
        return was_visible(self.page, "ew-progress")

    def legend_items(self) -> list[str]:
        """Texts of the legend entries, in order."""
        return [t.strip() for t in self.at(LEGEND_ITEM).all_inner_texts()]

    def status(self) -> str:
        """The status / phase text ('' if absent)."""
        loc = self.at(STATUS)
        return loc.first.inner_text().strip() if loc.count() else ""

    def error(self) -> str | None:
        """Text of the visible error box, or None when no error is shown."""
        loc = self.at(ERROR)
        if loc.count() == 0 or not loc.first.is_visible():
            return None
        text = loc.first.inner_text().strip()
        return text or None

    # -- acting ----------------------------------------------------------------------------

    def choose(self, name: str, value: str) -> None:
        """Pick ``value`` (option value or label) in dropdown ``name`` ("algorithm", "color_by")."""
        loc = self.at(control(name)).first
        try:
            loc.select_option(value=value, timeout=2000)
        except Exception:
            loc.select_option(label=value)

    def set_param(self, name: str, value: float) -> None:
        """Move slider ``name`` to ``value`` and release it (fires input and change)."""
        set_range(self.page, self.at(slider(name)), value)

    def point(self, fx: float = 0.5, fy: float = 0.5) -> tuple[float, float]:
        """Page coordinates of a point given as fractions of the canvas box."""
        return point_in(self.page, self.at(CANVAS), fx, fy)

    def click(self, fx: float = 0.5, fy: float = 0.5) -> None:
        """Click the canvas at fractions (fx, fy), slowly enough not to be read as a pan."""
        careful_click(self.page, *self.point(fx, fy))

    def hover(self, fx: float = 0.5, fy: float = 0.5) -> None:
        """Hover the canvas at fractions (fx, fy)."""
        hover(self.page, *self.point(fx, fy))
