"""Prototype (issue 15, item 5; not yet folded into render.py): embedding-atlas 0.22.0's widget
in JupyterLab + headless Chromium, measured as benchmarks/render.py measures embed_widget and
jupyter-scatter. It measures the peer alone: its figures are not yet printed as ratios against
ours from the same run, which is what render.py must do with it.

Install (its own venv, without torch, sentence-transformers and litellm, which the widget does
not import), then run::

    python3.11 -m venv .atlas-venv
    .atlas-venv/bin/pip install -r <(.bench-venv/bin/pip freeze)  # render.py makes .bench-venv
    .atlas-venv/bin/pip install --no-deps embedding-atlas==0.22.0
    .atlas-venv/bin/pip install duckdb inquirer   # (utils.py imports inquirer)
    .atlas-venv/bin/python benchmarks/atlas_probe.py --sizes 100k,1M --runs 2

Measured by session 13's helper on this kind of machine, quiet, ms from executing the cell:
100k: first paint 1,168-1,219, coloured 1,962-1,990, zoom frame 57-60; 1M: first paint
2,302-2,428, coloured 5,543-5,836, zoom frame 364-368 (all "done": GPU work finished). Notes:
headless Chromium here has no WebGPU adapter, so 0.22 draws with WebGL 2 (SwiftShader); it
colours by a VARCHAR column only (a pandas Categorical becomes a DuckDB ENUM, never coloured:
the setup casts ``cat`` to str), chosen through ``initial_state`` (``STATE`` below); its canvas
sits in a shadow root, 393 x 603 CSS px at pixel ratio 2.

Measured per N, from executing the widget's cell (in the page):
- first paint: first frame drawn onto the widget's visible WebGL canvas with >= 20 non-background
  pixels (any colour);
- first coloured paint: first such frame whose saturated pixels fall in >= 4 hue bins of 10 degrees
  holding >= 1 % each (8 categories; the uncoloured view has 1-2);
- zoom frame: median over wheel steps (Ctrl held, as in render.py) of wheel event -> next frame
  drawn to the canvas; "issued" is when the last draw call to the default framebuffer returns,
  "done" adds a 1-pixel readPixels right after it (waits for the GPU process to finish the frame).

Frames: embedding-atlas renders in its own canvas (WebGPU if navigator.gpu has an adapter with
shader-f16, else WebGL 2). A frame ends with a draw call while the default framebuffer (null) is
bound (its gamma-correction pass), so wrapping bindFramebuffer + drawArrays* / drawElements* of
WebGL(2)RenderingContext sees each frame. Until the first coloured paint each such frame is read
back (readPixels of the whole canvas, inside the draw call's task, so preserveDrawingBuffer does
not matter) and analysed in the page.
"""

# ruff: noqa: E501  (the page scripts below are JavaScript)
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HARNESS = Path(__file__).resolve().parents[1] / "tests" / "browser"
sys.path.insert(0, str(HARNESS))

from conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT  # noqa: E402
from ew_jupyter import JupyterServer, write_notebook  # noqa: E402
from ew_page import (  # noqa: E402
    animation_frames,
    distinct_hues,
    hover,
    wait_for,
    wait_notebook_ready,
)

TIMEOUT = float(os.environ.get("ATLAS_TIMEOUT", "300"))
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}

# copied from benchmarks/render.py
SETUP_SYNTHETIC = """
import numpy as np, pandas as pd
rng = np.random.default_rng(0)
N = {n}
K = 8
centres = rng.uniform(-10, 10, size=(K, 2))
cat = rng.integers(0, K, size=N)
xy = (centres[cat] + rng.normal(0, 1.5, size=(N, 2))).astype(np.float32)
df = pd.DataFrame({{"x": xy[:, 0], "y": xy[:, 1],
                   "cat": pd.Categorical.from_codes(cat, [f"c{{i}}" for i in range(K)])}})
"""
# embedding-atlas colours only by VARCHAR / number / date columns: a pandas Categorical becomes a
# DuckDB ENUM, which its front end does not type (no colour, not even listed in "Color").
SETUP_ATLAS = "from embedding_atlas.widget import EmbeddingAtlasWidget\n"
CAST = 'df["cat"] = df["cat"].astype(str)\n'
STATE = {
    "charts": {
        "1": {
            "type": "embedding",
            "title": "Embedding",
            "data": {"x": "x", "y": "y", "category": "cat"},
        }
    }
}
SHOW = "EmbeddingAtlasWidget(df, x='x', y='y', initial_state={state})"

