"""Fixtures for browser tests: one JupyterLab server and one headless Chromium per session.

Typical test::

    def test_x(open_notebook):
        nb = open_notebook(["from embed_widget import Table", "t = Table(df)", "t"])
        px = canvas_pixels(nb.page, ".ew-canvas")
        assert count_non_background(px) > 100
        nb.run_in_kernel("t.view.color_by = 'target'")
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
from ew_jupyter import JupyterServer, KernelRunner, write_notebook
from ew_page import run_all_cells, wait_notebook_ready
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, sync_playwright

CHROMIUM = os.environ.get("EW_CHROMIUM", "/usr/bin/chromium")

# Without these, Chromium keeps dialling Google services that this machine's closed network refuses.
# Not --disable-software-rasterizer / --use-gl=swiftshader: they turn WebGL off here.
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

VIEWPORT = {"width": 1280, "height": 1000}

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser with ``browser``."""
    for item in items:
        if _HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


# -- session fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    """A JupyterLab (and Notebook 7) server on 127.0.0.1 with a temporary root, config and runtime."""
    server = JupyterServer(tmp_path_factory.mktemp("jupyter")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """Headless Debian Chromium with a fresh profile (WebGL through SwiftShader)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"browser tests need Debian's Chromium at {CHROMIUM} "
            "(`apt-get update && apt-get install -y chromium`; `playwright install` does not work here)",
            pytrace=False,
        )
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,
        )
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()


# -- per-test notebooks ------------------------------------------------------------------------


@dataclass
class OpenNotebook:
    """A notebook open in a page, with a client for its kernel."""

    name: str
    path: Path
    page: Page
    server: JupyterServer
    ui: str
    console: list[str] = field(default_factory=list)
    _kernel: KernelRunner | None = None

    @property
    def kernel(self) -> KernelRunner:
        """Client of the notebook's own kernel (the one the page shows)."""
        if self._kernel is None:
            kid = self.server.kernel_id_for(self.name)
            self._kernel = KernelRunner(self.server.connection_file(kid))
        return self._kernel

    def run_in_kernel(self, code: str, timeout: float = 60.0) -> str:
        """Execute ``code`` in the notebook's kernel; return its stdout, raise KernelError on error."""
        return self.kernel.run(code, timeout)

    def eval_in_kernel(self, expr: str, timeout: float = 60.0) -> Any:
        """Value of a JSON-able Python expression evaluated in the notebook's kernel."""
        return self.kernel.eval_json(expr, timeout)

    def run_all(self, timeout: float = 120.0) -> None:
        """Run all cells in the page and wait for the kernel to be idle."""
        run_all_cells(self.page, timeout)


OpenNotebookFn = Callable[..., OpenNotebook]


@pytest.fixture
def open_notebook(
    jupyter_server: JupyterServer, browser_context: BrowserContext, request: pytest.FixtureRequest
) -> Iterator[OpenNotebookFn]:
    """Factory: ``open_notebook(cells, ui="lab"|"notebook", name=None, run=True) -> OpenNotebook``.

    Writes the cells as a notebook into the server root, opens it in a new page (JupyterLab or
    Notebook 7), waits for its kernel, and (``run=True``) runs all cells. Pages are closed and
    kernels shut down after the test.
    """
    opened: list[OpenNotebook] = []
    request.node._ew_notebooks = opened  # read by pytest_runtest_makereport on failure

    def _open(
        cells: Sequence[str],
        ui: Literal["lab", "notebook"] = "lab",
        name: str | None = None,
        run: bool = True,
        timeout: float = 90.0,
    ) -> OpenNotebook:
        if name is None:
            stem = re.sub(r"[^A-Za-z0-9_]", "_", request.node.name)[:60]
            name = f"{stem}_{ui}_{len(opened)}.ipynb"
        path = write_notebook(jupyter_server.root, name, cells)
        page = browser_context.new_page()
        nb = OpenNotebook(name, path, page, jupyter_server, ui)
        opened.append(nb)
        page.on("console", lambda m: _log_console(nb.console, m))
        page.on("pageerror", lambda e: nb.console.append(f"[pageerror] {e}"))
        url = jupyter_server.lab_url(name) if ui == "lab" else jupyter_server.notebook_url(name)
        page.goto(url, wait_until="domcontentloaded")
        wait_notebook_ready(page, name, timeout)
        if run:
            run_all_cells(page, timeout)
        return nb

    yield _open

    for nb in opened:
        if nb._kernel is not None:
            nb._kernel.close()
        try:
            nb.page.close()
        except Exception:
            pass
        try:
            jupyter_server.shutdown_session(nb.name)
        except Exception:
            pass


def _log_console(sink: list[str], msg: ConsoleMessage) -> None:
    if msg.type in ("error", "warning"):
        sink.append(f"[{msg.type}] {msg.text}")


# -- failure reports ---------------------------------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On failure, attach the server log tail, browser console and a screenshot path."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    server = getattr(item, "funcargs", {}).get("jupyter_server")
    if isinstance(server, JupyterServer):
        report.sections.append(("jupyter server log (tail)", server.log_tail(80)))
    for nb in getattr(item, "_ew_notebooks", []):
        if nb.console:
            report.sections.append((f"browser console: {nb.name}", "\n".join(nb.console[-50:])))
        try:
            shot = server.base / f"{nb.name}-{int(time.time())}.png" if server else None
            if shot is not None and not nb.page.is_closed():
                nb.page.screenshot(path=str(shot), full_page=True)
                report.sections.append((f"screenshot: {nb.name}", str(shot)))
        except Exception as exc:
            report.sections.append((f"screenshot: {nb.name}", f"failed: {exc}"))
