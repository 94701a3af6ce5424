"""Exploring: search and nearest neighbours against the plain library calls, in one run.

Run: ``.venv/bin/python benchmarks/explore.py`` (about a minute; ~1 GB of RAM).

- Search: one keystroke's match over 1M short strings (a text column), as the widget runs it
  (``TextSearch.match``, the column lowered once beforehand; that first conversion is printed
  too), against ``df[col].str.contains(query, case=False, regex=False)``.
- Neighbours: one exact 10-NN query at 100k x 384 float32 (``Table.neighbors``'s
  ``NeighborIndex``), against a fitted ``NearestNeighbors(algorithm="brute").kneighbors`` on the
  same row; euclidean and cosine. Results are checked equal before timing.

- Quality: ``t.quality()`` at 10k x 64 (clustered) right after ``t.project("umap")`` in the same
  session (it reuses UMAP's neighbour graph, as the widget does after each layout), against
  that UMAP projection's own time (a second, warm-JIT run).

Each time is the median of several calls; ratios below 1 are faster than the baseline.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from embed_widget.data import Table
from embed_widget.data.search import TextSearch
from embed_widget.projection.neighbors import NeighborIndex

WORDS = ["alpha", "beta", "gamma", "delta", "logging", "Subprocess", "argparse", "functools", "os"]


def median_seconds(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def search_case(n: int = 1_000_000) -> None:
    rng = np.random.default_rng(0)
    text = [" ".join(rng.choice(WORDS, 4)) + f" {i}" for i in range(n)]
    df = pd.DataFrame({"x": rng.random(n), "text": text})
    table = Table(df)
    search = TextSearch(table)
    t0 = time.perf_counter()
    search.match("warm", ["text"])
    first = time.perf_counter() - t0
    print(f"\nsearch, {n:,} short strings (first search of the column: {first:.2f} s)")
    print(f"{'query':14}{'matches':>9}{'ours ms':>10}{'pandas ms':>11}{'ratio':>8}")
    for query in ("subproc", "zzz", "log 12"):
        ours = search.match(query, ["text"])
        base = np.flatnonzero(df["text"].str.contains(query, case=False, regex=False))
        assert np.array_equal(ours, base)
        t_ours = median_seconds(lambda q=query: search.match(q, ["text"]), 7)
        t_base = median_seconds(
            lambda q=query: df["text"].str.contains(q, case=False, regex=False), 3
        )
        print(f"{query:14}{len(ours):9,}{1e3 * t_ours:10.0f}{1e3 * t_base:11.0f}"
              f"{t_ours / t_base:8.2f}")  # fmt: skip


def neighbors_case(n: int = 100_000, d: int = 384) -> None:
    from sklearn.neighbors import NearestNeighbors

    x = np.random.default_rng(1).normal(size=(n, d)).astype(np.float32)
    index = NeighborIndex(x)
    print(f"\nneighbours, one 10-NN query at {n:,} x {d} float32")
    print(f"{'metric':14}{'ours ms':>10}{'sklearn ms':>12}{'ratio':>8}")
    for metric in ("euclidean", "cosine"):
        reference = NearestNeighbors(n_neighbors=11, algorithm="brute", metric=metric).fit(x)
        for row in (0, 1):
            found, _ = index.query(row, 10, metric)
            assert found.tolist() == reference.kneighbors(x[row : row + 1])[1][0][1:].tolist()
        t_ours, t_base = query_times(index, reference, x, metric)
        print(f"{metric:14}{1e3 * t_ours:10.1f}{1e3 * t_base:12.1f}{t_ours / t_base:8.2f}")


def query_times(
    index: NeighborIndex, reference: Any, x: np.ndarray, metric: str
) -> tuple[float, float]:
    """Median seconds of one query, ours and scikit-learn's, each on rows not asked before."""
    rows = iter(range(2, 10_000))
    ours = median_seconds(lambda: index.query(next(rows), 10, metric), 15)

    def base() -> None:
        row = next(rows)
        reference.kneighbors(x[row : row + 1])

    return ours, median_seconds(base, 15)


def quality_case(n: int = 10_000, d: int = 64) -> None:
    from sklearn.datasets import make_blobs

    from embed_widget import Table as ProjectedTable

    x, _ = make_blobs(n, d, centers=12, random_state=0)
    t = ProjectedTable(pd.DataFrame(x.astype(np.float32), columns=[f"f{i}" for i in range(d)]))
    t.project("umap", random_state=1)  # pays the JIT
    t0 = time.perf_counter()
    t.project()  # the smart default (UMAP here), which t.quality() measures
    umap_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    quality = t.quality()
    quality_s = time.perf_counter() - t0
    print(f"\nquality at {n:,} x {d} after UMAP ({quality.attrs['sampled_rows']} rows ranked)")
    print(f"{'':14}{'quality s':>10}{'UMAP s':>8}{'ratio':>8}   kept  trust  cont")
    a = quality.attrs
    figures = f"{a['mean_preserved']:.2f}  {a['trustworthiness']:.3f}  {a['continuity']:.3f}"
    print(f"{'':14}{quality_s:10.2f}{umap_s:8.2f}{quality_s / umap_s:8.2f}   {figures}")


if __name__ == "__main__":
    search_case()
    neighbors_case()
    quality_case()
