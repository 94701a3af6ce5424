"""The widget's life in a notebook: re-run cells and toolbar edits must not pile anything up.

Observed from outside only (the kernel process's threads, memory and CPU; DOM identity in the
page), so these tests hold whatever the widget's internals become.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from ew_cases import digits_cell
from ew_notebook import OpenNotebook, OpenNotebookFn
from ew_page import NotebookError, animation_frames, notebook_state, wait_for
from ew_widget import ROOT, EmbedView, control
from playwright.sync_api import Page

RERUNS = 20
EXTRA_THREADS = 3  # allowed growth of threading.active_count() over the re-runs
EXTRA_OS_THREADS = 8  # ... and of the process's OS threads (numba / BLAS pools included)
MAX_WIDGET_THREADS = 1  # live threads named "embed_widget..." / "ew-..." once settled
# IPython's `Out` keeps every re-run's `t`, so the tables' own memory stays (~46 MB for 20 digits
# tables): what 20 PCA re-runs may add beyond what as many tables cost unshown, in the same kernel.
# (Not checked for UMAP: its native allocations (numba, kNN) fragment the heap, ~+33 MB over the
# tables even with every old computation cancelled.)
EXTRA_RSS_MB = 15
QUIET_CPU_S = 0.1  # CPU seconds the kernel may use in the background over 0.5 s when settled

# Read in the kernel: Python threads (and their names), OS threads, resident memory, and the CPU
# time the process used over 0.5 s while its main thread slept (work going on in the background).
_STATS = """
def _ew_lifecycle_stats(window=0.5):
    import gc, os, threading, time
    gc.collect()
    cpu = sum(os.times()[:2])
    time.sleep(window)
    busy = sum(os.times()[:2]) - cpu
    status = dict(
        line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line
    )
    return {
        "threads": threading.active_count(),
        "names": sorted(t.name for t in threading.enumerate()),
        "os_threads": int(status["Threads"]),
        "rss_mb": int(status["VmRSS"].split()[0]) / 1024,
        "busy_s": busy,
    }
"""


def kernel_stats(nb: OpenNotebook) -> dict[str, Any]:
    """Threads, resident memory (MB) and background CPU use of the notebook's kernel process."""
    nb.run_in_kernel(_STATS)
    stats: dict[str, Any] = nb.eval_in_kernel("_ew_lifecycle_stats()")
    return stats


def widget_threads(stats: dict[str, Any]) -> list[str]:
    """Names of the live threads that belong to embed_widget."""
    return [n for n in stats["names"] if n.startswith(("embed_widget", "ew-"))]


def settled_stats(nb: OpenNotebook, timeout: float) -> dict[str, Any]:
    """Kernel stats once it is quiet (at most one widget thread, no background work), or the
    last reading after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        stats = kernel_stats(nb)
        quiet = len(widget_threads(stats)) <= MAX_WIDGET_THREADS and stats["busy_s"] < QUIET_CPU_S
        if quiet or time.monotonic() > deadline:
            return stats
        time.sleep(0.5)


def tables_rss_mb(nb: OpenNotebook, cell: str) -> float:
    """RSS growth (MB) from running ``cell`` RERUNS more times without showing its widget, each
    table kept as ``Out`` keeps them: what the re-runs' data costs by itself."""
    setup = cell.rstrip().rsplit("\n", 1)[0]  # all but the final `t`
    out = nb.run_in_kernel(
        f"_ew_tables, _ew_rss = [], _ew_lifecycle_stats(0)['rss_mb']\n"
        f"for _ in range({RERUNS}):\n"
        f"    exec({setup!r})\n"
        f"    _ew_tables.append(t)\n"
        f"print(_ew_lifecycle_stats(0)['rss_mb'] - _ew_rss)\n",
        timeout=180,
    )
    return float(out.strip().splitlines()[-1])


