"""Render benchmark: embed_widget vs jupyter-scatter in JupyterLab + headless Chromium.

Run on demand, never from the test suite::

    .venv/bin/python benchmarks/render.py            # digits, 100k, 1M; median of 3 runs
    .venv/bin/python benchmarks/render.py --quick    # digits, 100k; 1 run

Both widgets draw the same points (2-D float32 Gaussian blobs, fixed seed, a categorical colour
column) in the same JupyterLab, kernel environment and browser. Measured per (widget, N):

- first paint: from executing the widget's cell (in the page) to the first frame copied onto the
  widget's visible canvas with non-background pixels. For embed_widget also "final": the first
  such frame once the root says ``data-final="true"`` and ``data-points == N``.
- zoom frame: median, over scripted mouse-wheel steps over the canvas, of the time from the wheel
  event to the next frame copied onto the canvas (one step at a time, each after the last frame).
- bytes/point: bytes of all kernel-websocket frames the browser received from executing the cell
  until the display settled (kernel idle, and for embed_widget the final layout drawn), over N.

Frames are seen by wrapping ``CanvasRenderingContext2D.prototype.drawImage`` in the page: both
widgets use regl-scatterplot, which renders offscreen and copies each frame into a visible 2D
canvas with ``drawImage``.

jupyter-scatter is installed only in a separate venv (``.bench-venv`` at the repo root, created on
first run, git-ignored); this script re-executes itself with that venv's Python so that the
JupyterLab server and kernels of both widgets come from it. embed_widget is imported from the work
tree (the harness puts the repo first on the kernels' ``PYTHONPATH``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BENCH_VENV = REPO / ".bench-venv"
BENCH_PYTHON = BENCH_VENV / "bin" / "python"
HARNESS = REPO / "tests" / "browser"
_IN_BENCH_VENV = "EW_BENCH_IN_VENV"

# Same versions as the project's dev venv where they matter (front-end stack), so the comparison
# runs on what the browser tests run on.
BENCH_REQUIREMENTS = [
    "jupyter-scatter>=1.0,<1.1",
    "jupyterlab==4.6.6",
    "anywidget==0.11.0",
    "ipywidgets==8.1.9",
    "playwright==1.65.2",
    "pytest",  # only so tests/browser/conftest.py imports (its Chromium flags)
]

SIZES = {"digits": 1797, "100k": 100_000, "1M": 1_000_000}
WIDGETS = ("embed_widget", "jupyter-scatter")

# ---------------------------------------------------------------------------------------------
# notebook cells

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

SETUP_DIGITS = """
import numpy as np, pandas as pd
from sklearn.datasets import load_digits
d = load_digits()
df = pd.DataFrame({"embedding": list(d.data.astype(np.float32)),
                   "target": pd.Categorical(d.target.astype(str))})
"""

IMPORTS = {
    "embed_widget": "from embed_widget import Table",
    "jupyter-scatter": "import jscatter",
}

SHOW = {
    "embed_widget": 't = Table(dataframe=df); t.view.algorithm = "pca"; t',
    "jupyter-scatter": (
        'sc = jscatter.Scatter(data=df, x="x", y="y", color_by="cat", height={height}); sc.show()'
    ),
}

# ---------------------------------------------------------------------------------------------
# in-page instrumentation

# Installed before any page script: records frames copied onto visible canvases inside notebook
# outputs, whether they show anything, and wheel events.
INIT_JS = """
(() => {
  const B = window.__bench = {
    armed: false, n: 0, t0: null, draws: [], wheels: [],
    firstPaint: null, firstFinal: null, size: null, canvas: null,
  };
  const painted = (ctx) => {
    const c = ctx.canvas, w = c.width, h = c.height;
    if (!w || !h) return false;
    const d = ctx.getImageData(0, 0, w, h).data;
    const r0 = d[0], g0 = d[1], b0 = d[2], a0 = d[3];
    let n = 0;
    for (let i = 0; i < d.length; i += 16) {  // every 4th pixel
      if (Math.abs(d[i] - r0) > 8 || Math.abs(d[i + 1] - g0) > 8 ||
          Math.abs(d[i + 2] - b0) > 8 || Math.abs(d[i + 3] - a0) > 8) {
        if (++n >= 20) return true;
      }
    }
    return false;
  };
  const orig = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const out = orig.apply(this, args);
    const c = this.canvas;
    if (!B.armed || !c || !c.isConnected || !c.closest || !c.closest('.jp-OutputArea-output')) {
      return out;
    }
    const t = performance.now();
    B.draws.push(t);
    if (B.firstPaint === null || B.firstFinal === null) {
      if (painted(this)) {
        if (B.firstPaint === null) {
          B.firstPaint = t - B.t0;
          B.canvas = c;
          B.size = [c.width, c.height];
        }
        const root = c.closest('.embed-widget');
        const final = root ? root.dataset.final === 'true' && Number(root.dataset.points) === B.n
                           : true;
        if (final && B.firstFinal === null) B.firstFinal = t - B.t0;
      }
    }
    return out;
  };
  window.addEventListener('wheel', () => { if (B.armed) B.wheels.push(performance.now()); },
                          {capture: true, passive: true});
})();
"""

RUN_CELL_JS = """
(n) => {
  const B = window.__bench;
  Object.assign(B, {armed: true, n, draws: [], wheels: [], firstPaint: null, firstFinal: null,
                    size: null, canvas: null});
  const panel = window.jupyterapp.shell.currentWidget;
  panel.content.activeCellIndex = 1;
  B.t0 = performance.now();
  window.jupyterapp.commands.execute('notebook:run-cell');
}
"""

CELL_DONE_JS = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cell = panel.content.widgets[1].model;
  const errors = cell.outputs.toJSON().filter(o => o.output_type === 'error')
    .map(o => `${o.ename}: ${o.evalue}`);
  return {idle: kernel && kernel.status === 'idle', count: cell.executionCount, errors};
}
"""

