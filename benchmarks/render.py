"""Render benchmark: embed_widget vs jupyter-scatter and embedding-atlas, in JupyterLab + headless
Chromium.

Run on demand, never from the test suite::

    .venv/bin/python benchmarks/render.py            # digits, 100k, 1M (3 runs); UMAP 100k (1 run)
    .venv/bin/python benchmarks/render.py --quick    # digits, 100k; 1 run
    .venv/bin/python benchmarks/render.py --sizes "" --umap-100k   # the UMAP case alone
    .venv/bin/python benchmarks/render.py --sizes 100k,1M --warm-up-off   # also warm-up off
    .venv/bin/python benchmarks/render.py --sizes 1M --runs 1 --peers none --profile   # where
    #   the page's main thread spends the time (readable names: `npm run dev` builds unminified,
    #   then watches and never exits: stop it after its first build; `npm run build` after)

The three widgets draw the same points (2-D float32 Gaussian blobs, fixed seed, a categorical
colour column of 8 categories) in the same JupyterLab, kernel environment and browser. Measured
per (widget, N), from executing the widget's cell (in the page):

- first paint: the first frame on the widget's visible canvas with non-background pixels;
- first coloured paint: the first such frame in the categories' colours (see render_page.py);
- zoom frame: median, over scripted mouse-wheel steps over the canvas (Ctrl held: embed_widget
  zooms only then, or once the plot was clicked), of the time from the wheel event to the next
  frame (one step at a time, each after the last frame);
- bytes/point: bytes of all kernel-websocket frames the browser received from executing the cell
  until the display settled (kernel idle, coloured, and for embed_widget the final layout drawn),
  over N.

A frame's time is when its pixels are done (a 1-pixel read back right after the call that draws
it): render_page.py holds the page's instrumentation and says how each widget's frames are seen.

The peers: jupyter-scatter 1.0 (``jscatter.Scatter(..., color_by="cat")``) and Apple's
embedding-atlas 0.22 (``EmbeddingAtlasWidget(df, x=, y=, initial_state=...)`` colouring by
``cat``), the last release that draws with WebGL 2: 0.24+ need WebGPU with ``shader-f16``, which
headless Chromium here lacks. embedding-atlas colours by a string column only (a pandas
Categorical becomes a DuckDB ENUM, never coloured), so its setup casts ``cat`` to str, untimed.

UMAP at 100k (``--umap-100k``; part of the default full run): 100,000 rows of 32-d Gaussian blobs
(fixed seed). embed_widget shows ``Table(dataframe=df)`` with algorithm UMAP: a PCA preview first,
then the streamed UMAP epochs, then the final layout. Measured: first paint (the preview), the first
streamed UMAP frame drawn (root ``data-layouts`` >= 2), the final UMAP layout drawn (as "final"
above; it includes the 700 ms animation to it), the intermediate layouts drawn, the zoom frame on
the final layout and bytes/point. The baseline in the same run is the plain call in a cell,
``umap.UMAP(random_state=42).fit_transform(x)`` then ``jscatter.plot(...)`` of the result: from
executing that cell to its first paint (and its zoom frame and bytes). Both use embed_widget's
default UMAP settings (15 neighbours, 200 epochs at this N, seed 42). Both kernels pay numba's JIT
before the timing: a UMAP fit on 5,000 rows (NN-descent path) in each, plus embed_widget's own
``warm_up()`` in its kernel.

The peers are installed only in a separate venv (``.bench-venv`` at the repo root, created on
first run, git-ignored; embedding-atlas with ``--no-deps``, as its widget needs none of its
torch-side dependencies); this script re-executes itself with that venv's Python so that the
JupyterLab server and kernels of all widgets come from it. embed_widget is imported from the work
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

from render_page import (
    CANVAS_CENTRE_JS,
    CELL_DONE_JS,
    INIT_JS,
    RUN_CELL_JS,
    ZOOM_STEP_JS,
)

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
    "umap-learn>=0.5.7,<0.6",  # the UMAP case's baseline (a dev dependency, not a core one)
]

# installed with --no-deps (its pins would replace the front-end stack above), then what its
# widget imports that the venv lacks
ATLAS_REQUIREMENT = "embedding-atlas==0.22.0"
ATLAS_DEPENDENCIES = ["duckdb", "inquirer"]

SIZES = {"digits": 1797, "100k": 100_000, "1M": 1_000_000}
SCATTER, ATLAS = "jupyter-scatter", "embedding-atlas"
PEERS = (SCATTER, ATLAS)
#: embed_widget with its background warm-up off (``--warm-up-off``: the default keeps it on)
NO_WARM_UP = "embed_widget-no-warm-up"

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

# UMAP case: the data, then each kernel's untimed warm-up (numba JIT of umap and pynndescent: the
# 5,000-row fit takes umap's NN-descent path, as 100k rows do), then the timed cell.
UMAP_N = 100_000
SETUP_UMAP = """
import numpy as np, pandas as pd
rng = np.random.default_rng(0)
N, D, K = {n}, 32, 10
centres = rng.normal(0, 2, size=(K, D))
cat = rng.integers(0, K, size=N)
x = (centres[cat] + rng.normal(0, 1, size=(N, D))).astype(np.float32)
labels = pd.Categorical.from_codes(cat, [f"c{{i}}" for i in range(K)])
"""

WARM_UMAP = {
    "embed_widget": """
