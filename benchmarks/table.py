"""Table -> embedding matrix: time and peak memory against plain numpy/pandas in the same process.

Run: ``python benchmarks/table.py [--rss]`` (about a minute; needs ~3 GB of RAM; ``--rss`` adds
the resident-memory rows: several minutes).

Cases (from issue 2): a DataFrame of 1M rows x 64 float columns (baseline
``df.to_numpy(dtype="float32")``) and one of 100k rows with a 768-d vector column (baseline
``np.stack``). Peak memory is tracemalloc's peak of the allocations made during the call (numpy
reports its buffers to tracemalloc), so it is the *extra* memory on top of the input DataFrame.

``--rss``: the process's resident memory (sampled from /proc every 20 ms, in a new process per
case) while a user's steps run, as multiples of the float32 matrix: 200k rows x one 768-d vector
column through ``Table(df)`` and a UMAP; 1M rows x 64 float columns through ``Table(df)`` and PCA.
Each step's figure is its peak above the RSS before ``Table(df)`` (the user's own DataFrame, and
the libraries' code, loaded first by a projection of 300 rows). The 200k case's vectors are
clustered in a 24-d latent space (text-embedding-like).
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from embed_widget.data import Table

MB = 1024 * 1024


def measure(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(seconds, peak MB allocated during the call, result); best time of 3, peak of the first."""
    tracemalloc.start()
    t0 = time.perf_counter()
    result = fn()
    best = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()
    del result
    for _ in range(2):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
        del result
    return best, peak, fn()


def report(case: str, matrix_mb: float, rows: list[tuple[str, float, float]]) -> None:
    base_t, base_m = rows[0][1], rows[0][2]
    print(f"\n{case}  (float32 matrix = {matrix_mb:.0f} MB)")
    print(f"{'':34}{'time s':>9}{'x base':>8}{'peak MB':>10}{'x base':>8}{'x matrix':>10}")
    for name, t, m in rows:
        print(f"{name:34}{t:9.3f}{t / base_t:8.2f}{m:10.0f}{m / base_m:8.2f}{m / matrix_mb:10.2f}")


def wide_case(n: int = 1_000_000, d: int = 64) -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.standard_normal((n, d)), columns=[f"f{i}" for i in range(d)])
    base = measure(lambda: df.to_numpy(dtype="float32"))  # Fortran-ordered: a view's transpose
    c_base = measure(lambda: np.ascontiguousarray(df.to_numpy(dtype="float32")))
    table = measure(lambda: Table(df).embedding_matrix())
    t = Table(df)
    warm = measure(lambda: t.embedding_matrix())
    assert np.array_equal(base[2], table[2])
    report(
        f"{n:,} rows x {d} float64 columns",
        n * d * 4 / MB,
        [
            ('df.to_numpy(dtype="float32")', base[0], base[1]),
            ("  ... made C-contiguous", c_base[0], c_base[1]),
            ("Table(df).embedding_matrix()", table[0], table[1]),
            ("t.embedding_matrix() (table built)", warm[0], warm[1]),
        ],
    )


def labels_case(n: int = 1_000_000, k: int = 8) -> None:
    """What the first view needs of a labelled table: the column kinds, the default colour
    column and its category codes (a pandas Categorical; baseline: factorizing its labels)."""
    rng = np.random.default_rng(0)
    labels = pd.Categorical.from_codes(rng.integers(0, k, n), [f"c{i}" for i in range(k)])
    df = pd.DataFrame({"x": rng.standard_normal(n), "y": rng.standard_normal(n), "cat": labels})

    def first_view() -> Any:
        t = Table(df)
        _ = t.column_kinds, t.default_color_column
        return t.category_codes("cat")

    base = measure(lambda: pd.factorize(df["cat"].to_numpy(dtype=object)))
    ours = measure(first_view)
    report(
        f"{n:,} rows, x, y and a {k}-label Categorical",
        n * 2 * 4 / MB,
        [
            ("pd.factorize(labels as objects)", base[0], base[1]),
            ("Table(df), kinds, colour codes", ours[0], ours[1]),
        ],
    )


