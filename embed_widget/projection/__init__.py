"""Projection engine: PCA, UMAP and t-SNE of an N x D float32 matrix, cached and cancellable.

Pure numpy / scikit-learn / umap-learn / openTSNE, no widget code. umap and openTSNE are imported
lazily (importing this package stays fast).

- :func:`param_schema` / :func:`validate_params`: the single source of truth for parameters.
- :class:`Projector`: synchronous projection with caches (one per table).
- :class:`ProjectionEngine`: runs a Projector in one background thread; latest request wins.
- :func:`warm_up` / :func:`warm_up_in_background`: pay umap's JIT early, on tiny data.
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
