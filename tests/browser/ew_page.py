"""Page helpers: drive a notebook in JupyterLab / Notebook 7, read canvas pixels, click carefully.

All functions take a Playwright sync ``Page``. Both front-ends expose ``window.jupyterapp`` (the
server is started with ``expose_app_in_browser``), so running cells works the same way in each.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
from ew_jupyter import strip_ansi
from playwright.sync_api import Locator, Page

T = TypeVar("T")

# Read the notebook state from the app: kernel status, unfinished code cells, error outputs.
_NOTEBOOK_STATE_JS = """
() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext) return null;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = [];
  const errors = [];
  panel.content.widgets.forEach((cell, i) => {
    const m = cell.model;
    if (m.type !== 'code') return;
    cells.push({i, count: m.executionCount, state: m.executionState || null});
    for (const o of m.outputs.toJSON()) {
      if (o.output_type === 'error') {
        errors.push(`cell ${i}: ${o.ename}: ${o.evalue}\\n${(o.traceback || []).join('\\n')}`);
      }
    }
  });
  return {
    path: panel.context ? panel.context.path : null,
    kernel: kernel ? kernel.status : null,
    run: window.__ewRunAll || null,
    cells, errors,
  };
}
"""

# Copy any canvas (2D or WebGL) onto a fresh 2D canvas and return its RGBA bytes as base64.
_CANVAS_PIXELS_JS = """
(canvas) => {
  if (!(canvas instanceof HTMLCanvasElement)) {
    const inner = canvas.querySelector('canvas');
    if (!inner) throw new Error('no <canvas> in ' + canvas.outerHTML.slice(0, 200));
    canvas = inner;
  }
  const w = canvas.width, h = canvas.height;
  const copy = document.createElement('canvas');
  copy.width = w; copy.height = h;
  const ctx = copy.getContext('2d', {willReadFrequently: true});
  ctx.drawImage(canvas, 0, 0);
  const bytes = new Uint8Array(ctx.getImageData(0, 0, w, h).data.buffer);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return {w, h, b64: btoa(s)};
}
"""

_TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


class NotebookError(AssertionError):
    """A notebook cell raised while running in the page."""


# -- waiting ---------------------------------------------------------------------------------


def wait_for(
    predicate: Callable[[], T | None],
    timeout: float = 10.0,
    interval: float = 0.1,
    message: str = "condition",
) -> T:
    """Call ``predicate`` until it returns something truthy; return that value.

    A numpy array counts as truthy when it is not None. Exceptions raised by the predicate count
    as "not yet". On timeout, raises ``TimeoutError``
    naming ``message`` with the last value or exception.
    """
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        try:
            value = predicate()
            if value is not None and (isinstance(value, np.ndarray) or value):
                return value
            last = value
        except Exception as exc:
            last = exc
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{message} not met after {timeout} s (last: {last!r})")
        time.sleep(interval)


def animation_frames(page: Page, n: int = 2) -> None:
    """Wait for ``n`` animation frames (n is rounded up to a multiple of two)."""
    for _ in range(max(1, (n + 1) // 2)):
        page.evaluate(_TWO_FRAMES_JS)


# -- notebooks ---------------------------------------------------------------------------------


def notebook_state(page: Page) -> dict[str, Any] | None:
    """Kernel status, code cells (execution count/state) and error outputs of the open notebook."""
    state: dict[str, Any] | None = page.evaluate(_NOTEBOOK_STATE_JS)
    return state


def wait_notebook_ready(page: Page, name: str, timeout: float = 60.0) -> None:
    """Wait until the app shows notebook ``name`` with a kernel that is idle."""

    def ready() -> bool:
        s = notebook_state(page)
        return bool(s and s["path"] == name and s["kernel"] == "idle")

    wait_for(ready, timeout, 0.2, f"notebook {name!r} open with an idle kernel")


def run_all_cells(page: Page, timeout: float = 120.0) -> None:
    """Run every cell of the current notebook and wait until all ran and the kernel is idle.

    Raises :class:`NotebookError` with the traceback if a cell raised.
    """
    page.evaluate(
        """() => {
          window.__ewRunAll = {done: false, error: null};
          window.jupyterapp.commands.execute('notebook:run-all-cells').then(
            () => { window.__ewRunAll.done = true; },
            (e) => { window.__ewRunAll.done = true; window.__ewRunAll.error = String(e); });
        }"""
    )

    def finished() -> dict[str, Any] | None:
        s = notebook_state(page)
        if s is None:
            return None
        if s["errors"]:
            return s
        run = s["run"] or {}
        if run.get("error"):
            return s
        done = (
            run.get("done")
            and s["kernel"] == "idle"
            and all(c["count"] is not None and c["state"] != "running" for c in s["cells"])
        )
        return s if done else None

    s = wait_for(finished, timeout, 0.2, "all cells executed and kernel idle")
    if s["errors"] or (s["run"] or {}).get("error"):
        raise NotebookError(strip_ansi("\n\n".join(s["errors"]) or s["run"]["error"]))


# -- pixels ------------------------------------------------------------------------------------


def canvas_pixels(page: Page, selector: str | Locator) -> np.ndarray:
    """RGBA pixels (H x W x 4, uint8) of a canvas, or of the first ``<canvas>`` inside an element.

    Works on a 2D canvas, and on a WebGL canvas created with ``preserveDrawingBuffer: true``
    (otherwise its buffer may already be cleared; use :func:`screenshot_pixels`).
    """
    loc = page.locator(selector) if isinstance(selector, str) else selector
    out = loc.first.evaluate(_CANVAS_PIXELS_JS)
    flat = np.frombuffer(base64.b64decode(out["b64"]), dtype=np.uint8)
    return flat.reshape(out["h"], out["w"], 4)


def screenshot_pixels(page: Page, selector: str | Locator) -> np.ndarray:
    """RGBA pixels of what the compositor shows for an element (any canvas kind, CSS size)."""
    import io

    from PIL import Image

    loc = page.locator(selector) if isinstance(selector, str) else selector
    png = loc.first.screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def background_color(pixels: np.ndarray) -> np.ndarray:
    """The most common RGBA value (taken to be the background)."""
    flat = np.ascontiguousarray(pixels.reshape(-1, 4)).view(np.uint32).ravel()
    values, counts = np.unique(flat, return_counts=True)
    return np.array([values[np.argmax(counts)]], dtype=np.uint32).view(np.uint8)


def count_non_background(
    pixels: np.ndarray, background: Sequence[int] | None = None, tolerance: int = 8
) -> int:
    """Number of pixels differing from ``background`` (default: the most common colour) by more
    than ``tolerance`` in some RGBA channel."""
    bg = background_color(pixels) if background is None else np.asarray(background, np.uint8)
    diff = np.abs(pixels.reshape(-1, 4).astype(np.int16) - bg.astype(np.int16))
    return int((diff.max(axis=1) > tolerance).sum())


def hue_histogram(
    pixels: np.ndarray, bins: int = 36, min_saturation: float = 0.3, min_value: float = 0.25
) -> np.ndarray:
    """Pixel counts per hue bin (bin 0 starts at red), over visible, saturated pixels only."""
    px = pixels.reshape(-1, 4).astype(np.float64) / 255.0
    rgb, alpha = px[:, :3], px[:, 3]
    mx, mn = rgb.max(axis=1), rgb.min(axis=1)
    delta = mx - mn
    sat = np.divide(delta, mx, out=np.zeros_like(mx), where=mx > 0)
    keep = (alpha > 0.5) & (sat >= min_saturation) & (mx >= min_value)
    r, g, b = rgb[keep].T
    mx, d = mx[keep], delta[keep]
    hue = (
        np.where(mx == r, ((g - b) / d) % 6, np.where(mx == g, (b - r) / d + 2, (r - g) / d + 4))
        / 6.0
    )
    return np.histogram(hue, bins=bins, range=(0.0, 1.0))[0]


def distinct_hues(pixels: np.ndarray, min_fraction: float = 0.01, **kwargs: Any) -> int:
    """How many hue bins (10 degrees wide by default) hold at least ``min_fraction`` of the
    saturated pixels. Grey, white, black and transparent pixels do not count."""
    hist = hue_histogram(pixels, **kwargs)
    total = hist.sum()
    return 0 if total == 0 else int((hist >= max(1, min_fraction * total)).sum())


def dominant_hue(pixels: np.ndarray, bins: int = 36) -> float | None:
    """Centre (degrees) of the most populated hue bin, or None with no saturated pixels."""
    hist = hue_histogram(pixels, bins=bins)
    if hist.sum() == 0:
        return None
    return (int(np.argmax(hist)) + 0.5) * 360.0 / bins


# -- pointer -----------------------------------------------------------------------------------


def point_in(
    page: Page, selector: str | Locator, fx: float = 0.5, fy: float = 0.5
) -> tuple[float, float]:
    """Page coordinates of the point at fractions (fx, fy) of an element's bounding box."""
    loc = page.locator(selector) if isinstance(selector, str) else selector
    loc.first.scroll_into_view_if_needed()
    box = loc.first.bounding_box()
    if box is None:
        raise AssertionError(f"{selector} is not visible")
    return box["x"] + fx * box["width"], box["y"] + fy * box["height"]