CANVAS_CENTRE_JS = """
() => {
  window.__bench.canvas.scrollIntoView({block: 'center'});
  const q = window.__bench.canvas.getBoundingClientRect();
  return [q.left + q.width / 2, q.top + q.height / 2];
}
"""

# ---------------------------------------------------------------------------------------------
# environment


def ensure_bench_venv() -> None:
    """Create ``.bench-venv`` with jupyter-scatter and embed_widget's runtime deps if missing."""
    if BENCH_PYTHON.exists():
        probe = subprocess.run(
            [str(BENCH_PYTHON), "-c", "import jscatter, jupyterlab, playwright, pytest, sklearn"],
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
        )
        if probe.returncode == 0:
            return
    import tomllib

    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    print(f"creating {BENCH_VENV} (jupyter-scatter + embed_widget's deps; a few minutes)...")
    subprocess.run([sys._base_executable, "-m", "venv", str(BENCH_VENV)], check=True)  # type: ignore[attr-defined]
    subprocess.run(
        [str(BENCH_PYTHON), "-m", "pip", "install", "-q", *BENCH_REQUIREMENTS, *deps], check=True
    )


def reexec_in_bench_venv() -> None:
    """Run this script again with the bench venv's Python (it does not return)."""
    ensure_bench_venv()
    env = {**os.environ, _IN_BENCH_VENV: "1"}
    os.execve(str(BENCH_PYTHON), [str(BENCH_PYTHON), __file__, *sys.argv[1:]], env)


# ---------------------------------------------------------------------------------------------
# measuring


@dataclass
class Run:
    first_paint_ms: float
    final_ms: float
    zoom_ms: float | None
    bytes_per_point: float
    canvas: tuple[int, int]
    zoom_steps: list[float] = field(default_factory=list)


