"""Projection results as pandas DataFrames: x, y beside the table's other columns."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import metadata
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from ..data import Table
    from ..projection import ProjectionResult

_LIBRARIES = ("embed_widget", "numpy", "pandas", "scikit-learn", "umap-learn", "openTSNE")


def projection_frame(
    table: Table, result: ProjectionResult, embedding: Sequence[str]
) -> pd.DataFrame:
    """``x``, ``y`` and every non-vector, non-image column, with the settings in ``attrs``."""
    frame = pd.DataFrame({"x": result.coords[:, 0], "y": result.coords[:, 1]})
    kinds = table.column_kinds
    for name in table.columns:
        if kinds[name] not in ("embedding", "image") and name not in ("x", "y"):
            frame[name] = table.get_column(name, convert_to="numpy")
    frame.attrs = {
        "algorithm": result.algorithm,
        "params": dict(result.params),
        "embedding": list(embedding),
        "notices": list(result.notices),
        "versions": library_versions(),
    }
    return frame


def library_versions() -> dict[str, str]:
    """Versions of the libraries that shape a projection, for reproducing it."""
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions
