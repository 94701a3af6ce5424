"""A throw-away Jupyter server for browser tests, notebook files, and a kernel client.

Nothing here touches a browser: see ``ew_page.py`` for that. Named ``ew_jupyter`` (not ``jupyter``)
because jupyter_core installs a top-level ``jupyter`` module.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.blocking.client import BlockingKernelClient

REPO_ROOT = Path(__file__).resolve().parents[2]

# Plugins whose pop-ups cover the page ("Would you like to receive official Jupyter news?").
DISABLED_LAB_PLUGINS = {
    "@jupyterlab/apputils-extension:announcements": True,
    # asks PyPI and runs node/yarn from the venv: slow, and noisy in the log
    "@jupyterlab/extensionmanager-extension": True,
}

# User settings written into the throw-away config dir. "none" windowing renders every cell,
# so an output below the fold is still laid out (and its canvas painted).
LAB_USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # a saved notebook keeps its widgets' state (test_share reopens one without running it)
    "@jupyter-widgets/jupyterlab-manager/plugin.jupyterlab-settings": {"saveState": True},
}

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class KernelError(RuntimeError):
    """Code run through :class:`KernelRunner` raised; the message holds the traceback."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes (kernel tracebacks carry them)."""
    return _ANSI.sub("", text)


def write_notebook(root: Path, name: str, cells: Sequence[str]) -> Path:
    """Write ``cells`` (source of each code cell) as a python3 notebook ``root / name``.

    The kernelspec metadata is set so JupyterLab starts the kernel without asking.
    """
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "cells": [
            {
                "cell_type": "code",
                "id": f"cell-{i}",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": src,
            }
            for i, src in enumerate(cells)
        ],
    }
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1))
    return path


