"""Exact nearest neighbours of one row in the original (high-dimensional) space.

One query is a matrix-vector product over every row (BLAS), then a partial sort: exact, and
~10 ms at 100k x 384 float32 here. Cosine and correlation use unit (centred) rows, prepared once
per matrix and metric.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .knn import prepare as unit_rows

#: Metrics a neighbour query accepts.
METRICS = ("euclidean", "cosine", "correlation", "manhattan")
Array = np.ndarray[Any, Any]


class NeighborIndex:
    """Answers "which rows are nearest to row i" exactly, for one embedding matrix."""

    def __init__(self, matrix: Array) -> None:
        self.matrix = matrix
        self._prepared: dict[str, Array] = {}

    def query(self, row: int, k: int, metric: str) -> tuple[Array, Array]:
        """The ``k`` rows nearest to ``row`` (itself excluded) and their distances, nearest
        first. Ties keep the lower row first."""
        if metric not in METRICS:
            raise ValueError(f"metric {metric!r} is not supported; accepted: {', '.join(METRICS)}")
        n = self.matrix.shape[0]
        if not 0 <= row < n:
            raise IndexError(f"row {row} is out of range: the table has {n} rows")
        k = max(0, min(int(k), n - 1))
        distances = self._distances(row, metric)
        distances[row] = np.inf
        if k == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        nearest = np.argpartition(distances, k - 1)[:k]
        order = np.lexsort((nearest, distances[nearest]))
        nearest = nearest[order]
        return nearest.astype(np.int64), distances[nearest].astype(np.float64)

    def ranking(self, rows: Array, metric: str) -> Array:
        """For each of ``rows``, a value per row that orders the rows as their distance from it
        does (len(rows) x N, float32; one matrix product for euclidean and cosine): squared
        distances, or 1 - cosine."""
        if metric not in METRICS:
            raise ValueError(f"metric {metric!r} is not supported; accepted: {', '.join(METRICS)}")
        rows = np.asarray(rows, dtype=np.int64)
        if metric == "manhattan":
            return np.stack([self._distances(int(r), metric) for r in rows]).astype(np.float32)
        data, squared = self._prepare(metric)
        dots = data[rows] @ data.T
        if metric in ("cosine", "correlation"):
            out: Array = 1.0 - dots
        else:
            out = squared.astype(np.float32)[None, :] - 2.0 * dots
            out += squared[rows, None].astype(np.float32)
        return out

    def _distances(self, row: int, metric: str) -> Array:
        out: Array
        if metric == "manhattan":
            out = np.abs(self.matrix - self.matrix[row]).sum(axis=1, dtype=np.float64)
            return out
        data, squared = self._prepare(metric)
        dots = (data @ data[row]).astype(np.float64)
        if metric in ("cosine", "correlation"):
            out = np.maximum(1.0 - dots, 0.0)
        else:
            out = np.sqrt(np.maximum(squared + squared[row] - 2.0 * dots, 0.0))
        return out

    def _prepare(self, metric: str) -> tuple[Array, Array]:
        # cosine / correlation: unit (centred) rows, as the kNN graphs use them
        key = metric if metric in ("cosine", "correlation") else ""
        if key and key not in self._prepared:
            self._prepared[key] = unit_rows(self.matrix, metric)[0]
        data = self._prepared[key] if key else self.matrix
        if "squared" not in self._prepared:
            x = self.matrix
            self._prepared["squared"] = np.einsum("ij,ij->i", x, x, dtype=np.float64)
        return data, self._prepared["squared"]
