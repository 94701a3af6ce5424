"""Bounded caches: a thread-safe LRU and the per-embedding store of reusable intermediate results.

Bounds (per :class:`KeyCache`, i.e. per embedding key): one PCA decomposition (and its scores),
2 PCA pre-reductions, 3 kNN graphs (one per metric/pre-reduction, each at the largest k asked),
4 UMAP fuzzy graphs, 4 UMAP initial layouts, 4 t-SNE affinity sets. Finished results live in the
Projector's own LRU (16 entries). A Projector keeps at most ``max_keys`` KeyCaches (LRU).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from enum import Enum
from typing import Any, ClassVar, Generic, TypeVar

import numpy as np

V = TypeVar("V")


class LRU(Generic[V]):
    """A small thread-safe least-recently-used mapping with a fixed number of entries."""

    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError(f"LRU maxsize must be >= 1, got {maxsize}")
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            if key not in self._data:
                return None
            self._data.move_to_end(key)
            return self._data[key]

    def put(self, key: Hashable, value: V) -> list[Hashable]:
        """Store a value; returns the keys evicted to stay within ``maxsize``."""
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            evicted = []
            while len(self._data) > self.maxsize:
                evicted.append(self._data.popitem(last=False)[0])
            return evicted

    def pop_where(self, pred: Callable[[Hashable], bool]) -> None:
        with self._lock:
            for k in [k for k in self._data if pred(k)]:
                del self._data[k]

    def keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


class Slot(str, Enum):
    """The kinds of reusable intermediate results a :class:`KeyCache` keeps."""

    PCA = "pca"  # the axes, the first pair's flag, every axis' scores
    REDUCED = "reduced"  # PCA pre-reductions
    KNN = "knn"
    GRAPH = "graph"  # UMAP fuzzy graphs
    INIT = "init"  # UMAP initial layouts
    AFFINITY = "affinity"  # t-SNE affinities
    LAST = "last"  # the last UMAP and t-SNE layouts shown, for start="previous"
    PREPARED = "prepared"  # the matrix standardized, normalized or spherized


class KeyCache:
    """Everything reusable computed from one embedding matrix (one caller key)."""

    SIZES: ClassVar[dict[Slot, int]] = {
        Slot.PCA: 3,
        Slot.REDUCED: 2,
        Slot.KNN: 3,
        Slot.GRAPH: 4,
        Slot.INIT: 4,
        Slot.AFFINITY: 4,
        Slot.LAST: 2,
        Slot.PREPARED: 2,
    }

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape
        self.checked = False  # finiteness / variance checked once per key
        self.scale_ratio: float | None = None  # for preprocess="auto", measured once per key
        self._stores: dict[Slot, LRU[Any]] = {k: LRU(n) for k, n in self.SIZES.items()}

    def get(self, slot: Slot, key: Hashable) -> Any:
        return self._stores[slot].get(key)

    def put(self, slot: Slot, key: Hashable, value: Any) -> None:
        self._stores[slot].put(key, value)

    def sizes(self) -> dict[str, int]:
        return {slot.value: len(store) for slot, store in self._stores.items()}


def reduced_matrix(cache: KeyCache, matrix: np.ndarray, pca_dims: int | None) -> np.ndarray:
    """The matrix itself, or its projection on the top ``pca_dims`` principal components."""
    if pca_dims is None or pca_dims >= min(matrix.shape):
        return matrix
    hit = cache.get(Slot.REDUCED, pca_dims)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    from sklearn.decomposition import PCA

    out = PCA(n_components=pca_dims, svd_solver="covariance_eigh").fit_transform(matrix)
    out = np.ascontiguousarray(out, dtype=np.float32)
    cache.put(Slot.REDUCED, pca_dims, out)
    return out