from embed_widget import Table
from embed_widget.projection import warm_up
warm_up()  # embed_widget's own: umap imported with its numba settings, epoch functions compiled
import umap
umap.UMAP(random_state=42, n_epochs=20).fit(x[:5000])
df = pd.DataFrame({"embedding": list(x), "cat": labels})
""",
    "jupyter-scatter": """
import jscatter, umap
umap.UMAP(random_state=42, n_epochs=20).fit(x[:5000])
""",
}

SHOW_UMAP = {
    "embed_widget": 't = Table(dataframe=df); t.view.algorithm = "umap"; t',
    "jupyter-scatter": (
        "xy = umap.UMAP(random_state=42).fit_transform(x)\n"
        'jscatter.plot(data=pd.DataFrame({{"x": xy[:, 0], "y": xy[:, 1], "cat": labels}}),'
        ' x="x", y="y", color_by="cat", height={height})'
    ),
}

IMPORTS = {
    "embed_widget": "from embed_widget import Table",
    "jupyter-scatter": "import jscatter",
    ATLAS: (
        'df["cat"] = df["cat"].astype(str)  # it colours by strings only\n'
        "from embedding_atlas.widget import EmbeddingAtlasWidget"
    ),
    NO_WARM_UP: (
        'import os\nos.environ["EMBED_WIDGET_WARM_UP"] = "0"\nfrom embed_widget import Table'
    ),
}

SHOW = {
    "embed_widget": 't = Table(dataframe=df); t.view.algorithm = "pca"; t',
    "jupyter-scatter": (
        'sc = jscatter.Scatter(data=df, x="x", y="y", color_by="cat", height={height}); sc.show()'
    ),
}
SHOW[NO_WARM_UP] = SHOW["embed_widget"]
ATLAS_STATE = {"charts": {"1": {
    "type": "embedding", "title": "Embedding", "data": {"x": "x", "y": "y", "category": "cat"},
}}}  # fmt: skip
SHOW[ATLAS] = f"EmbeddingAtlasWidget(df, x='x', y='y', initial_state={ATLAS_STATE!r})"

# ---------------------------------------------------------------------------------------------
# environment


def ensure_bench_venv() -> None:
    """Create ``.bench-venv`` with the peers and embed_widget's runtime deps if missing (and add
    any dependency embed_widget gained since it was made)."""
    import re

    import tomllib

    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    if BENCH_PYTHON.exists():
        wanted = [*BENCH_REQUIREMENTS, *deps, ATLAS_REQUIREMENT, *ATLAS_DEPENDENCIES]
        names = [re.split(r"[<>=!~ \[]", d)[0] for d in wanted]
        check = f"import importlib.metadata as m; [m.version(n) for n in {names!r}]"
        probe = subprocess.run([str(BENCH_PYTHON), "-c", check], capture_output=True)
        if probe.returncode == 0:
            return
    else:
        print(f"creating {BENCH_VENV} (the peers + embed_widget's deps; a few minutes)...")
        subprocess.run([sys._base_executable, "-m", "venv", str(BENCH_VENV)], check=True)  # type: ignore[attr-defined]
    pip = [str(BENCH_PYTHON), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, *BENCH_REQUIREMENTS, *deps], check=True)
    subprocess.run([*pip, "--no-deps", ATLAS_REQUIREMENT], check=True)
    subprocess.run([*pip, *ATLAS_DEPENDENCIES], check=True)


def reexec_in_bench_venv() -> None:
    """Run this script again with the bench venv's Python (it does not return)."""
    ensure_bench_venv()
    env = {**os.environ, _IN_BENCH_VENV: "1"}
    os.execve(str(BENCH_PYTHON), [str(BENCH_PYTHON), __file__, *sys.argv[1:]], env)


