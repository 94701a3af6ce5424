"""Clusters and their labels, against the projection they label, in one run.

Run: ``.venv/bin/python benchmarks/clusters.py`` (about 4 minutes; ~2 GB of RAM).
``--skip-space`` leaves out the 2D-layout-versus-original-space comparison.

- Where to cluster: HDBSCAN (the shipped parameters) on the UMAP layout and in the original space,
  scored by the adjusted Rand index against the true classes, on the digits (1,797 x 64) and on
  clustered blobs (10k x 32, 12 classes of different spreads).
- 100k: ``t.project("umap")`` on 100k x 64 rows in 30 classes, then the clusters of its layout
  named two ways, as the widget names them (``cluster_layout``): by a categorical column (majority
  and share) and by a text column (class-based TF-IDF). The ratio is clustering + naming over the
  UMAP time (target: <= 0.2).
- 1M: a view of 1M rows (a PCA layout of 16 columns), timed from the final layout handed to the
  view to its ``_clusters`` trait set: what the background job costs before labels can be drawn;
  and the longest the kernel's main thread waited meanwhile (hdbscan holds the GIL at times).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import load_digits, make_blobs
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from embed_widget import Table
from embed_widget.projection.clusters import default_min_cluster_size, find_clusters
from embed_widget.session.clusters import cluster_layout

WORDS = [f"word{c}" for c in "abcdefghijklmnopqrstuvwxyz"]


def hdbscan_in_space(points: np.ndarray) -> np.ndarray:
    """HDBSCAN with the shipped parameters, in the original space."""
    import hdbscan

    size = default_min_cluster_size(len(points))
    model = hdbscan.HDBSCAN(min_cluster_size=size, min_samples=min(10, size))
    return np.asarray(model.fit_predict(points))


def space_case(name: str, points: np.ndarray, truth: np.ndarray) -> None:
    t = Table(dataframe=pd.DataFrame({"v": list(points.astype(np.float32))}))
    layout = t.project("umap")[["x", "y"]].to_numpy()
    t0 = time.perf_counter()
    on_layout = find_clusters(layout).labels
    layout_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    in_space = hdbscan_in_space(points)
    space_s = time.perf_counter() - t0
    print(
        f"{name:28}{adjusted_rand_score(truth, on_layout):>10.3f}{layout_s:>8.2f}"
        f"{adjusted_rand_score(truth, in_space):>12.3f}{space_s:>8.2f}"
        f"{(in_space < 0).mean():>9.0%}"
    )


def where_to_cluster() -> None:
    print("where to cluster: adjusted Rand index against the classes (s: HDBSCAN's time)")
    print(f"{'data':28}{'2D layout':>10}{'s':>8}{'original':>12}{'s':>8}{'noise':>9}")
    digits = load_digits()
    space_case("digits 1,797 x 64", digits.data, digits.target)
    rng = np.random.default_rng(0)
    spreads = rng.uniform(0.5, 2.0, 12)
    points, truth = make_blobs(
        10_000, n_features=32, centers=12, cluster_std=spreads, random_state=0
    )
    space_case("blobs 10k x 32, 12 classes", points, truth)


def texts_for(truth: np.ndarray, seed: int = 0) -> list[str]:
    """Short texts: three words typical of the row's class among five common ones."""
    rng = np.random.default_rng(seed)
    typical = {k: rng.choice(WORDS, 3, replace=False) for k in np.unique(truth)}
    common = ["data", "model", "value", "result", "table"]
    return [" ".join([*rng.choice(typical[k], 3), *rng.choice(common, 5)]) for k in truth.tolist()]


def at_100k() -> None:
    points, truth = make_blobs(100_000, n_features=64, centers=30, cluster_std=2.0, random_state=1)
    frame = pd.DataFrame({"v": list(points.astype(np.float32))})
    frame["topic"] = [f"topic {k}" for k in truth]
    frame["text"] = texts_for(truth)
    t = Table(dataframe=frame)
    t0 = time.perf_counter()
    layout = t.project("umap")[["x", "y"]].to_numpy()
    umap_s = time.perf_counter() - t0
    print(f"\n100k x 64, 30 classes: UMAP {umap_s:.1f} s")
    print(f"{'named by':16}{'clusters':>9}{'ARI':>7}{'seconds':>9}{'ratio to UMAP':>15}")
    for column in ("topic", "text"):
        t0 = time.perf_counter()
        named = cluster_layout(t, layout, None, column)
        seconds = time.perf_counter() - t0
        ari = adjusted_rand_score(truth, named.labels)
        ratio = seconds / umap_s
        print(f"{column:16}{len(named.names):>9}{ari:>7.3f}{seconds:>9.2f}{ratio:>15.3f}")
    print("  e.g.", "; ".join(named.names[:4]))


def at_1m() -> None:
    points, truth = make_blobs(1_000_000, n_features=16, centers=40, random_state=2)
    frame = pd.DataFrame(points.astype(np.float32), columns=[f"d{i}" for i in range(16)])
    frame["topic"] = [f"topic {k}" for k in truth]
    t = Table(dataframe=frame)
    view = t.view
    view.algorithm = "pca"
    shown: dict[str, float] = {}
    original = view._clusters_layout_done

    def timed(seq: int) -> None:
        shown["final"] = time.perf_counter()
        original(seq)

    view._clusters_layout_done = timed  # type: ignore[method-assign]
    view.observe(lambda _: shown.setdefault("clusters", time.perf_counter()), "_clusters")
    view._start()
    view.wait()
    stall, last = 0.0, time.perf_counter()
    while "clusters" not in shown:  # the kernel's main thread, as a user's next cell would be
        time.sleep(0.001)
        now = time.perf_counter()
        stall, last = max(stall, now - last), now
    seconds = shown["clusters"] - shown["final"]
    count = len(view._clusters["names"])
    print(f"\n1M x 16, PCA layout: {count} clusters named {seconds:.2f} s after the final layout")
    print(f"  longest wait of the main thread meanwhile: {1000 * stall:.0f} ms (a 1 ms sleep)")
    view.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-space", action="store_true")
    args = parser.parse_args()
    if not args.skip_space:
        where_to_cluster()
    at_100k()
    at_1m()


if __name__ == "__main__":
    main()