class Bench:
    def __init__(self, server: Any, context: Any, zoom_steps: int, verbose: bool) -> None:
        self.server, self.context = server, context
        self.zoom_steps, self.verbose = zoom_steps, verbose
        self.count = 0

    def measure(self, widget: str, size: str, height: int, zoom: bool) -> Run:
        from ew_jupyter import write_notebook
        from ew_page import animation_frames, hover, wait_for, wait_notebook_ready

        n = SIZES[size]
        setup = SETUP_DIGITS if size == "digits" else SETUP_SYNTHETIC.format(n=n)
        cells = [setup + IMPORTS[widget], SHOW[widget].format(height=height)]
        self.count += 1
        name = f"bench_{widget.replace('-', '_')}_{size}_{self.count}.ipynb"
        write_notebook(self.server.root, name, cells)
        page = self.context.new_page()
        received: list[int] = []  # sizes of kernel-websocket frames the page received

        def on_ws(ws: Any) -> None:
            if "/api/kernels/" in ws.url:
                ws.on("framereceived", lambda p: received.append(len(p)))

        page.on("websocket", on_ws)
        try:
            page.goto(self.server.lab_url(name), wait_until="domcontentloaded")
            wait_notebook_ready(page, name, 120)
            # setup cell (data + import) runs first, untimed, through the page
            page.evaluate(
                "() => { const p = window.jupyterapp.shell.currentWidget;"
                " p.content.activeCellIndex = 0;"
                " return window.jupyterapp.commands.execute('notebook:run-cell'); }"
            )
            wait_for(
                lambda: (s := page.evaluate(CELL_DONE_JS.replace("widgets[1]", "widgets[0]")))
                and s["idle"] and s["count"] is not None,
                180, 0.2, "setup cell done",
            )  # fmt: skip
            time.sleep(0.5)
            page.evaluate("() => 0")  # pump websocket events
            received.clear()
            page.evaluate(RUN_CELL_JS, n)

            def settled() -> dict[str, Any] | None:
                s = page.evaluate(CELL_DONE_JS)
                if s["errors"]:
                    raise_now.append(s["errors"])
                b = page.evaluate(
                    "() => ({p: window.__bench.firstPaint, f: window.__bench.firstFinal})"
                )
                done = s["idle"] and s["count"] is not None and b["f"] is not None
                return b if done else None

            raise_now: list[Any] = []
            try:
                b = wait_for(settled, 300, 0.1, f"{widget} {size} painted")
            except TimeoutError:
                if raise_now:
                    raise RuntimeError(f"{widget} cell raised: {raise_now[-1]}") from None
                raise
            time.sleep(0.5)
            page.evaluate("() => 0")
            nbytes = sum(received)
            big = sorted(received, reverse=True)[:4]
            size_px = page.evaluate("() => window.__bench.size")
            zoom_ms: float | None = None
            steps: list[float] = []
            if zoom:
                x, y = page.evaluate(CANVAS_CENTRE_JS)
                hover(page, x, y)
                animation_frames(page, 2)
                for i in range(self.zoom_steps):
                    k = page.evaluate("() => window.__bench.draws.length")
                    dy = -120 if i < self.zoom_steps // 2 else 120
                    page.mouse.wheel(0, dy)
                    page.wait_for_function(
                        "k => window.__bench.draws.length > k && window.__bench.wheels.length",
                        arg=k,
                        polling=20,
                        timeout=30_000,
                    )
                    animation_frames(page, 2)
                    steps.append(
                        page.evaluate(
                            """() => {
                              const B = window.__bench, w = B.wheels[B.wheels.length - 1];
                              const d = B.draws.find(t => t >= w);
                              return d === undefined ? null : d - w;
                            }"""
                        )
                    )
                steps = [s for s in steps if s is not None]
                zoom_ms = statistics.median(steps) if steps else None
            run = Run(
                first_paint_ms=b["p"],
                final_ms=b["f"],
                zoom_ms=zoom_ms,
                bytes_per_point=nbytes / n,
                canvas=tuple(size_px),  # type: ignore[arg-type]
                zoom_steps=steps,
            )
            if self.verbose:
                z = f"{zoom_ms:.0f} ms" if zoom_ms is not None else "-"
                print(
                    f"  {widget:15s} {size:6s} first paint {run.first_paint_ms:7.0f} ms"
                    f"  final {run.final_ms:7.0f} ms  zoom {z:>8s}"
                    f"  {run.bytes_per_point:7.2f} B/pt  canvas {run.canvas[0]}x{run.canvas[1]}"
                    f"  ({len(received)} frames, largest KB {[round(x / 1e3) for x in big]})",
                    flush=True,
                )
            return run
        finally:
            page.close()
            with contextlib.suppress(Exception):  # the server's stop() is the fallback
                self.server.shutdown_session(name)


def median_of(runs: list[Run], attr: str) -> float | None:
    values = [getattr(r, attr) for r in runs if getattr(r, attr) is not None]
    return statistics.median(values) if values else None


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "B":
        return f"{value:.2f}"
    return f"{value:.0f}"