def vector_case(n: int = 100_000, d: int = 768) -> None:
    rng = np.random.default_rng(0)
    # one array per row, as a model's outputs would be (not views of one big matrix)
    vectors = [rng.standard_normal(d, dtype=np.float32) for _ in range(n)]
    df = pd.DataFrame({"id": np.arange(n), "embedding": pd.Series(vectors, dtype=object)})
    base = measure(lambda: np.stack(list(df["embedding"])))
    table = measure(lambda: Table(df).embedding_matrix())
    t = Table(df)
    warm = measure(lambda: t.embedding_matrix())
    assert np.array_equal(base[2], table[2])
    report(
        f"{n:,} rows x one {d}-d float32 vector column",
        n * d * 4 / MB,
        [
            ("np.stack(df['embedding'])", base[0], base[1]),
            ("Table(df).embedding_matrix()", table[0], table[1]),
            ("t.embedding_matrix() (table built)", warm[0], warm[1]),
        ],
    )


RSS = r"""
import os, sys, threading, time, json
sys.path.insert(0, os.environ["REPO"])
import numpy as np, pandas as pd
PAGE = os.sysconf("SC_PAGE_SIZE")
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE
peak = [0]
def sample():
    while True:
        peak[0] = max(peak[0], rss()); time.sleep(0.02)
threading.Thread(target=sample, daemon=True).start()
n, d, kind = int(os.environ["N"]), int(os.environ["D"]), os.environ["KIND"]
rng = np.random.default_rng(0)
if kind == "vector":
    z = rng.normal(size=(40, 24))[rng.integers(0, 40, n)] * 2 + rng.normal(size=(n, 24))
    data = (z @ rng.normal(size=(24, d)) + rng.normal(size=(n, d))).astype(np.float32)
    del z
    df = pd.DataFrame({"id": np.arange(n), "embedding": list(data)})  # rows are views of data
else:
    df = pd.DataFrame(rng.standard_normal((n, d)), columns=[f"f{i}" for i in range(d)])
from embed_widget import Table
before_libraries = rss()
small = pd.DataFrame(rng.standard_normal((300, 8)), columns=[f"s{i}" for i in range(8)])
for algo in os.environ["ALGOS"].split(","):
    Table(dataframe=small).project(algo)  # loads numba, faiss, scikit-learn: code, not data
time.sleep(0.1); base = rss(); peak[0] = base; out = {}
libraries = base - before_libraries
t0 = time.perf_counter(); t = Table(dataframe=df)
out["Table(df)"] = (time.perf_counter() - t0, peak[0] - base)
for algo in os.environ["ALGOS"].split(","):
    t0 = time.perf_counter(); t.project(algo)
    out[f"t.project({algo!r})"] = (time.perf_counter() - t0, peak[0] - base)
print("RSS" + json.dumps({"matrix": n * d * 4, "steps": out, "libraries": libraries}))
"""


def rss_case(n: int, d: int, kind: str, algos: str) -> None:
    import json
    import os
    import subprocess

    env = {**os.environ, "REPO": str(Path(__file__).resolve().parents[1]), "N": str(n),
           "D": str(d), "KIND": kind, "ALGOS": algos, "EMBED_WIDGET_WARM_UP": "0"}  # fmt: skip
    res = subprocess.run([sys.executable, "-c", RSS], env=env, capture_output=True, text=True,
                         check=True)  # fmt: skip
    out = json.loads(res.stdout.split("RSS")[1])
    what = "one vector column" if kind == "vector" else "float64 columns"
    print(f"\n{n:,} rows x {d} ({what}); float32 matrix {out['matrix'] / MB:.0f} MB; "
          f"libraries' code loaded before: {out['libraries'] / MB:.0f} MB")  # fmt: skip
    print(f"{'step':28}{'seconds':>9}{'peak RSS above the DataFrame':>30}{'x matrix':>10}")
    for step, (seconds, grown) in out["steps"].items():
        print(f"{step:28}{seconds:9.1f}{grown / MB:27.0f} MB{grown / out['matrix']:10.2f}")


if __name__ == "__main__":
    wide_case()
    vector_case()
    labels_case()
    if "--rss" in sys.argv:
        rss_case(200_000, 768, "vector", "umap")
        rss_case(1_000_000, 64, "wide", "pca")
