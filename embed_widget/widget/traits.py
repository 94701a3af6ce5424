"""A trait holding row indices as a uint32 numpy array, synced to the frontend as raw bytes."""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets


def _to_json(value: np.ndarray, _widget: Any) -> bytes:
    return np.ascontiguousarray(value, dtype=np.uint32).tobytes()


def _from_json(value: Any, _widget: Any) -> np.ndarray:
    if value is None:
        return np.zeros(0, dtype=np.uint32)
    return np.frombuffer(bytes(value), dtype=np.uint32).copy()


class IndexArray(traitlets.TraitType[np.ndarray, Any]):
    """Sorted, unique row indices (uint32). Accepts any integer sequence or boolean mask."""

    info_text = "a sequence of row indices or a boolean mask"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(np.zeros(0, dtype=np.uint32), **kwargs)
        self.metadata.setdefault("to_json", _to_json)
        self.metadata.setdefault("from_json", _from_json)

    def validate(self, obj: Any, value: Any) -> np.ndarray:
        array = np.asarray(value if value is not None else [])
        if array.dtype == bool:
            array = np.flatnonzero(array)
        if array.size and not np.issubdtype(array.dtype, np.integer):
            self.error(obj, value)
        if array.ndim != 1:
            raise traitlets.TraitError(
                f"selection must be 1-D row indices, got shape {array.shape}"
            )
        if array.size and array.min() < 0:
            raise traitlets.TraitError(f"selection has a negative row index: {int(array.min())}")
        return np.unique(array.astype(np.uint32))

    def make_dynamic_default(self) -> np.ndarray:
        return np.zeros(0, dtype=np.uint32)


def _optional_to_json(value: np.ndarray | None, widget: Any) -> bytes | None:
    return None if value is None else _to_json(value, widget)


def _optional_from_json(value: Any, widget: Any) -> np.ndarray | None:
    return None if value is None else _from_json(value, widget)


class RowSubset(IndexArray):
    """Row indices (uint32, sorted, unique), or None for every row."""

    info_text = "None or a sequence of row indices or a boolean mask"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_none=True, **kwargs)
        self.metadata["to_json"] = _optional_to_json
        self.metadata["from_json"] = _optional_from_json
        self.default_value = None

    def make_dynamic_default(self) -> None:  # type: ignore[override]
        return None