INIT_JS = r"""
(() => {
  const B = window.__atlas = {armed: false, t0: null, frames: [], wheels: [], contexts: [],
    firstPaint: null, firstColoured: null, hueLog: [], size: null, sync: false, done: [],
    readback: false, analyseMs: 0};
  const inOutput = (c) => {  // crosses shadow roots
    if (!c || !c.isConnected) return false;
    let el = c;
    while (el) {
      if (el.closest && el.closest('.jp-OutputArea-output')) return true;
      const root = el.getRootNode && el.getRootNode();
      el = root && root.host ? root.host : null;
    }
    return false;
  };
  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
    const ctx = getContext.call(this, type, ...rest);
    if (type !== '2d') B.contexts.push([type, !!ctx, performance.now()]);
    return ctx;
  };
  const analyse = (gl) => {
    const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
    if (!w || !h) return null;
    const d = new Uint8Array(w * h * 4);
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, d);
    const r0 = d[0], g0 = d[1], b0 = d[2];
    let nonbg = 0, sat = 0;
    const bins = new Array(36).fill(0);
    for (let i = 0; i < d.length; i += 16) {  // every 4th pixel
      const r = d[i], g = d[i + 1], b = d[i + 2];
      if (Math.abs(r - r0) > 8 || Math.abs(g - g0) > 8 || Math.abs(b - b0) > 8) nonbg++;
      const mx = Math.max(r, g, b), mn = Math.min(r, g, b), dl = mx - mn;
      if (mx < 64 || dl / mx < 0.3) continue;
      let hue = mx === r ? ((g - b) / dl + 6) % 6 : mx === g ? (b - r) / dl + 2 : (r - g) / dl + 4;
      bins[Math.min(35, Math.floor(hue / 6 * 36))]++;
      sat++;
    }
    const hues = sat ? bins.filter(c => c >= Math.max(1, 0.01 * sat)).length : 0;
    return {w, h, nonbg, sat, hues};
  };
  const finish = (gl) => {  // wait until the GPU process has finished this frame
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    return performance.now();
  };
  const st = new WeakMap();  // per context: attrib 2 (category) enabled; points drawn this frame
  const S = (gl) => { let s = st.get(gl); if (!s) st.set(gl, s = {cat: false, pts: 0, catPts: false}); return s; };
  const onFrame = (gl) => {
    const c = gl.canvas, s = S(gl);
    const pts = s.pts, catPts = s.catPts;
    s.pts = 0; s.catPts = false;
    if (!B.armed || !inOutput(c)) return;
    const t = performance.now();
    B.frames.push(t);
    B.done.push(B.sync ? finish(gl) : null);
    if (B.firstColoured !== null) return;
    if (B.readback) {  // --readback: classify each frame by its pixels (slow: full readPixels)
      const ta = performance.now();
      const a = analyse(gl);
      B.analyseMs += performance.now() - ta;
      if (!a) return;
      B.hueLog.push([Math.round(t - B.t0), a.nonbg, a.sat, a.hues]);
      if (a.nonbg >= 20 && B.firstPaint === null) {
        B.firstPaint = t - B.t0; B.size = [a.w, a.h]; B.canvas = c;
      }
      if (a.nonbg >= 20 && a.hues >= 4) B.firstColoured = t - B.t0;
      return;
    }
    // default: classify by the GL calls of the frame (points drawn; with the category attribute)
    B.hueLog.push([Math.round(t - B.t0), pts, catPts]);
    if (pts > 0 && B.firstPaint === null) {
      const ta = performance.now();
      B.firstPaint = finish(gl) - B.t0; B.firstPaintIssued = t - B.t0;
      B.analyseMs += performance.now() - ta;
      B.size = [gl.drawingBufferWidth, gl.drawingBufferHeight]; B.canvas = c;
    }
    if (pts > 0 && catPts) {
      const ta = performance.now();
      B.firstColoured = finish(gl) - B.t0; B.firstColouredIssued = t - B.t0;
      B.analyseMs += performance.now() - ta;
    }
  };
  const fbs = new WeakMap();
  for (const P of [WebGL2RenderingContext.prototype, WebGLRenderingContext.prototype]) {
    const bind = P.bindFramebuffer;
    P.bindFramebuffer = function (target, fb) {
      if (target === this.FRAMEBUFFER || target === 0x8CA9 /* DRAW_FRAMEBUFFER */) fbs.set(this, fb);
      return bind.call(this, target, fb);
    };
    const en = P.enableVertexAttribArray, dis = P.disableVertexAttribArray;
    P.enableVertexAttribArray = function (i) { if (i === 2) S(this).cat = true; return en.call(this, i); };
    P.disableVertexAttribArray = function (i) { if (i === 2) S(this).cat = false; return dis.call(this, i); };
    for (const name of ['drawArrays', 'drawArraysInstanced', 'drawElements', 'drawElementsInstanced']) {
      const orig = P[name];
      if (!orig) continue;
      P[name] = function (...args) {
        const out = orig.apply(this, args);
        if (name === 'drawArrays' && args[0] === this.POINTS && args[2] > 0) {
          const s = S(this);
          s.pts = Math.max(s.pts, args[2]);
          if (s.cat) s.catPts = true;
        }
        if (!fbs.get(this)) onFrame(this);
        return out;
      };
    }
  }
  if (window.GPUQueue) {  // WebGPU: count submits (frames are not separable from compute here)
    const submit = GPUQueue.prototype.submit;
    GPUQueue.prototype.submit = function (...a) { B.gpuSubmits = (B.gpuSubmits || 0) + 1; return submit.apply(this, a); };
  }
  window.addEventListener('wheel', () => { if (B.armed) B.wheels.push(performance.now()); },
                          {capture: true, passive: true});
})();
"""