def hover(page: Page, x: float, y: float) -> None:
    """Move the mouse to (x, y) and let two animation frames see it."""
    page.mouse.move(x, y)
    animation_frames(page, 2)


def careful_click(page: Page, x: float, y: float) -> None:
    """Click at (x, y) so that a slow (SwiftShader) canvas reads a click, not a pan:
    hover, wait two animation frames, press, wait a frame, release."""
    hover(page, x, y)
    page.mouse.down()
    animation_frames(page, 1)
    page.mouse.up()
    animation_frames(page, 2)


def careful_drag(
    page: Page, points: Sequence[tuple[float, float]], modifier: str | None = None
) -> None:
    """Press at ``points[0]``, move through the rest one frame at a time, release at the end.
    ``modifier`` (e.g. "Shift") is held throughout, e.g. for a lasso."""
    if modifier:
        page.keyboard.down(modifier)
    try:
        hover(page, *points[0])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(x, y, steps=2)
            animation_frames(page, 1)
        page.mouse.up()
        animation_frames(page, 2)
    finally:
        if modifier:
            page.keyboard.up(modifier)


def set_range(page: Page, selector: str | Locator, value: float) -> None:
    """Set an ``<input type=range>`` like a user releasing it at ``value``: fires input + change.
    (Playwright's ``fill`` does not work on range inputs.)"""
    loc = page.locator(selector) if isinstance(selector, str) else selector
    loc.first.evaluate(
        """(el, v) => {
          el.value = String(v);
          el.dispatchEvent(new Event('input', {bubbles: true}));
          el.dispatchEvent(new Event('change', {bubbles: true}));
          el.dispatchEvent(new PointerEvent('pointerup', {bubbles: true}));
        }""",
        value,
    )