def rerun_cell(page: Page, index: int = 0, timeout: float = 60.0) -> None:
    """Run code cell ``index`` again as a user does (Lab's "run selected cell"): its output, and
    with it the old widget view, is cleared and the kernel runs the cell. Waits until it ran."""
    before = notebook_state(page)
    assert before is not None
    count = before["cells"][index]["count"] or 0
    page.evaluate(
        """(i) => {
          const app = window.jupyterapp;
          const notebook = app.shell.currentWidget.content;
          notebook.activeCellIndex = i;
          notebook.deselectAll();
          window.__ewRerun = {done: false, error: null};
          app.commands.execute('notebook:run-cell').then(
            () => { window.__ewRerun.done = true; },
            (e) => { window.__ewRerun.done = true; window.__ewRerun.error = String(e); });
        }""",
        index,
    )

    def ran() -> dict[str, Any] | None:
        s = notebook_state(page)
        run = page.evaluate("() => window.__ewRerun")
        if s is None or not run["done"]:
            return None
        cell = s["cells"][index]
        done = s["kernel"] == "idle" and (cell["count"] or 0) > count and cell["state"] != "running"
        return s | {"run": run} if done or s["errors"] or run["error"] else None

    s = wait_for(ran, timeout, 0.1, f"cell {index} re-run")
    if s["errors"] or s["run"]["error"]:
        raise NotebookError("\n\n".join(s["errors"]) or s["run"]["error"])


def mark_views(page: Page) -> None:
    """Tag the widget roots now on the page (a re-run must replace them)."""
    page.evaluate(f"() => document.querySelectorAll({ROOT!r}).forEach(r => {{ r.__ewOld = 1; }})")


def wait_new_view(page: Page, timeout: float = 30.0) -> EmbedView:
    """Wait until the page shows exactly one widget, not one tagged by :func:`mark_views`, with a
    layout painted; return it."""
    one_new = """(sel) => {
      const roots = [...document.querySelectorAll(sel)];
      return roots.length === 1 && !roots[0].__ewOld && roots[0].dataset.seq != null;
    }"""
    wait_for(lambda: page.evaluate(one_new, ROOT), timeout, 0.1, "exactly one new widget drawn")
    view = EmbedView(page)
    view.wait_painted(min_pixels=1000, timeout=timeout)
    return view


def final_drawn(view: EmbedView, timeout: float) -> bool:
    """Whether the view draws a final layout (its computation finished) within ``timeout`` s."""
    try:
        wait_for(lambda: view.root.get_attribute("data-final") == "true", timeout, 0.2)
    except TimeoutError:
        return False
    return True


@pytest.mark.parametrize("algorithm", ["pca", "umap"])
def test_rerunning_a_cell_does_not_leak(open_notebook: OpenNotebookFn, algorithm: str) -> None:
    """Re-running the widget's cell 20 times leaves no threads, computations or memory behind
    (UMAP: each re-run comes while the previous one's projection is still computing)."""
    cell = digits_cell(algorithm)
    nb = open_notebook([cell])
    assert final_drawn(wait_new_view(nb.page, timeout=90), timeout=90)
    first = settled_stats(nb, timeout=90)  # once-per-kernel work (imports, warm-up) is over

    start = time.monotonic()
    for _ in range(RERUNS):
        mark_views(nb.page)
        rerun_cell(nb.page)
        view = wait_new_view(nb.page)  # UMAP: a preview; its computation goes on
    drawn = final_drawn(view, timeout=60)
    seconds = time.monotonic() - start
    after = settled_stats(nb, timeout=10)
    tables_mb = tables_rss_mb(nb, cell) if algorithm == "pca" else None

    growth = after["rss_mb"] - first["rss_mb"]
    leftover = widget_threads(after)
    tables = "" if tables_mb is None else f"; {RERUNS} tables not shown: +{tables_mb:.0f}"
    print(
        f"\n[{algorithm}] {RERUNS} re-runs, last one drawn after {seconds:.0f} s: "
        f"threads {first['threads']} -> {after['threads']}, "
        f"OS threads {first['os_threads']} -> {after['os_threads']}, "
        f"widget threads {len(widget_threads(first))} -> {len(leftover)}, "
        f"RSS {first['rss_mb']:.0f} -> {after['rss_mb']:.0f} MB (+{growth:.0f}{tables}), "
        f"background CPU {first['busy_s']:.2f} -> {after['busy_s']:.2f} s per 0.5 s"
    )
    assert len(leftover) <= MAX_WIDGET_THREADS, f"widget threads left: {leftover}"
    assert after["threads"] <= first["threads"] + EXTRA_THREADS, (
        f"threads {first['threads']} -> {after['threads']}: {after['names']}"
    )
    assert after["os_threads"] <= first["os_threads"] + EXTRA_OS_THREADS, (
        f"OS threads {first['os_threads']} -> {after['os_threads']}"
    )
    assert after["busy_s"] < QUIET_CPU_S, f"still computing: {after['busy_s']:.2f} s CPU in 0.5 s"
    assert tables_mb is None or growth <= tables_mb + EXTRA_RSS_MB, (
        f"RSS grew {growth:.0f} MB ({first['rss_mb']:.0f} -> {after['rss_mb']:.0f} MB); "
        f"the re-runs' tables alone take {tables_mb:.0f} MB"
    )
    assert drawn, "the last re-run's projection was not drawn within 60 s"
    assert nb.page.locator(ROOT).count() == 1
    assert EmbedView(nb.page).painted() > 1000


