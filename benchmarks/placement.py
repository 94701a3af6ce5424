"""Placing new rows into a shown layout against fitting every row again; training steps with warm
starts against fresh fits of each step; all in one run.

Run: ``.venv/bin/python benchmarks/placement.py`` (about 10 minutes; ``--only steps`` or
``--only placing`` for one part).

A view of 10,000 rows (64-d blobs in 10 classes) shows UMAP, then t-SNE; 1,000 more rows are added
one ``add_data`` at a time, as a logging loop would. Timed: from the last row added to the view
holding the placed layout (``view.wait()``, which skips the 0.3 s the view waits for more rows),
against ``view.refit()`` of all 11,000 rows. Printed: both times, their ratio (target: <= 0.1),
and the placed rows' 10-NN label agreement in the layout beside the refit's.

Steps: 5 columns of 10,000 rows (64-d blobs whose classes come apart step by step, as a model
learns them). Timed: a view with ``steps`` from display to every step laid out (the first fitted
fresh, each next one warm-started from it), against the same view fitting each step fresh
(``embedding`` set to each column in turn; another table, so no cache is shared). Printed: both
times, their ratio (target: <= 0.4), the last step's 10-NN label agreement in each, and how far
points move between consecutive steps (after alignment, in units of the layout's spread).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import make_blobs
from sklearn.neighbors import NearestNeighbors

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from embed_widget import Table
from embed_widget.projection import warm_up
from embed_widget.projection.align import procrustes

FITTED, ADDED = 10_000, 1_000
STEP_ROWS, STEPS = 10_000, 5


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


def training_steps() -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, STEP_ROWS)
    centers = rng.normal(size=(10, 64)) * 0.3  # (10-NN agreement in 64-d: 0.14 -> 0.96)
    noise = rng.normal(size=(STEP_ROWS, 64))
    frame = pd.DataFrame({"label": labels.astype(str)})
    for k in range(STEPS):
        drift = rng.normal(size=(STEP_ROWS, 64)) * 0.3  # each step moves every row a little
        noise = noise + drift
        frame[f"step{k}"] = list((centers[labels] * (0.5 + 0.5 * k) + noise).astype(np.float32))
    return frame, labels


def movement(layouts: list[np.ndarray]) -> float:
    """Mean distance a point moves between consecutive steps (after alignment), over the
    layout's spread."""
    moves = []
    for before, after in itertools.pairwise(layouts):
        aligned = procrustes(before, after).apply(after)
        moves.append(np.linalg.norm(aligned - before, axis=1).mean() / before.std(axis=0).sum())
    return float(np.mean(moves))


def step_layouts(frame: pd.DataFrame, algorithm: str, warm: bool) -> tuple[float, list]:
    """Seconds to lay out every step, and the layouts."""
    columns = [f"step{k}" for k in range(STEPS)]
    table = Table(dataframe=frame)
    view = table.view
    view.algorithm = algorithm
    layouts = []
    t0 = time.perf_counter()
    if warm:
        view.steps = columns
        view._start()
        view.wait()
        seconds = time.perf_counter() - t0
        for k in range(STEPS):
            view.step = k
            layouts.append(table.projection[["x", "y"]].to_numpy())
    else:
        view._start()
        for column in columns:
            view.embedding = [column]
            view.wait()
            layouts.append(table.projection[["x", "y"]].to_numpy())
        seconds = time.perf_counter() - t0
    view.close()
    return seconds, layouts


def measure_steps(algorithm: str, frame: pd.DataFrame, labels: np.ndarray) -> None:
    fresh_s, fresh = step_layouts(frame, algorithm, warm=False)
    warm_s, warm = step_layouts(frame, algorithm, warm=True)
    every = np.arange(STEP_ROWS)
    print(
        f"{algorithm:>6}{warm_s:>10.1f}{fresh_s:>10.1f}{warm_s / fresh_s:>8.3f}"
        f"{agreement(warm[-1], labels, every):>9.3f}{agreement(fresh[-1], labels, every):>9.3f}"
        f"{movement(warm):>9.3f}{movement(fresh):>9.3f}"
    )


def main() -> None:
    warnings.filterwarnings("ignore", message="Graph is not fully connected")  # (spectral init)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=("placing", "steps"))
    only = parser.parse_args().only
    warm_up()  # (numba's compile is paid once per machine, not by either side)
    if only != "steps":
        x, labels = make_blobs(
            FITTED + ADDED, n_features=64, centers=10, cluster_std=12.0, random_state=0
        )
        x = x.astype(np.float32)
        print(f"{FITTED:,} rows fitted, {ADDED:,} added")
        print(f"{'':>6}{'place s':>10}{'refit s':>10}{'ratio':>8}{'placed':>10}{'refit':>10}")
        for algorithm in ("umap", "tsne"):
            measure(algorithm, x, labels)
        print("(placed / refit: 10-NN label agreement of the added rows in each layout)")
    if only != "placing":
        frame, step_labels = training_steps()
        print(f"\n{STEPS} steps of {STEP_ROWS:,} rows x 64")
        print(f"{'':>6}{'warm s':>10}{'fresh s':>10}{'ratio':>8}{'agree w':>9}{'agree f':>9}"
              f"{'moves w':>9}{'moves f':>9}")  # fmt: skip
        for algorithm in ("umap", "tsne"):
            measure_steps(algorithm, frame, step_labels)
        print("(agree: the last step's 10-NN label agreement; moves: mean move between steps)")


if __name__ == "__main__":
    main()