# ---------------------------------------------------------------------------------------------
# measuring


@dataclass(frozen=True)
class Case:
    """One widget showing one data set: an untimed setup cell, then the timed cell."""

    widget: str
    size: str  # the row's name: a key of SIZES, or "umap-100k"
    n: int
    setup: str
    show: str
    zoom: bool
    timeout: float = 300.0  # seconds from the timed cell to the settled display

    @property
    def frames(self) -> str:
        """How the page sees this widget's frames (render_page.py)."""
        return "webgl" if self.widget == ATLAS else "2d"


def plain_case(widget: str, size: str, height: int) -> Case:
    n = SIZES[size]
    setup = SETUP_DIGITS if size == "digits" else SETUP_SYNTHETIC.format(n=n)
    return Case(
        widget, size, n, setup + IMPORTS[widget], SHOW[widget].replace("{height}", str(height)),
        zoom=size != "digits",
    )  # fmt: skip


def umap_case(widget: str, height: int) -> Case:
    setup = SETUP_UMAP.format(n=UMAP_N) + WARM_UMAP[widget]
    show = SHOW_UMAP[widget].format(height=height)
    return Case(widget, "umap-100k", UMAP_N, setup, show, zoom=True, timeout=900.0)


@dataclass
class Run:
    first_paint_ms: float
    first_coloured_ms: float
    final_ms: float
    zoom_ms: float | None
    bytes_per_point: float
    canvas: tuple[int, int]
    zoom_steps: list[float] = field(default_factory=list)
    # embed_widget only: the first layout drawn after the first one (the first streamed UMAP frame
    # after the PCA preview) and how many layouts were drawn between that preview and the final one
    second_layout_ms: float | None = None
    intermediate_layouts: int | None = None


