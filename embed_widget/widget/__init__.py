"""The widget layer: ``EmbeddingView`` (traits and observers), the wire protocol, colour
encodings and replies to the frontend's fetches."""

from __future__ import annotations

from .view import EmbeddingView

__all__ = ["EmbeddingView"]
