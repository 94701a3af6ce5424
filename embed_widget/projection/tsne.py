"""t-SNE with openTSNE: affinities cached per (metric, perplexity), optimisation streamed.

The kNN graph comes from :mod:`.knn` (exact below 20k rows, shared with UMAP and cached at the
largest k asked), the affinities from openTSNE's ``joint_probabilities_nn``; the optimisation is
openTSNE's two phases (early exaggeration with momentum 0.5 for the first 250 iterations, then
momentum 0.8), with a callback every few iterations (as many as fit in a frame interval, by the
measured iteration time) that reports progress, streams a frame and answers a cancel.
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

from .cache import KeyCache, Slot, reduced_matrix
from .knn import cached_knn
from .result import F32, Reporter, frame_interval
from .schema import WARM_ITERATIONS

EARLY_EXAGGERATION_ITER = 250
#: Iterations of a layout started from another training step's, the first ones exaggerated.
STEP_ITERATIONS, STEP_EE_ITER = 150, 50
#: Iterations between callbacks at the start, before an iteration's time is measured. Each
#: callback costs openTSNE an evaluation of the KL divergence, ~half an iteration (measured at 10k).
CALLBACK_EVERY = 5
#: Iterations run before the callback interval is set from their measured time.
PROBE_ITER = 10
#: The longest time between callbacks (progress is promised at least every 0.5 s).
CALLBACK_PERIOD_MAX = 0.4
_KNN, _AFF = (0.0, 0.2), 0.25


def n_neighbors_for(perplexity: float, n_rows: int) -> int:
    """openTSNE's rule: 3 x perplexity neighbours (not counting the point itself)."""
    return max(1, min(n_rows - 1, int(3 * perplexity)))


def n_jobs() -> int:
    """One thread: measured here, 2 threads were no faster on 2 busy cores (the kernel and the
    browser need one) and a single thread keeps the result bit-for-bit reproducible."""
    return 1


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
        n_jobs=n_jobs(),
    )
    rep.timed("affinities", time.perf_counter() - t0)
    cache.put(Slot.AFFINITY, akey, p)
    return p


def callback_every(seconds_per_iter: float, n_rows: int) -> int:
    """Iterations between callbacks: about one per streamed frame, at most ``CALLBACK_PERIOD_MAX``
    apart, but no fewer than ``CALLBACK_EVERY`` (more would slow the optimisation down)."""
    period = min(frame_interval(n_rows), CALLBACK_PERIOD_MAX)
    return int(min(50, max(CALLBACK_EVERY, period / max(seconds_per_iter, 1e-6))))


def _segments(
    ee_iter: int, total: int, params: dict[str, Any], lr_early: float, lr_main: float
) -> list[tuple[int, float | None, float, float]]:
    """(iterations, exaggeration, momentum, learning rate) of each optimize() call.

    The phases are cut (at fixed points: the result does not depend on timing) so the callback
    interval can follow the measured iteration time, which grows as the layout spreads out.
    """
    out: list[tuple[int, float | None, float, float]] = []
    ee = params["early_exaggeration"]
    if ee_iter > PROBE_ITER:
        out += [(PROBE_ITER, ee, 0.5, lr_early), (ee_iter - PROBE_ITER, ee, 0.5, lr_early)]
    elif ee_iter:
        out.append((ee_iter, ee, 0.5, lr_early))
    main = total - ee_iter
    halves = [main // 2, main - main // 2] if main >= 2 * PROBE_ITER else [main]
    out += [(n, None, 0.8, lr_main) for n in halves if n > 0]
    return out


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
    init: np.ndarray, aff: Any, params: dict[str, Any], iterations: tuple[int, int], rep: Reporter
) -> Any:
    """Run the early-exaggeration and main phases; returns openTSNE's embedding."""
    from openTSNE import TSNEEmbedding

    (total, ee_iter), n, seed = iterations, init.shape[0], params["random_state"]
    lr_early, lr_main = _learning_rates(n, params)
    done = 0

    def callback(iteration: int, error: float, embedding: np.ndarray) -> bool:
        it = done + iteration
        rep.progress(_AFF + (1 - _AFF) * it / total, phase_text(it, total, ee_iter))
        if it < total:
            rep.frame(embedding)
        return False

    emb = TSNEEmbedding(
        init, aff, negative_gradient_method="auto", random_state=seed, n_jobs=n_jobs(),
        callbacks=callback,
    )  # fmt: skip
    every = CALLBACK_EVERY
    for n_iter, exaggeration, momentum, rate in _segments(
        ee_iter, total, params, lr_early, lr_main
    ):
        started = time.perf_counter()
        emb.optimize(
            n_iter=n_iter, exaggeration=exaggeration, momentum=momentum, learning_rate=rate,
            callbacks_every_iters=every, inplace=True, propagate_exception=True,
        )  # fmt: skip
        done += n_iter
        every = callback_every((time.perf_counter() - started) / n_iter, n)
    return emb


def phase_text(iteration: int, total: int, ee_iter: int) -> str:
    """The status phase: early exaggeration pulls clusters into tight, often elongated groups
    (strands, curves) that spread out only in the main phase: say so, or it looks broken."""
    if iteration <= ee_iter:
        return f"iteration {iteration}/{total} · early exaggeration: clusters gather, then spread"
    return f"iteration {iteration}/{total}"


def _kl(emb: Any) -> float | None:
    kl = getattr(emb, "kl_divergence", None)
    return None if kl is None else float(kl)


def run(
    cache: KeyCache, matrix: np.ndarray, params: dict[str, Any], rep: Reporter
) -> tuple[F32, dict[str, Any]]:
    """t-SNE coordinates for validated ``params``; streams frames through ``rep``."""
    from ._lazy import import_opentsne, wait_for_import

    wait_for_import(import_opentsne, rep.check, rep.announcer("loading openTSNE"))
    from openTSNE.affinity import Affinities

    metric, source = params["metric"], ("pca_dims", params["pca_dims"])
    x = reduced_matrix(cache, matrix, params["pca_dims"])
    n = x.shape[0]
    aff = Affinities()
    # openTSNE scales P in place during early exaggeration: give each run its own copy
    aff.P = affinities(cache, x, source, metric, params["perplexity"], rep).copy()

    rep.progress(_AFF, "initial layout", force=True)
    t0 = time.perf_counter()
    init, total, ee_iter = _start(cache, x, params, rep)
    rep.frame(init, force=True)
    emb = _optimize(init, aff, params, (total, ee_iter), rep)
    rep.timed("optimisation", time.perf_counter() - t0)
    rep.progress(1.0, f"iteration {total}/{total}", force=True)
    info = {
        "kl_divergence": _kl(emb),
        "neighbors": n_neighbors_for(params["perplexity"], n),
        "started_from": "previous" if rep.warm_start else "pca",
        "n_iter": total,
    }
    return np.asarray(emb, dtype=np.float32), info