class Bench:
    def __init__(
        self, server: Any, context: Any, zoom_steps: int, verbose: bool, profile: bool = False
    ) -> None:
        self.server, self.context = server, context
        self.zoom_steps, self.verbose, self.profile = zoom_steps, verbose, profile
        self.count = 0

    def measure(self, case: Case) -> Run:
        from ew_jupyter import write_notebook
        from ew_page import animation_frames, hover, wait_for, wait_notebook_ready

        widget, size, n, zoom = case.widget, case.size, case.n, case.zoom
        cells = [case.setup, case.show]
        self.count += 1
        name = f"bench_{widget.replace('-', '_')}_{size}_{self.count}.ipynb"
        write_notebook(self.server.root, name, cells)
        page = self.context.new_page()
        received: list[int] = []  # sizes of kernel-websocket frames the page received
        arrivals: list[tuple[float, int]] = []  # (perf_counter, size) of each such frame

        def on_frame(payload: Any) -> None:
            received.append(len(payload))
            arrivals.append((time.perf_counter(), len(payload)))
            if self.profile and len(payload) > 100_000:
                print(f"    received {len(payload) // 1000} KB: {describe(payload)}", flush=True)

        def on_ws(ws: Any) -> None:
            if "/api/kernels/" in ws.url:
                ws.on("framereceived", on_frame)

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
                lambda: (s := page.evaluate(CELL_DONE_JS, 0))
                and s["idle"] and s["count"] is not None,
                600, 0.2, "setup cell done",
            )  # fmt: skip
            setup_errors = page.evaluate(CELL_DONE_JS, 0)["errors"]
            if setup_errors:
                raise RuntimeError(f"{widget} setup cell raised: {setup_errors[-1]}")
            time.sleep(0.5)
            page.evaluate("() => 0")  # pump websocket events
            received.clear()
            arrivals.clear()
            profiler = start_profile(page) if self.profile and widget not in PEERS else None
            started = time.perf_counter()
            page.evaluate(RUN_CELL_JS, [n, case.frames])

            def settled() -> dict[str, Any] | None:
                s = page.evaluate(CELL_DONE_JS, 1)
                if s["errors"]:
                    raise_now.append(s["errors"])
                b = page.evaluate(
                    "() => ({p: __bench.firstPaint, c: __bench.firstColoured,"
                    " f: __bench.firstFinal})"
                )
                seen = b["f"] is not None and b["c"] is not None
                done = s["idle"] and s["count"] is not None and seen
                return b if done else None

            raise_now: list[Any] = []
            try:
                b = wait_for(settled, case.timeout, 0.1, f"{widget} {size} painted")
            except TimeoutError:
                if raise_now:
                    raise RuntimeError(f"{widget} cell raised: {raise_now[-1]}") from None
                raise
            if profiler is not None:
                print_profile(profiler, arrivals, started)
            time.sleep(0.5)
            page.evaluate("() => 0")
            nbytes = sum(received)
            big = sorted(received, reverse=True)[:4]
            size_px = page.evaluate("() => window.__bench.size")
            layouts: list[list[Any]] = page.evaluate("() => window.__bench.layouts")
            second = next((t for t, k, _final in layouts if k >= 2), None)
            at_final = next((k for _t, k, final in layouts if final), None)
            zoom_ms: float | None = None
            steps: list[float] = []
            if zoom:
                x, y = page.evaluate(CANVAS_CENTRE_JS)
                hover(page, x, y)
                animation_frames(page, 2)
                # Ctrl held for both widgets: embed_widget's wheel zooms only then (or once the
                # plot was clicked); the wheel otherwise scrolls the notebook
                page.keyboard.down("Control")
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
                    steps.append(page.evaluate(ZOOM_STEP_JS))
                page.keyboard.up("Control")
                steps = [s for s in steps if s is not None]
                zoom_ms = statistics.median(steps) if steps else None
            run = Run(
                first_paint_ms=b["p"],
                first_coloured_ms=b["c"],
                final_ms=b["f"],
                zoom_ms=zoom_ms,
                bytes_per_point=nbytes / n,
                canvas=tuple(size_px),  # type: ignore[arg-type]
                zoom_steps=steps,
                second_layout_ms=second,
                intermediate_layouts=max(0, at_final - 2) if at_final and second else None,
            )
            if self.verbose:
                z = f"{zoom_ms:.0f} ms" if zoom_ms is not None else "-"
                print(
                    f"  {widget:15s} {size:6s} first paint {run.first_paint_ms:7.0f} ms"
                    f"  coloured {run.first_coloured_ms:7.0f} ms"
                    f"  final {run.final_ms:7.0f} ms  zoom {z:>8s}"
                    f"  {run.bytes_per_point:7.2f} B/pt  canvas {run.canvas[0]}x{run.canvas[1]}"
                    f"  ({len(received)} frames, largest KB {[round(x / 1e3) for x in big]})"
                    + (
                        f"  second layout {run.second_layout_ms:.0f} ms,"
                        f" {run.intermediate_layouts} between preview and final"
                        if case.size.startswith("umap") and run.second_layout_ms is not None
                        else ""
                    ),
                    flush=True,
                )
            return run
        finally:
            page.close()
            with contextlib.suppress(Exception):  # the server's stop() is the fallback
                self.server.shutdown_session(name)
            wait_kernels_gone(self.server.runtime_dir)


