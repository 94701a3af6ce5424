"""Projection results as pandas DataFrames: x, y beside the table's other columns."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from importlib import metadata
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..data import Table
    from ..projection import ProjectionResult

_LIBRARIES = ("embed_widget", "numpy", "pandas", "scikit-learn", "numba", "faiss-cpu", "openTSNE")


def projection_frame(
    table: Table, result: ProjectionResult, embedding: Sequence[str]
) -> pd.DataFrame:
    """``x``, ``y`` and every non-vector, non-image column, with the settings in ``attrs``.

    The table's own columns named ``x`` or ``y`` are kept as ``x_column`` / ``y_column`` (with a
    warning; ``attrs["renamed"]`` maps them)."""
    frame = pd.DataFrame({"x": result.coords[:, 0], "y": result.coords[:, 1]})
    placed = result.info.get("placed")
    if placed:  # rows placed into the layout of the others, not fitted with them
        frame["placed"] = np.arange(len(frame)) >= placed["fitted"]
    kinds = table.column_kinds
    renamed = _renamed(table.columns, tuple(frame.columns))
    for name in table.columns:
        if kinds[name] not in ("embedding", "image"):
            frame[renamed.get(name, name)] = table.get_column(name, convert_to="numpy")
    if renamed:
        listing = ", ".join(f"{a!r} -> {b!r}" for a, b in renamed.items())
        warnings.warn(
            f"the table's columns named like the coordinates are renamed: {listing}",
            UserWarning,
            stacklevel=3,
        )
    frame.attrs = {
        "algorithm": result.algorithm,
        "params": dict(result.params),
        "embedding": list(embedding),
        "notices": list(result.notices),
        "placed": dict(placed) if placed else None,
        # a training step's layout: which, and what it started from (see session/steps.py)
        "step": dict(result.info["step"]) if "step" in result.info else None,
        # fitted on a sample, the other rows placed on a Dask cluster (projection/distributed.py)
        "distributed": dict(result.info["distributed"]) if "distributed" in result.info else None,
        # "cpu", or the GPU that computed it: "cuML <version> on <GPU>" (projection/gpu.py)
        "device": result.info.get("device", "cpu"),
        "versions": library_versions(),
        "renamed": renamed,
    }
    return frame


def _renamed(columns: list[str], ours: tuple[str, ...]) -> dict[str, str]:
    """New names for the table's columns called ``x`` or ``y`` (the coordinates' names)."""
    taken, out = set(columns) | set(ours), dict[str, str]()
    for name in ours:
        if name in columns:
            new = f"{name}_column"
            while new in taken:
                new += "_"
            taken.add(new)
            out[name] = new
    return out


def library_versions() -> dict[str, str]:
    """Versions of the libraries that shape a projection, for reproducing it."""
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions
