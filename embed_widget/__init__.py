"""embed_widget: look at a table of embeddings in 2D (PCA, UMAP, t-SNE) inside Jupyter.

>>> from embed_widget import Table, Image
>>> t = Table(dataframe=df)   # display(t) shows the projection; t.projection is its DataFrame
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .data import Image
from .errors import InvalidSetting
from .table import Table

if TYPE_CHECKING:
    from .widget import EmbeddingView
    from .widget.compare import Comparison, compare

__all__ = ["Comparison", "EmbeddingView", "Image", "InvalidSetting", "Table", "compare"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # The widget pulls in anywidget; a script that only builds tables or projects need not.
    if name == "EmbeddingView":
        from .widget import EmbeddingView

        return EmbeddingView
    if name in ("compare", "Comparison"):
        from .widget import compare as linked

        return getattr(linked, name)
    raise AttributeError(f"module 'embed_widget' has no attribute {name!r}")