def wait_kernels_gone(runtime_dir: Path, timeout: float = 30.0) -> None:
    """Wait until no kernel of this server runs: a case's kernel busy with background work
    (embed_widget's warm-up compiles for ~2 s) would otherwise take CPU from the next case."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = subprocess.run(
            ["pgrep", "-f", f"ipykernel_launcher -f {runtime_dir}"], capture_output=True
        )
        if running.returncode != 0:  # none left
            return
        time.sleep(0.2)
    print(f"  (a kernel still ran {timeout:.0f} s after its notebook closed)", flush=True)


def describe(payload: Any) -> str:
    """The message type and state keys of a kernel websocket frame (protocol v1), for profiling."""
    import json
    import struct

    try:
        data = payload if isinstance(payload, bytes) else payload.encode()
        n = struct.unpack_from("<Q", data, 0)[0]
        offsets = struct.unpack_from(f"<{n}Q", data, 0)[1:]
        header = json.loads(data[offsets[1] : offsets[2]])
        content = json.loads(data[offsets[4] : offsets[5]])
        state = content.get("data", {}).get("state", {})
        return f"{header['msg_type']} {sorted(state)[:6]} {content.get('data', {}).get('method')}"
    except Exception as exc:  # (a frame of another shape)
        return f"? {exc}"


def start_profile(page: Any) -> Any:
    """A CPU profile of the page's main thread (``--profile``), sampled every 0.5 ms."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 500})
    cdp.send("Profiler.start")
    return cdp


