"""Placing new rows into a shown layout against fitting every row again, in one run.

Run: ``.venv/bin/python benchmarks/placement.py`` (about 3 minutes).

A view of 10,000 rows (64-d blobs in 10 classes) shows UMAP, then t-SNE; 1,000 more rows are added
one ``add_data`` at a time, as a logging loop would. Timed: from the last row added to the view
holding the placed layout (``view.wait()``, which skips the 0.3 s the view waits for more rows),
against ``view.refit()`` of all 11,000 rows. Printed: both times, their ratio (target: <= 0.1),
and the placed rows' 10-NN label agreement in the layout beside the refit's.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import make_blobs
from sklearn.neighbors import NearestNeighbors

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from embed_widget import Table

FITTED, ADDED = 10_000, 1_000


def agreement(xy: np.ndarray, labels: np.ndarray, rows: np.ndarray) -> float:
    _, near = NearestNeighbors(n_neighbors=11).fit(xy).kneighbors(xy[rows])
    return float((labels[near[:, 1:]] == labels[rows, None]).mean())


def measure(algorithm: str, x: np.ndarray, labels: np.ndarray) -> None:
    table = Table(dataframe=pd.DataFrame({"emb": list(x[:FITTED])}))
    view = table.view
    view.algorithm = algorithm
    view._start()
    view.wait()
    for row in x[FITTED:]:
        table.add_data(row)
    t0 = time.perf_counter()
    view.wait()
    placing = time.perf_counter() - t0
    placed = table.projection
    assert placed.attrs["placed"]["placed"] == ADDED, placed.attrs["placed"]
    t0 = time.perf_counter()
    view.refit()
    view.wait()
    refitting = time.perf_counter() - t0
    refitted = table.projection
    new = np.arange(FITTED, FITTED + ADDED)
    kept = agreement(placed[["x", "y"]].to_numpy(), labels, new)
    fitted = agreement(refitted[["x", "y"]].to_numpy(), labels, new)
    print(
        f"{algorithm:>6}{placing:>10.2f}{refitting:>10.2f}{placing / refitting:>8.3f}"
        f"{kept:>10.3f}{fitted:>10.3f}"
    )
    view.close()


def main() -> None:
    x, labels = make_blobs(
        FITTED + ADDED, n_features=64, centers=10, cluster_std=12.0, random_state=0
    )
    x = x.astype(np.float32)
    print(f"{FITTED:,} rows fitted, {ADDED:,} added")
    print(f"{'':>6}{'place s':>10}{'refit s':>10}{'ratio':>8}{'placed':>10}{'refit':>10}")
    for algorithm in ("umap", "tsne"):
        measure(algorithm, x, labels)
    print("(placed / refit: 10-NN label agreement of the added rows in each layout)")


if __name__ == "__main__":
    main()
