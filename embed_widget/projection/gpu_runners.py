"""UMAP and t-SNE on the GPU with cuML, in the CPU runners' contract (:mod:`.gpu` says when).

Each takes the validated parameters the CPU runner takes and returns N x 2 float32 coordinates and
an ``info`` with the same keys, plus ``device``. cuML lays out in one call: no frames stream (it
takes seconds where the CPU takes minutes) and a stop is seen before and after it. What cuML
cannot do stays on the CPU: t-SNE continued from a layout (cuML starts only from "random" or
"pca").

cuML's UMAP builds its own exact neighbour graph on the GPU (brute force while ``random_state``
is set), with the same ``n_neighbors``, ``min_dist``, ``spread``, ``metric``, epochs and seed; a
layout to continue from is its ``init``. Its t-SNE takes our perplexity, early exaggeration (its
first 250 iterations), iterations, metric, seed and PCA start. The learning rate is the early
phase's (auto: as on the CPU, max(N / exaggeration, 50)); cuML runs the main phase at twice it,
its own rule (the CPU's auto rate goes from N / exaggeration to N).
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from . import gpu, tsne, umap_layout
from .cache import KeyCache, Slot, reduced_matrix
from .result import F32, Reporter
from .schema import WARM_EPOCHS


def run_umap(
    cache: KeyCache, matrix: np.ndarray, params: dict[str, Any], rep: Reporter
) -> tuple[F32, dict[str, Any]]:
    """UMAP coordinates computed by ``cuml.UMAP``."""
    import cuml

    x = reduced_matrix(cache, matrix, params["pca_dims"])
    n = x.shape[0]
    n_epochs = params["n_epochs"] or umap_layout.default_epochs(n)
    previous = rep.start if rep.start is not None else umap_layout.last_layout(cache, params)
    warm = previous is not None and previous.shape == (n, 2)
    if warm:
        n_epochs = min(n_epochs, WARM_EPOCHS)
        rep.continue_from_previous()
    rep.progress(0.0, "UMAP on the GPU", force=True)
    model = cuml.UMAP(
        n_neighbors=params["n_neighbors"],
        n_components=2,
        metric=params["metric"],
        n_epochs=n_epochs,
        min_dist=params["min_dist"],
        spread=params["spread"],
        init=umap_layout.scaled(previous) if warm and previous is not None else "spectral",
        random_state=params["random_state"],
        output_type="numpy",
    )
    coords = np.asarray(model.fit_transform(x), dtype=np.float32)
    rep.check()
    started = "previous" if warm else "spectral"
    return coords, {"n_epochs": n_epochs, "started_from": started, "device": gpu.device()}


def run_tsne(
    cache: KeyCache, matrix: np.ndarray, params: dict[str, Any], rep: Reporter
) -> tuple[F32, dict[str, Any]]:
    """t-SNE coordinates computed by ``cuml.TSNE``; continued layouts by the CPU runner."""
    n = matrix.shape[0]
    previous = cache.get(Slot.LAST, "tsne") if params["start"] == "previous" else None
    if rep.start is not None or (previous is not None and previous.shape == (n, 2)):
        return tsne.run(cache, matrix, params, rep)
    import cuml

    x = reduced_matrix(cache, matrix, params["pca_dims"])
    rate = params["learning_rate"] or max(n / params["early_exaggeration"], 50.0)
    total = params["n_iter"]
    # cuML 25.06 renamed n_iter to max_iter
    iterations = "max_iter" if "max_iter" in inspect.signature(cuml.TSNE).parameters else "n_iter"
    rep.progress(0.0, "t-SNE on the GPU", force=True)
    model = cuml.TSNE(
        n_components=2,
        perplexity=params["perplexity"],
        early_exaggeration=params["early_exaggeration"],
        exaggeration_iter=min(tsne.EARLY_EXAGGERATION_ITER, total),
        learning_rate=rate,
        learning_rate_method="none",  # "adaptive" would replace the perplexity and the rate
        n_neighbors=tsne.n_neighbors_for(params["perplexity"], n),
        metric=params["metric"],
        init="pca",
        random_state=params["random_state"],
        output_type="numpy",
        **{iterations: total},
    )
    coords = np.asarray(model.fit_transform(x), dtype=np.float32)
    rep.check()
    info = {
        "kl_divergence": _number(getattr(model, "kl_divergence_", None)),
        "neighbors": tsne.n_neighbors_for(params["perplexity"], n),
        "started_from": "pca",
        "n_iter": total,
        "device": gpu.device(),
    }
    return coords, info


def _number(value: Any) -> float | None:
    """A finite float, else None (the status goes to the browser as JSON, which has no NaN)."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if np.isfinite(out) else None