def print_profile(cdp: Any, arrivals: list[tuple[float, int]], started: float) -> None:
    """Where the page's main thread spent the time until the display settled: the top functions
    in each 250 ms (the idle stretches are waits), self time per function, and when the largest
    kernel frames reached the harness (Playwright relays them late: an upper bound)."""
    profile = cdp.send("Profiler.stop")["profile"]
    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    self_ms: dict[str, float] = {}
    windows: dict[int, dict[str, float]] = {}
    clock = 0.0
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        ms = delta / 1000
        clock += ms
        frame = nodes[node_id]
        name = f"{frame['functionName'] or '(anonymous)'}:{frame['lineNumber'] + 1}"
        self_ms[name] = self_ms.get(name, 0.0) + ms
        window = windows.setdefault(int(clock // 250), {})
        window[name] = window.get(name, 0.0) + ms
    print(f"    main thread, {clock:.0f} ms sampled; top functions per 250 ms:")
    for w, names in sorted(windows.items()):
        top = sorted(names.items(), key=lambda kv: -kv[1])[:3]
        print(f"    {w * 250:5d} ms  " + ", ".join(f"{k} {v:.0f}" for k, v in top))
    print("    self time:")
    for name, ms in sorted(self_ms.items(), key=lambda kv: -kv[1])[:12]:
        print(f"      {ms:7.0f} ms  {name}")
    big = sorted(arrivals, key=lambda a: -a[1])[:4]
    print(
        "    largest kernel frames at (ms after the cell ran): "
        + ", ".join(f"{(t - started) * 1000:.0f} ({size // 1000} KB)" for t, size in big)
    )


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
    """Medians per metric and size, each peer's ratio (embed_widget / peer: below 1 is faster);
    with warm-up-off runs, their column too (the default, embed_widget, is the shipped one:
    warm-up on), its ratio against the first peer."""
    peers = [p for p in PEERS if any(widget == p for widget, _ in results)]
    warm_up_off = any(widget == NO_WARM_UP for widget, _ in results)
    rows: list[tuple[str, ...]] = []
    metrics = [
        ("first paint (ms)", "first_paint_ms", "ms"),
        ("first coloured paint (ms)", "first_coloured_ms", "ms"),
        ("zoom frame (ms)", "zoom_ms", "ms"),
        ("bytes / point", "bytes_per_point", "B"),
    ]

    def ratio(a: float | None, b: float | None) -> str:
        return f"{a / b:.2f}" if a is not None and b else "n/a"

    for label, attr, unit in metrics:
        for size in sizes:
            if size == "digits":
                continue
            ours = median_of(results.get(("embed_widget", size), []), attr)
            row: tuple[str, ...] = (label, size, fmt(ours, unit))
            for peer in peers:
                theirs = median_of(results.get((peer, size), []), attr)
                row += (fmt(theirs, unit), ratio(ours, theirs))
            if warm_up_off:
                off = median_of(results.get((NO_WARM_UP, size), []), attr)
                first = median_of(results.get((peers[0], size), []), attr) if peers else None
                row += (fmt(off, unit), ratio(off, first))
            rows.append(row)
    header: tuple[str, ...] = ("metric", "N", "embed_widget")
    for peer in peers:
        header += (peer, "ratio")
    if warm_up_off:
        header += ("warm-up off", "ratio")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
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


def print_umap_table(results: dict[tuple[str, str], list[Run]]) -> None:
    ours = results.get(("embed_widget", "umap-100k"), [])
    base = results.get(("jupyter-scatter", "umap-100k"), [])
    if not ours and not base:
        return
    b_paint = median_of(base, "first_paint_ms")
    rows: list[tuple[str, str, str, str]] = []
    for label, attr, unit, baseline in [
        ("first paint (ms)", "first_paint_ms", "ms", b_paint),
        ("first UMAP frame drawn (ms)", "second_layout_ms", "ms", b_paint),
        ("final UMAP layout drawn (ms)", "final_ms", "ms", b_paint),
        ("zoom frame on it (ms)", "zoom_ms", "ms", median_of(base, "zoom_ms")),
        ("bytes / point", "bytes_per_point", "B", median_of(base, "bytes_per_point")),
    ]:
        a = median_of(ours, attr)
        ratio = f"{a / baseline:.2f}" if a is not None and baseline else "n/a"
        rows.append((label, fmt(a, unit), fmt(baseline, unit), ratio))
    frames = median_of(ours, "intermediate_layouts")
    rows.append(("UMAP frames drawn before the final", fmt(frames, "ms"), "-", ""))
    header = ("UMAP 100k x 32", "embed_widget", "umap + jscatter.plot", "ratio")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    line = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print()
    print(line.format(*header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line.format(*r))
    print(
        "(baseline: one cell, umap.UMAP(random_state=42).fit_transform(x) then jscatter.plot(...),"
        " to its first paint;\n embed_widget: PCA preview first, final includes its 700 ms"
        f" animation; medians of {max(len(ours), len(base))} run(s))"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 run, digits and 100k only")
    parser.add_argument("--runs", type=int, default=None, help="runs per case (default 3)")
    parser.add_argument("--sizes", default=None, help='comma list of digits,100k,1M ("" for none)')
    parser.add_argument(
        "--umap-100k", action="store_true",
        help="also run the UMAP 100k case (on by default in the full run, i.e. without --quick"
        " or --sizes; a few minutes per run)",
    )  # fmt: skip
    parser.add_argument(
        "--no-umap", action="store_true", help="skip the UMAP 100k case in the full run"
    )
    parser.add_argument("--umap-runs", type=int, default=1, help="runs of the UMAP case (1)")
    parser.add_argument("--zoom-steps", type=int, default=None, help="wheel steps (default 12)")
    parser.add_argument(
        "--height", type=int, default=462, help="jupyter-scatter height in px (default 462, the "
        "height of embed_widget's canvas at this viewport)",
    )  # fmt: skip
    parser.add_argument(
        "--embed-cell", default=None, help=f"embed_widget's cell (default: {SHOW['embed_widget']})"
    )
    parser.add_argument(
        "--peers", default=",".join(PEERS),
        help=f'comma list of the peers to measure (default "{",".join(PEERS)}"; "none")',
    )  # fmt: skip
    parser.add_argument(
        "--warm-up-off", action="store_true",
        help="also measure embed_widget with its background warm-up off (EMBED_WIDGET_WARM_UP=0)",
    )  # fmt: skip
    parser.add_argument(
        "--no-venv", action="store_true", help="run in this Python (the peers if importable)"
    )
    parser.add_argument(
        "--profile", action="store_true",
        help="print a CPU profile of the page's main thread for each embed_widget run",
    )  # fmt: skip
    return parser.parse_args()


def importable_peers(wanted: list[str]) -> list[str]:
    unknown = [p for p in wanted if p not in PEERS]
    if unknown:
        raise SystemExit(f"unknown peers {unknown}: choose from {list(PEERS)}")
    modules = {SCATTER: "jscatter", ATLAS: "embedding_atlas.widget"}
    found = []
    for peer in wanted:
        try:
            __import__(modules[peer])
            found.append(peer)
        except ImportError as exc:
            print(f"{peer} not importable ({exc}): not measured", file=sys.stderr)
    return found


def run_all(
    bench: Bench, widgets: list[str], sizes: list[str], runs: int, height: int, umap_runs: int
) -> dict[tuple[str, str], list[Run]]:
    results: dict[tuple[str, str], list[Run]] = {}

    def measure(case: Case, run_i: int) -> None:
        try:
            r = bench.measure(case)
        except Exception as exc:
            print(f"  {case.widget} {case.size} run {run_i + 1} failed: {exc}", flush=True)
            return
        results.setdefault((case.widget, case.size), []).append(r)

    for run_i in range(runs):
        for size in sizes:
            # alternate which widget goes first, so neither always meets the colder caches
            for widget in widgets if run_i % 2 == 0 else widgets[::-1]:
                if widget != "embed_widget" and size == "digits":
                    continue
                measure(plain_case(widget, size, height), run_i)
    umap_widgets = [w for w in widgets if w in WARM_UMAP]
    for run_i in range(umap_runs):
        for widget in umap_widgets if run_i % 2 == 0 else umap_widgets[::-1]:
            measure(umap_case(widget, height), run_i)
    return results


def main() -> None:
    args = parse_args()
    if not args.no_venv and os.environ.get(_IN_BENCH_VENV) != "1":
        try:
            reexec_in_bench_venv()
        except (subprocess.CalledProcessError, OSError) as exc:
            print(f"bench venv unavailable ({exc}); measuring embed_widget only", file=sys.stderr)
            args.peers = "none"

    sys.path.insert(0, str(HARNESS))
    from conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT
    from ew_jupyter import JupyterServer
    from playwright.sync_api import sync_playwright

    if args.embed_cell:
        SHOW["embed_widget"] = args.embed_cell
    runs = args.runs or (1 if args.quick else 3)
    if args.sizes is not None:
        sizes = [s for s in args.sizes.split(",") if s]
    else:
        sizes = ["digits", "100k"] if args.quick else [*SIZES]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        raise SystemExit(f"unknown sizes {unknown}: choose from {list(SIZES)}")
    full_run = args.sizes is None and not args.quick
    umap_runs = args.umap_runs if (args.umap_100k or full_run) and not args.no_umap else 0
    zoom_steps = args.zoom_steps or (6 if args.quick else 12)
    widgets = ["embed_widget", *([NO_WARM_UP] if args.warm_up_off else [])]
    widgets += importable_peers([p for p in args.peers.split(",") if p and p != "none"])

    started = time.monotonic()
    print(
        f"python {sys.executable}; runs {runs}; sizes {sizes}; zoom steps {zoom_steps};"
        f" UMAP 100k runs {umap_runs}"
    )
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
                bench = Bench(server, context, zoom_steps, verbose=True, profile=args.profile)
                results = run_all(bench, widgets, sizes, runs, args.height, umap_runs)
                context.close()
        finally:
            server.stop()
    print()
    if sizes:
        print_table(results, sizes)
    print_umap_table(results)
    print(f"\n(medians of {runs} run(s); benchmark took {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
