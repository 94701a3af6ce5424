"""The data layer: ``Table`` (columns, kinds, smart defaults, the embedding matrix) and ``Image``
cells. Imports nothing from the projection engine, the session or the widget."""

from __future__ import annotations

from .keywords import reject_unknown, unknown_keywords
from .media import Image
from .table import Table

__all__ = ["Image", "Table", "reject_unknown", "unknown_keywords"]
