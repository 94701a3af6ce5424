"""A subset of a table's rows projected on its own ("isolate": ``view.subset``).

The layout keeps one point per table row, so every row index (hover, selection, search, colours)
stays the table's: the rows outside the subset sit at the subset's centre and the view hides them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np

Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class Rows:
    """Sorted, unique row indices, and a digest naming them in cache keys."""

    indices: Array
    digest: str

    @classmethod
    def of(cls, data: bytes | None) -> Rows | None:
        """The rows in ``data`` (uint32 bytes), or None for every row."""
        if data is None:
            return None
        indices = np.frombuffer(data, dtype=np.uint32)
        return cls(indices, hashlib.blake2b(data, digest_size=8).hexdigest())

    def __len__(self) -> int:
        return len(self.indices)


def expand(coords: Array, rows: Rows | None, n_rows: int, fill: float | None = None) -> Array:
    """Coordinates for every table row: the subset's own, and the others at ``fill`` (default:
    the subset's centre, so a drawn layout keeps its extent)."""
    if rows is None:
        return coords
    out = np.empty((n_rows, coords.shape[1]), dtype=coords.dtype)
    out[:] = coords.mean(axis=0) if fill is None else fill
    out[rows.indices[rows.indices < n_rows]] = coords[: int((rows.indices < n_rows).sum())]
    return out


def outside(rows: Rows | None, n_rows: int) -> Array | None:
    """Boolean mask of the rows not in the subset (None: every row is in)."""
    if rows is None:
        return None
    mask = np.ones(n_rows, dtype=bool)
    mask[rows.indices[rows.indices < n_rows]] = False
    return mask
