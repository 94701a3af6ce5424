"""Fixtures for browser tests: one JupyterLab server and one headless Chromium per session.

Typical test::

    def test_x(open_notebook):
        nb = open_notebook(["from embed_widget import Table", "t = Table(df)", "t"])
        px = canvas_pixels(nb.page, ".ew-canvas")
        assert count_non_background(px) > 100
        nb.run_in_kernel("t.view.color_by = 'target'")
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import Literal

import pytest
from ew_jupyter import JupyterServer, write_notebook
from ew_notebook import OpenNotebook, OpenNotebookFn
from ew_page import run_all_cells, wait_notebook_ready
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    ViewportSize,
    sync_playwright,
)

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

VIEWPORT: ViewportSize = {"width": 1280, "height": 1000}

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser with ``browser``."""
    for item in items:
        if _HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


# -- session fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    """JupyterLab (and Notebook 7) on 127.0.0.1 with a temporary root, config and runtime dir."""
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
            "(`apt-get update && apt-get install -y chromium`; "
            "`playwright install` does not work here)",
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


@pytest.fixture
def open_notebook(
    jupyter_server: JupyterServer, browser_context: BrowserContext, request: pytest.FixtureRequest
) -> Iterator[OpenNotebookFn]:
    """Factory: ``open_notebook(cells, ui="lab"|"notebook", name=None, run=True, copy_of=None)
    -> OpenNotebook`` (``copy_of``: open a copy of that notebook file instead of ``cells``).

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
        copy_of: Path | None = None,
    ) -> OpenNotebook:
        if name is None:
            stem = re.sub(r"[^A-Za-z0-9_]", "_", request.node.name)[:60]
            name = f"{stem}_{ui}_{len(opened)}.ipynb"
        if copy_of is not None:  # a notebook saved earlier, outputs and widget state included
            path = jupyter_server.root / name
            path.write_text(copy_of.read_text())
        else:
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
        with contextlib.suppress(Exception):
            nb.page.close()
        with contextlib.suppress(Exception):
            jupyter_server.shutdown_session(nb.name)


def _log_console(sink: list[str], msg: ConsoleMessage) -> None:
    if msg.type in ("error", "warning"):
        sink.append(f"[{msg.type}] {msg.text}")


# -- failure reports ---------------------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """On failure, attach the server log tail, browser console and a screenshot path."""
    report = yield
    if report.failed:
        _attach_failure_info(item, report)
    return report


def _attach_failure_info(item: pytest.Item, report: pytest.TestReport) -> None:
    server = getattr(item, "funcargs", {}).get("jupyter_server")
    if isinstance(server, JupyterServer):
        report.sections.append(("jupyter server log (tail)", server.log_tail(80)))
    for nb in getattr(item, "_ew_notebooks", []):
        if nb.console:
            report.sections.append((f"browser console: {nb.name}", "\n".join(nb.console[-50:])))
        try:
            shot = server.base / f"{nb.name}-{int(time.time())}.png" if server else None
            if shot is not None and not nb.page.is_closed():
                nb.page.screenshot(path=str(shot))
                report.sections.append((f"screenshot: {nb.name}", str(shot)))
                widget = nb.page.locator(".embed-widget")
                if widget.count():  # outputs are often below the fold of the page shot
                    wshot = shot.with_suffix(".widget.png")
                    widget.first.screenshot(path=str(wshot), timeout=5000)
                    report.sections.append((f"widget screenshot: {nb.name}", str(wshot)))
        except Exception as exc:
            report.sections.append((f"screenshot: {nb.name}", f"failed: {exc}"))
