"""What sharing stores, at 10k and 1M points: the saved HTML page (``t.view.to_html``), its size
and how fast it opens; and a notebook saved in JupyterLab, its saved picture and widget state.

Run: ``.venv/bin/python benchmarks/share.py`` (about four minutes; needs Debian's chromium, as
the browser tests do; ``EW_CHROMIUM`` overrides its path).

Each table holds a 16-d vector column in 10 classes and a category column (the colour), shown
with PCA, its clusters found. Printed for the page: the file's size, its bytes a point once the
bundle and styles are taken out (target: <= 12), the time to write it, and the time from opening
the file in headless Chromium (SwiftShader WebGL, network off) to the layout drawn. For the
notebook (the browser tests' JupyterLab, "save widget state" on): the saved picture's PNG, the
seconds from the final layout drawn to the picture in the notebook (its 1.5 s wait included),
and the widget state's size (what a notebook saved with the state on holds besides).
"""

from __future__ import annotations

import base64
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))  # the harness
from embed_widget import Table
from embed_widget.widget.share import STATIC

ROOT = Path(__file__).resolve().parents[1]

CHROMIUM = os.environ.get("EW_CHROMIUM", "/usr/bin/chromium")


def classes(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=5, size=(10, 16))
    labels = rng.integers(0, 10, n)
    vectors = (centres[labels] + rng.normal(size=(n, 16))).astype(np.float32)
    return pd.DataFrame({"emb": list(vectors), "label": [f"class {k}" for k in labels]})


def saved_page(n: int, folder: Path) -> tuple[Path, float]:
    view = Table(dataframe=classes(n)).view
    view.algorithm = "pca"
    view._start()
    view.wait()
    while view._clusters.get("seq") != view._layout.get("seq"):
        time.sleep(0.05)
    path = folder / f"page-{n}.html"
    t0 = time.perf_counter()
    view.to_html(path)
    seconds = time.perf_counter() - t0
    view.close()
    return path, seconds


def open_seconds(path: Path) -> float:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--use-gl=swiftshader", "--enable-unsafe-swiftshader"]
        )
        context = browser.new_context(viewport={"width": 1100, "height": 800}, offline=True)
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function(
            "document.querySelector('.embed-widget')?.dataset.final === 'true'", timeout=300_000
        )
        seconds = time.perf_counter() - t0
        browser.close()
    return seconds


NOTEBOOK = """
import sys; sys.path.insert(0, {benchmarks!r})
from share import classes
from embed_widget import Table
t = Table(dataframe=classes({n}))
t.view.algorithm = "pca"
t
"""
PICTURE = ".jp-OutputArea-child.ew-picture-owner + .jp-OutputArea-child img"


def saved_notebook(n: int, server: Any, context: Any) -> tuple[int, float, int]:
    """The saved picture's bytes, its seconds after the final layout, the widget state's bytes."""
    from ew_jupyter import write_notebook
    from ew_page import run_all_cells, wait_for, wait_notebook_ready

    name = f"saved-{n}.ipynb"
    path = write_notebook(
        server.root, name, [NOTEBOOK.format(benchmarks=str(ROOT / "benchmarks"), n=n)]
    )
    page = context.new_page()
    page.goto(server.lab_url(name), wait_until="domcontentloaded")
    wait_notebook_ready(page, name, 120)
    run_all_cells(page, 600)
    final = "document.querySelector('.embed-widget')?.dataset.final === 'true'"
    page.wait_for_function(final, timeout=600_000)
    drawn = time.perf_counter()
    page.wait_for_function(
        f"document.querySelector({PICTURE!r})?.naturalWidth > 300", timeout=60_000
    )
    after = time.perf_counter() - drawn
    page.locator(".jp-Notebook").first.click()
    page.keyboard.press("Control+s")
    wait_for(lambda: "widget-state+json" in path.read_text(), 60, message="saved")
    notebook = json.loads(path.read_text())
    picture = notebook["cells"][0]["outputs"][-1]["data"]["image/png"]
    state = len(json.dumps(notebook["metadata"]["widgets"]))
    page.close()
    return len(base64.b64decode(picture)), after, state


def notebook_rows(sizes: tuple[int, ...]) -> None:
    from conftest import CHROMIUM_ARGS, VIEWPORT
    from ew_jupyter import JupyterServer

    print(f"\n{'points':>10}{'picture kB':>12}{'after s':>9}{'state MB':>10}{'state B/pt':>12}")
    with tempfile.TemporaryDirectory(prefix="ew-share-") as tmp:
        server = JupyterServer(Path(tmp) / "jupyter").start()
        try:
            with sync_playwright() as pw:
                context = pw.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"), executable_path=CHROMIUM, headless=True,
                    args=CHROMIUM_ARGS, viewport=VIEWPORT,
                )  # fmt: skip
                for n in sizes:
                    png, after, state = saved_notebook(n, server, context)
                    row = f"{png / 1e3:>12.0f}{after:>9.2f}{state / 1e6:>10.2f}{state / n:>12.1f}"
                    print(f"{n:>10,}{row}")
                context.close()
        finally:
            server.stop()


def main() -> None:
    fixed = sum(len((STATIC / name).read_bytes()) for name in ("standalone.js", "widget.css"))
    print(f"bundle and styles: {fixed / 1e3:.0f} kB")
    print(f"{'points':>10}{'file MB':>9}{'B/point':>9}{'write s':>9}{'open s':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for n in (10_000, 1_000_000):
            path, write = saved_page(n, Path(folder))
            size = path.stat().st_size
            opened = open_seconds(path)
            per_point = (size - fixed) / n
            print(f"{n:>10,}{size / 1e6:>9.1f}{per_point:>9.1f}{write:>9.2f}{opened:>8.2f}")
        path = digits_page(Path(folder))
        print(f"digits with their images (1,797 rows): {path.stat().st_size / 1e6:.2f} MB")
    notebook_rows((10_000, 1_000_000))


def digits_page(folder: Path) -> Path:
    """The digits' page, hover thumbnails included (each digit's 128 px PNG)."""
    from sklearn.datasets import load_digits

    from embed_widget import Image

    digits = load_digits()
    frame = pd.DataFrame(digits.data, columns=[f"p{i}" for i in range(64)])
    frame["digit"] = digits.target.astype(str)
    frame["image"] = [Image(d / 16.0) for d in digits.images]
    view = Table(dataframe=frame).view
    view.algorithm = "pca"
    view._start()
    view.wait()
    path = folder / "digits.html"
    view.to_html(path)
    view.close()
    return path


if __name__ == "__main__":
    main()
