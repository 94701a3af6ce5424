"""Smoke tests of the browser harness on a tiny stand-in anywidget (not the real widget).

The stand-in draws a square with WebGL into an offscreen canvas and copies it onto a visible 2D
canvas (as regl-scatterplot does), in hue ``value`` degrees, and shows ``value`` as text.
"""

from __future__ import annotations

import numpy as np
import pytest
from ew_jupyter import KernelError
from ew_page import (
    canvas_pixels,
    count_non_background,
    distinct_hues,
    dominant_hue,
    screenshot_pixels,
    wait_for,
)

STANDIN = '''
import anywidget, traitlets

class StandIn(anywidget.AnyWidget):
    _esm = """
    function hsl(h) {  // hue in degrees -> rgb in 0..1, full saturation, half lightness
      const f = (n) => { const k = (n + h / 30) % 12; return 0.5 - 0.5 * Math.max(-1, Math.min(k - 3, 9 - k, 1)); };
      return [f(0), f(8), f(4)];
    }
    function render({ model, el }) {
      el.classList.add('standin');
      const gl_canvas = document.createElement('canvas');
      gl_canvas.width = gl_canvas.height = 120;
      const gl = gl_canvas.getContext('webgl2');
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 120;
      canvas.className = 'standin-canvas';
      const label = document.createElement('span');
      label.className = 'standin-value';
      const status = document.createElement('span');
      status.className = 'standin-gl';
      status.textContent = gl ? 'webgl2' : 'no webgl2';
      const draw = () => {
        const v = model.get('value');
        label.textContent = String(v);
        if (!gl) return;
        gl.disable(gl.SCISSOR_TEST);
        gl.clearColor(1, 1, 1, 1);
        gl.clear(gl.COLOR_BUFFER_BIT);
        gl.enable(gl.SCISSOR_TEST);
        gl.scissor(20, 20, 80, 80);
        gl.clearColor(...hsl(v), 1);
        gl.clear(gl.COLOR_BUFFER_BIT);
        // copy in the same task, before the WebGL buffer is presented and cleared
        const ctx = canvas.getContext('2d');
        ctx.drawImage(gl_canvas, 0, 0);
      };
      model.on('change:value', draw);
      draw();
      el.append(canvas, label, status);
      return () => model.off('change:value', draw);
    }
    export default { render };
    """
    value = traitlets.Int(0).tag(sync=True)

w = StandIn(value=0)
w
'''


def _check_standin(nb) -> None:  # type: ignore[no-untyped-def]
    page = nb.page
    page.locator(".standin-canvas").wait_for(state="visible", timeout=30_000)
    assert page.locator(".standin-gl").inner_text() == "webgl2"

    px = canvas_pixels(page, ".standin-canvas")
    assert px.shape == (120, 120, 4)
    assert count_non_background(px) == 80 * 80  # the square, on a white background
    assert distinct_hues(px) == 1
    assert dominant_hue(px) == pytest.approx(5.0)  # red, bin 0..10 degrees

    # the kernel client talks to the page's own kernel: the widget object is there
    assert nb.eval_in_kernel("w.value") == 0
    nb.run_in_kernel("w.value = 120")
    wait_for(lambda: page.locator(".standin-value").inner_text() == "120", 10, message="label 120")

    def green() -> np.ndarray | None:
        p = canvas_pixels(page, ".standin-canvas")
        return p if dominant_hue(p) == pytest.approx(125.0) else None

    px = wait_for(green, 10, message="square turns green")
    assert count_non_background(px) == 80 * 80

    # the compositor shows the same (screenshot path, at CSS size)
    shot = screenshot_pixels(page, ".standin-canvas")
    assert dominant_hue(shot) == pytest.approx(125.0)


def test_lab_standin_renders_and_syncs(open_notebook) -> None:  # type: ignore[no-untyped-def]
    nb = open_notebook([STANDIN], ui="lab")
    _check_standin(nb)


def test_notebook7_standin_renders_and_syncs(open_notebook) -> None:  # type: ignore[no-untyped-def]
    nb = open_notebook([STANDIN], ui="notebook")
    assert "/notebooks/" in nb.page.url
    _check_standin(nb)


def test_kernel_error_carries_traceback(open_notebook) -> None:  # type: ignore[no-untyped-def]
    nb = open_notebook(["x = 41"], ui="lab")
    assert nb.run_in_kernel("print(x + 1)") == "42\n"
    with pytest.raises(KernelError, match="ZeroDivisionError"):
        nb.run_in_kernel("1 / 0")


def test_pixel_helpers_on_synthetic_images() -> None:
    img = np.zeros((10, 20, 4), np.uint8)
    img[..., 3] = 255  # opaque black background
    img[:, :5] = (255, 0, 0, 255)  # red, 50 px
    img[:, 5:10] = (0, 0, 255, 255)  # blue, 50 px
    assert count_non_background(img) == 100
    assert distinct_hues(img) == 2
    img[:, 10:12] = (128, 128, 128, 255)  # grey does not count as a hue
    assert distinct_hues(img) == 2
