"""UMAP and t-SNE on the GPU with cuML, in the CPU runners' contract (:mod:`.gpu` says when).

Each takes the validated parameters the CPU runner takes and returns N x 2 float32 coordinates and
an ``info`` with the same keys, plus ``device``. cuML lays out in one call: no frames stream (it
takes seconds where the CPU takes minutes) and a stop is seen before and after it. What cuML
cannot do stays on the CPU: t-SNE continued from a layout (cuML starts only from "random" or
"pca"), and UMAP continued from one before cuML 26.02 (which took an array as ``init`` first).
A failed call (out of memory, a driver error, a layout that is not finite) raises
:class:`~.gpu.GpuFailed`; the projector then computes it on the CPU.

cuML's UMAP builds its own exact neighbour graph on the GPU (brute force: its NN-descent knows
only euclidean and cosine, and is not deterministic), with the same ``n_neighbors``,
``min_dist``, ``spread``, ``metric``, epochs and seed; a layout to continue from is its
``init``. Its t-SNE takes our perplexity, early exaggeration (its first 250 iterations),
iterations, metric, seed and PCA start. The learning rate is the early phase's (auto: as on the
CPU, max(N / exaggeration, 50)); cuML runs the main phase at twice it, its own rule (the CPU's
auto rate goes from N / exaggeration to N).
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from . import gpu, tsne, umap_layout
from .cache import KeyCache, Slot, reduced_matrix
from .result import F32, Reporter
from .schema import WARM_EPOCHS

#: cuML took a layout as UMAP's ``init`` from this version on (rapidsai/cuml#7651).
WARM_INIT_VERSION = (26, 2)


def run_umap(
    cache: KeyCache, matrix: np.ndarray, params: dict[str, Any], rep: Reporter
) -> tuple[F32, dict[str, Any]]:
    """UMAP coordinates computed by ``cuml.UMAP``."""
    x = reduced_matrix(cache, matrix, params["pca_dims"])
    n = x.shape[0]
    previous = rep.start if rep.start is not None else umap_layout.last_layout(cache, params)
    warm = previous is not None and previous.shape == (n, 2)
    if warm and not gpu.version_at_least(WARM_INIT_VERSION):
        return umap_layout.run(cache, matrix, params, rep)
    n_epochs = params["n_epochs"] or umap_layout.default_epochs(n)
    if warm:
        n_epochs = min(n_epochs, WARM_EPOCHS)
        rep.continue_from_previous()
    rep.progress(0.0, "UMAP on the GPU", force=True)
    settings = {
        "n_neighbors": params["n_neighbors"],
        "n_components": 2,
        "metric": params["metric"],
        "n_epochs": n_epochs,
        "min_dist": params["min_dist"],
        "spread": params["spread"],
        "init": umap_layout.scaled(previous) if warm and previous is not None else "spectral",
        "random_state": params["random_state"],
        "build_algo": "brute_force_knn",
        "output_type": "numpy",
    }
    coords, _ = _fit("UMAP", settings, x)
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
    total = params["n_iter"]
    # cuML 25.12 renamed n_iter to max_iter
    iterations = "max_iter" if "max_iter" in inspect.signature(cuml.TSNE).parameters else "n_iter"
    rep.progress(0.0, "t-SNE on the GPU", force=True)
    settings = {
        "n_components": 2,
        "perplexity": params["perplexity"],
        "early_exaggeration": params["early_exaggeration"],
        "exaggeration_iter": min(tsne.EARLY_EXAGGERATION_ITER, total),
        "learning_rate": params["learning_rate"] or max(n / params["early_exaggeration"], 50.0),
        "learning_rate_method": "none",  # "adaptive" would replace the perplexity and the rate
        "n_neighbors": tsne.n_neighbors_for(params["perplexity"], n),
        "metric": params["metric"],
        "init": "pca",
        "random_state": params["random_state"],
        "output_type": "numpy",
        iterations: total,
    }
    coords, model = _fit("TSNE", settings, x)
    rep.check()
    info = {
        "kl_divergence": _number(getattr(model, "kl_divergence_", None)),
        "neighbors": tsne.n_neighbors_for(params["perplexity"], n),
        "started_from": "pca",
        "n_iter": total,
        "device": gpu.device(),
    }
    return coords, info


def _fit(estimator: str, settings: dict[str, Any], x: np.ndarray) -> tuple[F32, Any]:
    """``cuml.<estimator>(**settings).fit_transform(x)`` as checked float32 coordinates, and the
    fitted model; any failure (or a layout with NaN or collapsed to a point) raises
    :class:`~.gpu.GpuFailed`."""
    import cuml

    try:
        model = getattr(cuml, estimator)(**settings)
        coords = np.asarray(model.fit_transform(x), dtype=np.float32)
    except Exception as exc:
        raise gpu.failed(exc) from exc
    if coords.shape != (x.shape[0], 2) or not np.isfinite(coords).all():
        raise gpu.failed(RuntimeError(f"cuML's {estimator} gave a layout with NaN or infinity"))
    if not np.ptp(coords, axis=0).max() > 1e-12:
        raise gpu.failed(RuntimeError(f"cuML's {estimator} collapsed every point to one place"))
    return coords, model


def _number(value: Any) -> float | None:
    """A finite float, else None (the status goes to the browser as JSON, which has no NaN)."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if np.isfinite(out) else None
