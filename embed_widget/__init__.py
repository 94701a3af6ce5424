"""embed_widget: look at a table of embeddings in 2D (PCA, UMAP, t-SNE) inside Jupyter.

>>> from embed_widget import Table, Image
>>> t = Table(dataframe=df)   # display(t) shows the projection; t.projection is its DataFrame
"""

from __future__ import annotations

import contextlib
import sys
import threading
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


def _import_widget() -> None:
    # (a failure is left to the cell that shows a table: it imports again, and says what failed)
    with contextlib.suppress(Exception):
        from . import widget  # noqa: F401  (the import is the point)


# In a Jupyter kernel the widget comes next: import it (anywidget and ipywidgets, ~0.4 s) in the
# background now rather than in the cell that first shows a table. A cell that needs it sooner
# waits on Python's import lock for the rest of that import, no longer.
if "ipykernel" in sys.modules:
    threading.Thread(target=_import_widget, name="embed_widget import", daemon=True).start()