def test_ticking_an_embedding_column_keeps_the_toolbar(open_notebook: OpenNotebookFn) -> None:
    """Changing the embedding in its picker recomputes without rebuilding the toolbar: the picker
    stays open, and it and the algorithm dropdown are the same elements as before."""
    nb = open_notebook([digits_cell("pca")])
    view = EmbedView(nb.page)
    view.wait_painted()
    picker = view.at('details[data-control="embedding"]').first
    algorithm = view.at(control("algorithm")).first
    picker.locator("summary").click()
    assert picker.evaluate("(el) => el.open")
    for loc in (picker, algorithm):
        loc.evaluate("(el) => { el.__ewMark = 1; }")
    before = nb.eval_in_kernel("t.view.embedding")

    box = picker.locator("input[type=checkbox]").first
    assert box.is_checked()
    box.click()
    wait_for(lambda: nb.eval_in_kernel("t.view.embedding") != before, 10, message="new embedding")
    time.sleep(1.5)  # past the debounce, the recomputation and its transition
    animation_frames(nb.page, 2)

    assert picker.evaluate("(el) => el.__ewMark === 1"), "the embedding picker was rebuilt"
    assert picker.evaluate("(el) => el.open"), "the embedding picker closed"
    assert algorithm.evaluate("(el) => el.__ewMark === 1"), "the algorithm dropdown was rebuilt"
    assert not picker.locator("input[type=checkbox]").first.is_checked()
    assert len(nb.eval_in_kernel("t.view.embedding")) == len(before) - 1


def test_a_restarted_kernel_is_announced_over_the_plot(open_notebook: OpenNotebookFn) -> None:
    """After the user restarts the kernel (Lab's own restart, no dialog), the old widget keeps
    its picture but says it is cut off, and its controls no longer take input."""
    nb = open_notebook([digits_cell("pca")])
    view = EmbedView(nb.page)
    view.wait_painted(min_pixels=1000)
    notice = view.at(".ew-disconnected")
    assert notice.count() == 0

    nb.page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.restartKernel()")
    wait_for(lambda: notice.count() == 1 and notice.is_visible(), 30, 0.2, "the restart notice")

    assert notice.inner_text() == "Kernel restarted: run the cell again"
    assert notice.get_attribute("role") == "alert"
    toolbar = view.at(".ew-toolbar")
    assert toolbar.evaluate("(el) => getComputedStyle(el).pointerEvents") == "none"
    assert view.painted() > 1000, "the last picture should stay under the notice"
