"""t-SNE with openTSNE: affinities cached per (metric, perplexity), optimisation streamed.

The kNN graph comes from :mod:`.knn` (exact below 20k rows, shared with UMAP and cached at the
largest k asked), the affinities from openTSNE's ``joint_probabilities_nn``; the optimisation is
openTSNE's two phases (early exaggeration with momentum 0.5 for the first 250 iterations, then
momentum 0.8), run by :mod:`.tsne_descent`; after every iteration progress is reported, a frame
streamed when one is due and a cancel answered.
Same seed and parameters give the same coordinates whether or not the affinities were reused.
``start="previous"`` is the one path-dependent option: the layout continues from the last t-SNE
layout of this embedding for at most ``WARM_ITERATIONS`` iterations, without early exaggeration.
A layout handed in (``Reporter.start``: the previous training step's) starts it too, for
``STEP_ITERATIONS`` iterations of which the first ``STEP_EE_ITER`` are exaggerated.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .ann import CORES
from .cache import KeyCache, Slot, reduced_matrix
from .knn import cached_knn
from .result import F32, Reporter
from .schema import WARM_ITERATIONS
from .tsne_descent import Descent

EARLY_EXAGGERATION_ITER = 250
#: Iterations of a layout started from another training step's, the first ones exaggerated.
STEP_ITERATIONS, STEP_EE_ITER = 150, 50
_KNN, _AFF = (0.0, 0.2), 0.25


def n_neighbors_for(perplexity: float, n_rows: int) -> int:
    """openTSNE's rule: 3 x perplexity neighbours (not counting the point itself)."""
    return max(1, min(n_rows - 1, int(3 * perplexity)))


def affinities(
    cache: KeyCache, x: np.ndarray, source: Any, metric: str, perplexity: float, rep: Reporter
) -> Any:
    """The symmetric joint probabilities P (scipy CSR) for (metric, perplexity)."""
    akey = (source, metric, perplexity)
    hit = cache.get(Slot.AFFINITY, akey)
    if hit is not None:
        rep.reused.append("affinities")
        return hit
    k = n_neighbors_for(perplexity, x.shape[0])
    idx, dist, _ = cached_knn(cache, x, source, metric, k + 1, rep, fraction=_KNN)
    rep.progress(_KNN[1], "affinities", force=True)
    t0 = time.perf_counter()
    from openTSNE.affinity import joint_probabilities_nn

    p = joint_probabilities_nn(
        np.ascontiguousarray(idx[:, 1:], dtype=np.int64),
        np.ascontiguousarray(dist[:, 1:], dtype=np.float64),
        [perplexity],
        symmetrize=True,
        n_jobs=CORES,  # each row's perplexity search is its own: the same P on any count
    )
    rep.timed("affinities", time.perf_counter() - t0)
    cache.put(Slot.AFFINITY, akey, p)
    return p


def _start(
    cache: KeyCache, x: np.ndarray, params: dict[str, Any], rep: Reporter
) -> tuple[np.ndarray, int, int]:
    """The initial layout, the number of iterations and of early-exaggeration iterations."""
    from openTSNE import initialization

    if rep.start is not None and rep.start.shape == (x.shape[0], 2):
        # another training step's layout: its clusters may still have to come apart, which
        # takes a short exaggerated phase (measured on 5 steps of 10k rows: 100 plain
        # iterations kept 0.67 10-NN label agreement at the last step, a fresh fit 0.99; 50
        # exaggerated + 100 plain 0.99, at 0.35 of the fresh fits' time)
        rep.continue_from_previous()
        total = min(params["n_iter"], STEP_ITERATIONS)
        return rep.start.astype(np.float64), total, min(STEP_EE_ITER, total // 3)
    previous = cache.get(Slot.LAST, "tsne") if params["start"] == "previous" else None
    if previous is not None and previous.shape == (x.shape[0], 2):
        # already spread out: no early exaggeration, a few hundred iterations settle it
        rep.continue_from_previous()
        return previous.astype(np.float64), min(params["n_iter"], WARM_ITERATIONS), 0
    init = initialization.pca(x, 2, random_state=params["random_state"])
    return init, params["n_iter"], min(EARLY_EXAGGERATION_ITER, params["n_iter"])


def _learning_rates(n: int, params: dict[str, Any]) -> tuple[float, float]:
    """Learning rates of the early-exaggeration and main phases."""
    lr = params["learning_rate"]
    if lr is not None:
        return lr, lr
    # "auto" as openTSNE (N / exaggeration) but at least 50: below ~600 rows openTSNE's own
    # auto rate is so small that the layout collapses to a point (seen at 20 rows)
    return max(n / params["early_exaggeration"], 50.0), max(float(n), 50.0)


def _optimize(
    init: np.ndarray, P: Any, params: dict[str, Any], iterations: tuple[int, int], rep: Reporter
) -> Descent:
    """Run the early-exaggeration and main phases; returns the optimised layout."""
    (total, ee_iter), n = iterations, init.shape[0]
    lr_early, lr_main = _learning_rates(n, params)
    descent = Descent(init, P)
    phases = [(ee_iter, params["early_exaggeration"], 0.5, lr_early, 0)]
    phases.append((total - ee_iter, None, 0.8, lr_main, ee_iter))
    for n_iter, exaggeration, momentum, rate, done in phases:

        def after(iteration: int, done: int = done) -> None:
            it = done + iteration
            rep.progress(_AFF + (1 - _AFF) * it / total, phase_text(it, total, ee_iter))
            if it < total:
                rep.frame(descent.embedding)

        if n_iter > 0:
            descent.run(n_iter, exaggeration, momentum, rate, after)
    return descent


def phase_text(iteration: int, total: int, ee_iter: int) -> str:
    """The status phase: early exaggeration pulls clusters into tight, often elongated groups
    (strands, curves) that spread out only in the main phase: say so, or it looks broken."""
    if iteration <= ee_iter:
        return f"iteration {iteration}/{total} · early exaggeration: clusters gather, then spread"
    return f"iteration {iteration}/{total}"


def run(
    cache: KeyCache, matrix: np.ndarray, params: dict[str, Any], rep: Reporter
) -> tuple[F32, dict[str, Any]]:
    """t-SNE coordinates for validated ``params``; streams frames through ``rep``."""
    from ._lazy import import_opentsne, wait_for_import

    wait_for_import(import_opentsne, rep.check, rep.announcer("loading openTSNE"))
    metric, source = params["metric"], ("pca_dims", params["pca_dims"])
    x = reduced_matrix(cache, matrix, params["pca_dims"])
    n = x.shape[0]
    # P is scaled in place during early exaggeration: give each run its own copy
    P = affinities(cache, x, source, metric, params["perplexity"], rep).copy()

    rep.progress(_AFF, "initial layout", force=True)
    t0 = time.perf_counter()
    init, total, ee_iter = _start(cache, x, params, rep)
    rep.frame(init, force=True)
    descent = _optimize(init, P, params, (total, ee_iter), rep)
    rep.timed("optimisation", time.perf_counter() - t0)
    rep.progress(1.0, f"iteration {total}/{total}", force=True)
    info = {
        "kl_divergence": descent.kl_divergence(),
        "neighbors": n_neighbors_for(params["perplexity"], n),
        "started_from": "previous" if rep.warm_start else "pca",
        "n_iter": total,
    }
    return descent.embedding.astype(np.float32), info