RUN_CELL_JS = """
([i, readback]) => {
  const B = window.__atlas;
  Object.assign(B, {armed: true, readback, firstPaintIssued: null, firstColouredIssued: null, frames: [], wheels: [], done: [], firstPaint: null,
                    firstColoured: null, hueLog: [], size: null, sync: false, analyseMs: 0});
  const panel = window.jupyterapp.shell.currentWidget;
  panel.content.activeCellIndex = i;
  B.t0 = performance.now();
  window.jupyterapp.commands.execute('notebook:run-cell');
}
"""

CELL_DONE_JS = """
(i) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cell = panel.content.widgets[i].model;
  const errors = cell.outputs.toJSON().filter(o => o.output_type === 'error')
    .map(o => `${o.ename}: ${o.evalue}`);
  return {idle: kernel && kernel.status === 'idle', count: cell.executionCount, errors};
}
"""

GPU_JS = """
async () => {
  const out = {gpu: !!navigator.gpu, adapter: null, f16: null};
  if (navigator.gpu) {
    const a = await navigator.gpu.requestAdapter();
    out.adapter = !!a;
    if (a) out.f16 = a.features.has('shader-f16');
  }
  const gl = document.createElement('canvas').getContext('webgl2');
  out.webgl2 = !!gl;
  if (gl) {
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    out.renderer = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    out.floatFb = !!gl.getExtension('EXT_color_buffer_float');
  }
  return out;
}
"""

CANVAS_JS = """
() => {
  const c = window.__atlas.canvas;  // inside the widget's shadow root
  c.scrollIntoView({block: 'center'});
  const q = c.getBoundingClientRect();
  return [q.left + q.width / 2, q.top + q.height / 2, q.width, q.height, c.width, c.height];
}
"""


def run_cell(page, i: int, timeout: float) -> None:
    page.evaluate(
        "(i) => { const p = window.jupyterapp.shell.currentWidget;"
        " p.content.activeCellIndex = i; return window.jupyterapp.commands.execute('notebook:run-cell'); }",
        i,
    )
    wait_for(
        lambda: (s := page.evaluate(CELL_DONE_JS, i)) and s["idle"] and s["count"] is not None,
        timeout, 0.2, f"cell {i} done",
    )  # fmt: skip
    errors = page.evaluate(CELL_DONE_JS, i)["errors"]
    if errors:
        raise RuntimeError(f"cell {i} raised: {errors[-1]}")


