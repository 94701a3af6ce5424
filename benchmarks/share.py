"""The saved HTML page (``t.view.to_html``): its size and how fast it opens, at 10k and 1M points.

Run: ``.venv/bin/python benchmarks/share.py`` (about two minutes; needs Debian's chromium, as the
browser tests do; ``EW_CHROMIUM`` overrides its path).

Each table holds a 16-d vector column in 10 classes and a category column (the colour), shown
with PCA, its clusters found. Printed: the file's size, its bytes a point once the bundle and
styles are taken out (target: <= 12), the time to write it, and the time from opening the file
in headless Chromium (SwiftShader WebGL, network off) to the layout drawn.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from embed_widget import Table
from embed_widget.widget.share import STATIC

CHROMIUM = os.environ.get("EW_CHROMIUM", "/usr/bin/chromium")


def saved_page(n: int, folder: Path) -> tuple[Path, float]:
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=5, size=(10, 16))
    labels = rng.integers(0, 10, n)
    vectors = (centres[labels] + rng.normal(size=(n, 16))).astype(np.float32)
    frame = pd.DataFrame({"emb": list(vectors), "label": [f"class {k}" for k in labels]})
    view = Table(dataframe=frame).view
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


if __name__ == "__main__":
    main()
