"""Projection engine: PCA, UMAP and t-SNE of an N x D float32 matrix, cached and cancellable.

Pure numpy / scipy / scikit-learn / numba / faiss / openTSNE, no widget code. UMAP is ours
(umap-learn's algorithm, tested against it); numba, faiss and openTSNE are imported lazily
(importing this package stays fast).

- :func:`param_schema` / :func:`validate_params`: the single source of truth for parameters.
- :class:`Projector`: synchronous projection with caches (one per table).
- :class:`ProjectionEngine`: runs a Projector in one background thread; latest request wins.
- :func:`warm_up` / :func:`warm_up_in_background`: compile the UMAP kernel early, in the background.
"""

from __future__ import annotations

from .engine import ProjectionEngine, warm_up, warm_up_in_background
from .projector import Projector
from .result import Cancelled, ProjectionResult
from .schema import ALGORITHMS, METRICS, check_params, data_limits, param_schema, validate_params

__all__ = [
    "ALGORITHMS",
    "METRICS",
    "Cancelled",
    "ProjectionEngine",
    "ProjectionResult",
    "Projector",
    "check_params",
    "data_limits",
    "param_schema",
    "validate_params",
    "warm_up",
    "warm_up_in_background",
]