def measure(server, context, size, zoom_steps, cast, shots, k, readback=False):
    n = SIZES[size]
    setup = SETUP_SYNTHETIC.format(n=n) + (CAST if cast else "") + SETUP_ATLAS
    show = SHOW.format(state=json.dumps(STATE))
    name = f"atlas_{size}_{k}.ipynb"
    write_notebook(server.root, name, [setup, show])
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
    page.on("pageerror", lambda e: console.append(f"[pageerror] {e}"))
    try:
        page.goto(server.lab_url(name), wait_until="domcontentloaded")
        wait_notebook_ready(page, name, 120)
        if k == 1:
            print("  browser:", page.evaluate(GPU_JS), flush=True)
        run_cell(page, 0, 600)
        time.sleep(0.5)
        page.evaluate(RUN_CELL_JS, [1, readback])
        started = time.perf_counter()

        def settled():
            s = page.evaluate(CELL_DONE_JS, 1)
            if s["errors"]:
                raise SystemExit(f"cell raised {s['errors']}")
            b = page.evaluate("() => ({p: __atlas.firstPaint, c: __atlas.firstColoured})")
            return b if s["idle"] and b["c"] is not None else None

        try:
            b = wait_for(settled, TIMEOUT, 0.1, f"atlas {size} coloured")
        except TimeoutError:
            page.screenshot(path=str(shots / f"timeout_{size}_{k}.png"))
            print("  hue log:", page.evaluate("() => __atlas.hueLog")[:40])
            print("  contexts:", page.evaluate("() => [__atlas.contexts, __atlas.nullDraws]"))
            print("  console:", "\n".join(console[-20:]))
            raise
        wall = time.perf_counter() - started
        info = page.evaluate(
            "() => ({log: __atlas.hueLog, ctx: __atlas.contexts, size: __atlas.size,"
            " fpi: __atlas.firstPaintIssued, fci: __atlas.firstColouredIssued, frames: __atlas.frames.length, gpu: __atlas.gpuSubmits || 0, am: __atlas.analyseMs})"
        )
        time.sleep(1.0)
        x, y, cw, ch, _bw, _bh = page.evaluate(CANVAS_JS)
        # cross-check with a compositor screenshot (what render.py's tests use)
        import numpy as np
        from PIL import Image

        clip = {"x": x - cw / 2, "y": y - ch / 2, "width": cw, "height": ch}
        png = page.screenshot(clip=clip)
        (shots / f"atlas_{size}_{k}.png").write_bytes(png)
        px = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
        shot_hues = distinct_hues(px)
        # zoom
        hover(page, x, y)
        animation_frames(page, 2)
        page.evaluate("() => { __atlas.sync = true; }")
        steps_issue, steps_done = [], []
        page.keyboard.down("Control")
        for i in range(zoom_steps):
            kf = page.evaluate("() => __atlas.frames.length")
            dy = -120 if i < zoom_steps // 2 else 120
            page.mouse.wheel(0, dy)
            page.wait_for_function(
                "k => __atlas.frames.length > k && __atlas.wheels.length", arg=kf,
                polling=20, timeout=30_000,
            )  # fmt: skip
            animation_frames(page, 2)
            r = page.evaluate(
                """() => {
                  const B = __atlas, w = B.wheels[B.wheels.length - 1];
                  const j = B.frames.findIndex(t => t >= w);
                  return j < 0 ? null : [B.frames[j] - w, B.done[j] - w];
                }"""
            )
            if i == zoom_steps // 2 - 1:
                (shots / f"atlas_{size}_{k}_zoomed_in.png").write_bytes(page.screenshot(clip=clip))
            if r:
                steps_issue.append(r[0])
                steps_done.append(r[1])
        page.keyboard.up("Control")
        page.evaluate("() => { __atlas.sync = false; }")
        after = page.screenshot(clip=clip)
        (shots / f"atlas_{size}_{k}_zoomed.png").write_bytes(after)
        ctx_types = sorted({c[0] for c in info["ctx"]})
        res = {
            "size": size,
            "first_paint_ms": round(b["p"]),
            "first_coloured_ms": round(b["c"]),
            "issued_ms": [info["fpi"] and round(info["fpi"]), info["fci"] and round(info["fci"])],
            "mode": "readback" if readback else "gl-calls",
            "zoom_issue_ms": round(statistics.median(steps_issue)) if steps_issue else None,
            "zoom_done_ms": round(statistics.median(steps_done)) if steps_done else None,
            "zoom_steps_done": [round(s) for s in steps_done],
            "canvas": info["size"],
            "css": [round(cw), round(ch)],
            "contexts": ctx_types,
            "gpu_submits": info["gpu"],
            "screenshot_hues": shot_hues,
            "harness_wall_s": round(wall, 1),
            "readback_ms_total": round(info["am"]),
            "hue_log_head": info["log"][:12],
        }
        print("  " + json.dumps(res), flush=True)
        errs = [c for c in console if "error" in c.lower()]
        if errs:
            print("  console errors:", errs[:8])
        return res
    finally:
        page.close()
        with contextlib.suppress(Exception):
            server.shutdown_session(name)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100k,1M")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--zoom-steps", type=int, default=12)
    ap.add_argument(
        "--readback",
        action="store_true",
        help="classify frames by reading back their pixels (validation; slows 1M)",
    )
    ap.add_argument("--no-cast", action="store_true", help="keep cat as pandas Categorical")
    ap.add_argument("--extra-arg", action="append", default=[], help="extra Chromium flag")
    args = ap.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    shots = Path(tempfile.gettempdir()) / "atlas-shots"
    shots.mkdir(exist_ok=True)
    from playwright.sync_api import sync_playwright

    print(f"python {sys.executable}; chromium args {CHROMIUM_ARGS + args.extra_arg}")
    with tempfile.TemporaryDirectory(prefix="atlas-probe-") as tmp:
        server = JupyterServer(Path(tmp) / "jupyter").start()
        try:
            with sync_playwright() as pw:
                context = pw.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"), executable_path=CHROMIUM, headless=True,
                    args=CHROMIUM_ARGS + args.extra_arg, viewport=VIEWPORT,
                )  # fmt: skip
                context.add_init_script(INIT_JS)
                context.set_default_timeout(60_000)
                k = 0
                for _ in range(args.runs):
                    for size in sizes:
                        k += 1
                        measure(
                            server,
                            context,
                            size,
                            args.zoom_steps,
                            not args.no_cast,
                            shots,
                            k,
                            args.readback,
                        )
                context.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