def print_table(results: dict[tuple[str, str], list[Run]], sizes: list[str]) -> None:
    rows: list[tuple[str, str, str, str, str]] = []
    metrics = [
        ("first paint (ms)", "first_paint_ms", "ms"),
        ("zoom frame (ms)", "zoom_ms", "ms"),
        ("bytes / point", "bytes_per_point", "B"),
    ]
    for label, attr, unit in metrics:
        for size in sizes:
            if size == "digits":
                continue
            a = median_of(results.get(("embed_widget", size), []), attr)
            b = median_of(results.get(("jupyter-scatter", size), []), attr)
            ratio = f"{a / b:.2f}" if a is not None and b else "n/a"
            rows.append((label, size, fmt(a, unit), fmt(b, unit), ratio))
    header = ("metric", "N", "embed_widget", "jupyter-scatter", "ratio")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    line = "  ".join(f"{{:<{w}}}" if i < 2 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print(line.format(*header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line.format(*r))
    digits = results.get(("embed_widget", "digits"))
    if digits:
        print(
            f"\ndigits (1797x64, PCA), embed_widget only: first paint "
            f"{fmt(median_of(digits, 'first_paint_ms'), 'ms')} ms, final layout painted "
            f"{fmt(median_of(digits, 'final_ms'), 'ms')} ms, "
            f"{fmt(median_of(digits, 'bytes_per_point'), 'B')} B/point"
        )
    finals = [
        f"{s} {fmt(median_of(results.get(('embed_widget', s), []), 'final_ms'), 'ms')} ms"
        for s in sizes
        if s != "digits" and results.get(("embed_widget", s))
    ]
    if finals:
        print("embed_widget final PCA layout painted (data-final=true): " + ", ".join(finals))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 run, digits and 100k only")
    parser.add_argument("--runs", type=int, default=None, help="runs per case (default 3)")
    parser.add_argument("--sizes", default=None, help="comma list of digits,100k,1M")
    parser.add_argument("--zoom-steps", type=int, default=None, help="wheel steps (default 12)")
    parser.add_argument(
        "--height", type=int, default=462, help="jupyter-scatter height in px (default 462, the "
        "height of embed_widget's canvas at this viewport)",
    )  # fmt: skip
    parser.add_argument(
        "--embed-cell", default=None, help=f"embed_widget's cell (default: {SHOW['embed_widget']})"
    )
    parser.add_argument("--no-scatter", action="store_true", help="embed_widget only")
    parser.add_argument("--no-venv", action="store_true", help="run in this Python (no jscatter)")
    return parser.parse_args()


def run_all(
    bench: Bench, widgets: list[str], sizes: list[str], runs: int, height: int
) -> dict[tuple[str, str], list[Run]]:
    results: dict[tuple[str, str], list[Run]] = {}
    for run_i in range(runs):
        for size in sizes:
            # alternate which widget goes first, so neither always meets the colder caches
            for widget in widgets if run_i % 2 == 0 else widgets[::-1]:
                if widget != "embed_widget" and size == "digits":
                    continue
                try:
                    r = bench.measure(widget, size, height, zoom=size != "digits")
                except Exception as exc:
                    print(f"  {widget} {size} run {run_i + 1} failed: {exc}", flush=True)
                    continue
                results.setdefault((widget, size), []).append(r)
    return results


def main() -> None:
    args = parse_args()
    if not args.no_venv and os.environ.get(_IN_BENCH_VENV) != "1":
        try:
            reexec_in_bench_venv()
        except (subprocess.CalledProcessError, OSError) as exc:
            print(f"bench venv unavailable ({exc}); measuring embed_widget only", file=sys.stderr)
            args.no_scatter = True

    sys.path.insert(0, str(HARNESS))
    from conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT
    from ew_jupyter import JupyterServer
    from playwright.sync_api import sync_playwright

    if args.embed_cell:
        SHOW["embed_widget"] = args.embed_cell
    runs = args.runs or (1 if args.quick else 3)
    sizes = args.sizes.split(",") if args.sizes else ["digits", "100k"] if args.quick else [*SIZES]
    zoom_steps = args.zoom_steps or (6 if args.quick else 12)
    widgets = ["embed_widget"]
    if not args.no_scatter:
        try:
            import jscatter  # noqa: F401

            widgets.append("jupyter-scatter")
        except ImportError as exc:
            print(f"jupyter-scatter not importable ({exc}): embed_widget only", file=sys.stderr)

    started = time.monotonic()
    print(f"python {sys.executable}; runs {runs}; sizes {sizes}; zoom steps {zoom_steps}")
    with tempfile.TemporaryDirectory(prefix="ew-bench-") as tmp:
        server = JupyterServer(Path(tmp) / "jupyter").start()
        try:
            with sync_playwright() as pw:
                context = pw.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"),
                    executable_path=CHROMIUM,
                    headless=True,
                    args=CHROMIUM_ARGS,
                    viewport=VIEWPORT,
                )
                context.add_init_script(INIT_JS)
                context.set_default_timeout(60_000)
                bench = Bench(server, context, zoom_steps, verbose=True)
                results = run_all(bench, widgets, sizes, runs, args.height)
                context.close()
        finally:
            server.stop()
    print()
    print_table(results, sizes)
    print(f"\n(medians of {runs} run(s); benchmark took {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
