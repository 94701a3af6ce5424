"""``OpenNotebook``: a notebook open in a browser page, with a client for its own kernel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ew_jupyter import JupyterServer, KernelRunner
from ew_page import run_all_cells
from playwright.sync_api import Page


@dataclass
class OpenNotebook:
    """A notebook open in a page, with a client for its kernel."""

    name: str
    path: Path
    page: Page
    server: JupyterServer
    ui: str
    console: list[str] = field(default_factory=list, repr=False)
    _kernel: KernelRunner | None = field(default=None, repr=False)

    @property
    def kernel(self) -> KernelRunner:
        """Client of the notebook's own kernel (the one the page shows)."""
        if self._kernel is None:
            kid = self.server.kernel_id_for(self.name)
            self._kernel = KernelRunner(self.server.connection_file(kid))
        return self._kernel

    def run_in_kernel(self, code: str, timeout: float = 60.0) -> str:
        """Execute ``code`` in the notebook's kernel; return stdout. Raises KernelError."""
        return self.kernel.run(code, timeout)

    def eval_in_kernel(self, expr: str, timeout: float = 60.0) -> Any:
        """Value of a JSON-able Python expression evaluated in the notebook's kernel."""
        return self.kernel.eval_json(expr, timeout)

    def run_all(self, timeout: float = 120.0) -> None:
        """Run all cells in the page and wait for the kernel to be idle."""
        run_all_cells(self.page, timeout)


OpenNotebookFn = Callable[..., OpenNotebook]
