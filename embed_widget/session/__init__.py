"""The session layer: the link between one table and its projections (no traitlets, no widget).

- :class:`ProjectionSession`: one per table (:func:`session_for`): one cache, one default
  algorithm, the embedding matrix, synchronous ``project``.
- :class:`LiveProjection`: one per view: its requests (de-duplicated, the latest wins), the PCA
  preview, its status, its parameter memory and its result.
"""

from __future__ import annotations

from .cluster import Cluster
from .export import library_versions, projection_frame
from .live import Listener, LiveProjection
from .requests import Settings
from .session import MIN_ROWS_FOR_UMAP, ProjectionSession, default_algorithm, session_for
from .status import Status

__all__ = [
    "MIN_ROWS_FOR_UMAP",
    "Cluster",
    "Listener",
    "LiveProjection",
    "ProjectionSession",
    "Settings",
    "Status",
    "default_algorithm",
    "library_versions",
    "projection_frame",
    "session_for",
]
