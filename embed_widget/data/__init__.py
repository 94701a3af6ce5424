"""The data layer: ``Table`` (columns, kinds, smart defaults, the embedding matrix) and ``Image``
cells. Imports nothing from the projection engine, the session or the widget."""

from __future__ import annotations

from .keywords import unknown_keywords
from .media import Image
from .table import Table

__all__ = ["Image", "Table", "unknown_keywords"]