# -- transient elements ------------------------------------------------------------------------

_WATCH_JS = """
([sel, key]) => {
  const all = window.__ewWatch = window.__ewWatch || {};
  if (all[key]) all[key].observer.disconnect();
  const w = all[key] = {seen: false, observer: null};
  const visible = (el) => {
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.display !== 'none' && cs.visibility !== 'hidden';
  };
  const check = () => {
    if (w.seen) return;
    if ([...document.querySelectorAll(sel)].some(visible)) {
      w.seen = true; w.observer.disconnect(); return;
    }
    setTimeout(check, 16);
  };
  w.observer = new MutationObserver(check);
  w.observer.observe(document.body, {subtree: true, childList: true, attributes: true});
  check();
}
"""


def watch_visible(page: Page, selector: str, key: str | None = None) -> str:
    """Start recording (in the page) whether an element matching ``selector`` becomes visible,
    even for a moment (e.g. a progress bar). Returns the key for :func:`was_visible`."""
    key = key or selector
    page.evaluate(_WATCH_JS, [selector, key])
    return key


def was_visible(page: Page, key: str) -> bool:
    """Whether the element watched under ``key`` has been visible since :func:`watch_visible`."""
    return bool(
        page.evaluate(
            "(k) => !!(window.__ewWatch && window.__ewWatch[k] && window.__ewWatch[k].seen)", key
        )
    )