def _child_pids(pid: int) -> list[int]:
    """PIDs whose parent is ``pid`` (kernels run in their own session, so killpg misses them)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # the command name (field 2) may hold spaces: parse after its closing paren
        fields = text[text.rfind(")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


@dataclass
class JupyterServer:
    """A ``jupyter lab`` process on 127.0.0.1 with its own config, runtime and data dirs.

    Serves JupyterLab at ``/lab`` and Notebook 7 at ``/notebooks`` on the same port.
    """

    base: Path
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    proc: subprocess.Popen[bytes] | None = None

    @property
    def root(self) -> Path:
        """The server's root dir: notebooks go here."""
        return self.base / "root"

    @property
    def runtime_dir(self) -> Path:
        """Where the kernels' connection files (``kernel-<id>.json``) live."""
        return self.base / "runtime"

    @property
    def config_dir(self) -> Path:
        return self.base / "config"

    @property
    def log_path(self) -> Path:
        """The server's stdout and stderr."""
        return self.base / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def lab_url(self, name: str, workspace: str | None = None) -> str:
        """JupyterLab URL opening notebook ``name``.

        A workspace per notebook keeps Lab from restoring (and re-running kernels of) notebooks
        opened by earlier tests in the same browser profile.
        """
        ws = workspace or "ew-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)
        return f"{self.url}/lab/workspaces/{ws}/tree/{name}?token={self.token}"

    def notebook_url(self, name: str) -> str:
        """Notebook 7 URL opening notebook ``name``."""
        return f"{self.url}/notebooks/{name}?token={self.token}"

    # -- lifecycle -------------------------------------------------------------------------

    def _write_config(self) -> None:
        for d in (
            self.root,
            self.runtime_dir,
            self.config_dir,
            self.base / "data",
            self.base / "ipython",
        ):
            d.mkdir(parents=True, exist_ok=True)
        labconfig = self.config_dir / "labconfig"
        labconfig.mkdir(exist_ok=True)
        (labconfig / "page_config.json").write_text(
            json.dumps({"disabledExtensions": DISABLED_LAB_PLUGINS})
        )
        settings = self.config_dir / "lab" / "user-settings"
        for rel, value in LAB_USER_SETTINGS.items():
            p = settings / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(json.dumps(value))
        # Notebook 7 is a separate extension app: its flag must come from a config file.
        (self.config_dir / "jupyter_server_config.json").write_text(
            json.dumps(
                {
                    "LabApp": {"expose_app_in_browser": True},
                    "JupyterNotebookApp": {"expose_app_in_browser": True},
                }
            )
        )

    def env(self) -> dict[str, str]:
        """Environment of the server and therefore of its kernels."""
        env = dict(os.environ)
        env.update(
            JUPYTER_CONFIG_DIR=str(self.config_dir),
            JUPYTER_RUNTIME_DIR=str(self.runtime_dir),
            # labextensions (anywidget, ipywidgets) stay visible: sys.prefix/share/jupyter
            JUPYTER_DATA_DIR=str(self.base / "data"),
            IPYTHONDIR=str(self.base / "ipython"),
            PYDEVD_DISABLE_FILE_VALIDATION="1",
            # kernels import embed_widget from the work tree even if it is not pip-installed
            PYTHONPATH=os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p),
        )
        return env

    def start(self, timeout: float = 60.0) -> JupyterServer:
        """Start the server and wait until ``/api/status`` answers 200."""
        self._write_config()
        cmd = [
            sys.executable, "-m", "jupyter", "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--ServerApp.allow_root=True",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",  # no PyPI listing, no yarn
        ]  # fmt: skip
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.root,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # own process group, killed as a whole at stop()
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"jupyter lab exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            try:
                self.api("GET", "/api/status", timeout=2)
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"jupyter lab not ready after {timeout} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Shut the kernels down, then end the server's process group (by PID)."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        kernel_pids = _child_pids(proc.pid)
        try:
            for k in self.api("GET", "/api/kernels", timeout=5):
                self.api("DELETE", f"/api/kernels/{k['id']}", timeout=10)
        except Exception:
            pass  # the kill below is the fallback
        for pid in kernel_pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        except ProcessLookupError:
            pass

    def log_tail(self, lines: int = 60) -> str:
        """The last ``lines`` lines of the server log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        # clip very long lines (minified JS quoted in node stack traces)
        return "\n".join(
            ln if len(ln) < 500 else ln[:200] + " [...]" for ln in text.splitlines()[-lines:]
        )

    # -- REST ------------------------------------------------------------------------------

    def api(self, method: str, path: str, body: Any = None, timeout: float = 10) -> Any:
        """Call the server's REST API; returns the decoded JSON (None for an empty body)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def session_for(self, name: str) -> dict[str, Any] | None:
        """The ``/api/sessions`` entry of notebook ``name`` (path relative to the root), if any."""
        for s in self.api("GET", "/api/sessions"):
            if s.get("path") == name and s.get("kernel"):
                return dict(s)
        return None

    def kernel_id_for(self, name: str, timeout: float = 60.0) -> str:
        """Wait until the page has started a kernel for ``name``; return its id."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s = self.session_for(name)
            if s is not None:
                return str(s["kernel"]["id"])
            time.sleep(0.2)
        raise TimeoutError(f"no kernel session for {name!r} after {timeout} s")

    def connection_file(self, kernel_id: str) -> Path:
        return self.runtime_dir / f"kernel-{kernel_id}.json"

    def shutdown_session(self, name: str) -> None:
        """Delete the session (and kernel) of notebook ``name``, if it has one."""
        s = self.session_for(name)
        if s is not None:
            self.api("DELETE", f"/api/sessions/{s['id']}", timeout=20)


class KernelRunner:
    """Runs code in an existing kernel (the notebook's own) through its connection file."""

    def __init__(self, connection_file: Path, timeout: float = 30.0) -> None:
        self.client = BlockingKernelClient(connection_file=str(connection_file))
        self.client.load_connection_file()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=timeout)

    def run(self, code: str, timeout: float = 60.0) -> str:
        """Execute ``code`` in the kernel and return what it printed to stdout.

        Raises
        ------
        KernelError
            If the code raised; the message holds the (colourless) traceback.
        TimeoutError
            If the kernel did not go idle within ``timeout`` seconds.
        """
        msg_id = self.client.execute(code, store_history=False, allow_stdin=False)
        stdout: list[str] = []
        stderr: list[str] = []
        error: str | None = None
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"kernel still busy after {timeout} s running:\n{code}")
            try:
                msg = self.client.get_iopub_msg(timeout=left)
            except Exception as exc:  # queue.Empty
                raise TimeoutError(f"kernel still busy after {timeout} s running:\n{code}") from exc
            if msg["parent_header"].get("msg_id") != msg_id:
                continue  # another client's output (e.g. the page's own cells)
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                (stdout if content["name"] == "stdout" else stderr).append(content["text"])
            elif kind == "error":
                error = strip_ansi("\n".join(content["traceback"]))
            elif kind == "status" and content["execution_state"] == "idle":
                break
        if error is not None:
            raise KernelError(f"{error}\n--- stderr ---\n{''.join(stderr)}\n--- code ---\n{code}")
        return "".join(stdout)

    def eval_json(self, expr: str, timeout: float = 60.0) -> Any:
        """Evaluate a Python expression in the kernel and return its value via JSON."""
        marker = "__EW_JSON__"
        out = self.run(
            f"import json as _ew_json\nprint({marker!r} + _ew_json.dumps({expr}))", timeout
        )
        line = [ln for ln in out.splitlines() if ln.startswith(marker)][-1]
        return json.loads(line[len(marker) :])

    def close(self) -> None:
        self.client.stop_channels()
