"""Column storage for ``Table``: one typed numpy array per column, built without per-row loops
where the input allows it.

A column has one *cell type*, fixed by its first non-missing value:

- ``number``: int/float cells, a 1-D int or float array (NaN = missing; ints with a missing
  value become float64);
- ``bool``, ``str``, ``image``: a 1-D object array, ``None`` = missing;
- ``vector``: a 2-D float32 array (one row per cell) plus a mask of missing rows;
- ``empty``: no value seen yet (all missing), a 1-D object array of ``None``.

Int and float mix; any other mix is a ``TypeError`` naming the column, the row and the value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from .media import Image

CellType = Literal["number", "bool", "str", "vector", "image", "empty"]
Array = np.ndarray[Any, Any]

ACCEPTED_CELLS = "int, float, bool, str, None, a vector (list or 1-D array of numbers) or an Image"
_TYPE_WORDS: dict[str, str] = {
    "number": "numbers (int or float)",
    "bool": "bools",
    "str": "str values",
    "vector": "vectors",
    "image": "Images",
    "empty": "only missing values",
}
_STACK_CHUNK = 8192  # rows per np.stack call: bounds the float64 temporaries of list cells


class LengthMismatchError(ValueError):
    """A vector whose length differs from the column's."""


@dataclass
class Column:
    """One column: its cell type, its stored values and the cells appended since (``pending``)."""

    name: str
    type: CellType
    values: Array
    missing: Array | None = None  # vector columns only: True where the cell is None
    dim: int | None = None  # vector columns only
    pending: list[Any] = field(default_factory=list)
    # keeps a source pandas Series alive: under copy-on-write its buffer (which ``values`` may
    # view) is then never written in place, so a later edit of the user's DataFrame cannot leak in
    owner: object = None
    # what was derived from ``values`` (missing mask, factorization), kept while ``values`` is
    # the same array: tables are scanned several times on the way to the first picture
    derived: dict[str, tuple[Array, Any]] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return int(self.values.shape[0]) + len(self.pending)

    def flush(self) -> None:
        """Move the pending cells into ``values``."""
        if not self.pending:
            return
        new = from_checked_cells(self.type, self.pending, self.dim)
        self.values, self.missing = _concat(self, new)
        self.pending = []
        self.owner = None

    def take(self, index: Array) -> None:
        """Keep only the rows in ``index`` (after a flush)."""
        self.values = self.values[index]
        if self.missing is not None:
            self.missing = self.missing[index]
        self.owner = None

    def missing_mask(self) -> Array:
        """Boolean mask of missing cells (flushed columns only; read-only)."""
        if self.type == "vector":
            if self.missing is None:
                return np.zeros(len(self.values), dtype=bool)
            return self.missing
        mask: Array = self._derive("missing", self._compute_missing)
        return mask

    def factorized(self) -> tuple[Array, Array]:
        """(codes, distinct values) of a 1-D column, as pandas' factorize gives them (-1 where
        missing), though not always in order of appearance."""
        codes, uniques = self._derive(
            "factorized", lambda: pd.factorize(self.values, use_na_sentinel=True)
        )
        return codes, uniques

    def remember(self, key: str, value: Any) -> None:
        """Record something already known about ``values`` (e.g. a Categorical's codes)."""
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
        self.derived[key] = (self.values, value)

    def _derive(self, key: str, compute: Any) -> Any:
        hit = self.derived.get(key)
        if hit is None or hit[0] is not self.values:
            self.remember(key, compute())
        return self.derived[key][1]

    def _compute_missing(self) -> Array:
        if self.type == "number" and self.values.dtype.kind != "f":
            return _no(self.values)
        return np.isnan(self.values) if self.type == "number" else np.asarray(pd.isna(self.values))


def _no(values: Array) -> Array:
    return np.zeros(len(values), dtype=bool)


def is_missing(value: object) -> bool:
    """None, NaN, pandas NA/NaT."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def classify(value: object) -> CellType | None:
    """The cell type of one value (``None`` when missing); TypeError for unsupported values."""
    if is_missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, Image):
        return "image"
    if isinstance(value, (list, tuple, np.ndarray)):
        return "vector"
    raise TypeError(f"unsupported value {_short(value)} ({type(value).__name__})")


def check_cell(
    name: str, row: int, value: object, ctype: CellType, dim: int | None
) -> tuple[object, CellType, int | None]:
    """Validate one cell against a column; returns (normalised cell, column type, vector dim)."""
    where = f"column {name!r}, row {row}"
    try:
        vtype = classify(value)
    except TypeError as exc:
        raise TypeError(f"{where}: {exc}; accepted: {ACCEPTED_CELLS}") from None
    if vtype is None:
        return None, ctype, dim
    if ctype not in ("empty", vtype):
        raise TypeError(
            f"{where}: {_short(value)} is a {vtype} value but the column holds "
            f"{_TYPE_WORDS[ctype]}; accepted: {_TYPE_WORDS[ctype]} or None"
        )
    if vtype == "number":
        return value.item() if isinstance(value, np.generic) else value, vtype, dim
    if vtype != "vector":
        return value, vtype, dim
    vec = to_vector(where, value)
    if dim is not None and vec.shape[0] != dim:
        raise LengthMismatchError(
            f"{where}: the vector has {vec.shape[0]} values where the others have {dim}"
        )
    return vec, vtype, vec.shape[0]


def to_vector(where: str, value: object) -> Array:
    """One vector cell -> 1-D float32 array."""
    try:
        vec = np.asarray(value, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{where}: the vector {_short(value)} is not all numbers ({exc}); "
            "accepted: a list or 1-D array of numbers"
        ) from None
    if vec.ndim != 1 or vec.shape[0] == 0:
        raise ValueError(
            f"{where}: a vector must be 1-D and non-empty, got shape {vec.shape}; "
            "accepted: a list or 1-D array of numbers"
        )
    return vec


def from_cells(name: str, cells: Sequence[Any] | Array, first_row: int = 0) -> Column:
    """A column from raw cell values (rows input, add_col lists, computed columns)."""
    ctype: CellType = "empty"
    dim: int | None = None
    checked: list[Any] = []
    lengths: dict[int, int] = {}
    for i, value in enumerate(cells):
        try:
            cell, ctype, dim = check_cell(name, first_row + i, value, ctype, dim)
        except LengthMismatchError:
            # report against the most common length, not just the first vector's
            lengths = lengths or _vector_lengths(cells)
            usual = max(lengths, key=lambda k: lengths[k])
            row = next(j for j, c in enumerate(cells) if _length(c) not in (usual, None))
            raise ValueError(
                f"column {name!r}, row {first_row + row}: the vector has "
                f"{_length(cells[row])} values where the others have {usual}"
            ) from None
        checked.append(cell)
    values, missing = from_checked_cells(ctype, checked, dim)
    return Column(name, ctype, values, missing, dim)


def _length(cell: object) -> int | None:
    return None if is_missing(cell) else len(np.asarray(cell).reshape(-1))


def _vector_lengths(cells: Sequence[Any] | Array) -> dict[int, int]:
    counts: dict[int, int] = {}
    for c in cells:
        n = _length(c)
        if n is not None:
            counts[n] = counts.get(n, 0) + 1
    return counts


def from_checked_cells(
    ctype: CellType, cells: list[Any], dim: int | None
) -> tuple[Array, Array | None]:
    """Values (and vector missing mask) from cells already normalised by ``check_cell``."""
    n = len(cells)
    if ctype == "number":
        if all(isinstance(c, int) for c in cells):
            return np.array(cells, dtype=np.int64), None
        return np.array([np.nan if c is None else c for c in cells], dtype=np.float64), None
    if ctype == "vector":
        assert dim is not None
        out = np.full((n, dim), np.nan, dtype=np.float32)
        missing = np.array([c is None for c in cells], dtype=bool)
        present = [c for c in cells if c is not None]
        if present:
            out[~missing] = np.stack(present)
        return out, (missing if missing.any() else None)
    arr = np.empty(n, dtype=object)
    arr[:] = cells
    return arr, None


def _concat(col: Column, new: tuple[Array, Array | None]) -> tuple[Array, Array | None]:
    old = col.values
    values, missing = new
    if col.type == "vector":
        assert col.dim is not None
        if old.ndim == 1:  # the column was empty (all None) until now
            old_missing: Array = np.ones(len(old), dtype=bool)
            old = np.full((len(old), col.dim), np.nan, dtype=np.float32)
        else:
            old_missing = col.missing if col.missing is not None else _no(old)
        new_missing = missing if missing is not None else _no(values)
        both = np.concatenate([old_missing, new_missing])
        return np.concatenate([old, values]), (both if both.any() else None)
    if col.type == "number" and old.dtype == object:  # was empty: None -> NaN
        old = np.full(len(old), np.nan)
    return np.concatenate([old, values]), None


def empty_column(name: str, n: int = 0) -> Column:
    return Column(name, "empty", np.full(n, None, dtype=object))


def from_array(name: str, arr: Array, owner: object = None) -> Column:
    """A column from a 1-D array (any dtype) or a 2-D numeric array (a vector column)."""
    kind = arr.dtype.kind
    if arr.ndim == 2 and kind in "iufb":
        if arr.shape[1] == 0:
            raise ValueError(f"column {name!r}: vectors must be non-empty, got shape {arr.shape}")
        return Column(name, "vector", np.ascontiguousarray(arr, dtype=np.float32), dim=arr.shape[1])
    if arr.ndim != 1:
        raise ValueError(
            f"column {name!r}: got a {arr.ndim}-D array of {arr.dtype}; "
            "accepted: a 1-D array of cells or a 2-D numeric array (one vector per row)"
        )
    if kind in "iuf":
        if kind == "f" and arr.dtype.itemsize < 4:
            arr = arr.astype(np.float32)
        return Column(name, "number", arr, owner=owner)
    if kind == "b":
        return Column(name, "bool", arr.astype(object))
    if kind in "US":
        return Column(name, "str", arr.astype(str).astype(object))
    if kind in "mM":
        text = arr.astype(str).astype(object)
        text[np.isnat(arr)] = None
        return Column(name, "str", text)
    if kind == "O":
        return _from_objects(name, arr, owner)
    raise TypeError(f"column {name!r}: unsupported dtype {arr.dtype}; accepted: {ACCEPTED_CELLS}")


def _from_objects(name: str, arr: Array, owner: object) -> Column:
    missing = pd.isna(arr)
    present = np.flatnonzero(~missing)
    if len(present) == 0:
        return empty_column(name, len(arr))
    first = arr[present[0]]
    if isinstance(first, (list, tuple, np.ndarray)) and not missing.any():
        fast = _stack_vectors(arr)
        if fast is not None:
            return Column(name, "vector", fast, dim=fast.shape[1])
    if not isinstance(first, (list, tuple, np.ndarray, Image)):
        inferred = pd.api.types.infer_dtype(arr, skipna=True)
        if inferred == "string":
            out = arr.copy()
            out[missing] = None
            return Column(name, "str", out)
        if inferred == "boolean":
            out = arr.copy()
            out[missing] = None
            return Column(name, "bool", out)
        if inferred == "integer" and not missing.any():
            return Column(name, "number", arr.astype(np.int64), owner=owner)
        if inferred in ("integer", "floating", "mixed-integer-float", "integer-na"):
            out = arr.copy()
            out[missing] = np.nan
            return Column(name, "number", out.astype(np.float64))
    return from_cells(name, arr)  # vectors with gaps, Images, or a mix: checked cell by cell


def _stack_vectors(arr: Array) -> Array | None:
    """Object array of equal-length numeric vectors -> N x D float32, in chunks (no row loop
    in Python; ``np.stack`` converts in C). None when any cell does not fit: the caller then
    checks cell by cell and reports the culprit."""
    try:
        dim = len(arr[0])
        if dim == 0:
            return None
        out = np.empty((len(arr), dim), dtype=np.float32)
        for start in range(0, len(arr), _STACK_CHUNK):
            chunk = arr[start : start + _STACK_CHUNK]
            np.stack(chunk.tolist(), out=out[start : start + _STACK_CHUNK], casting="same_kind")
    except (TypeError, ValueError):
        return None
    return out


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def cell_value(col: Column, i: int) -> object:
    """Row ``i``'s cell as a plain Python value (None when missing; vectors as numpy arrays)."""
    if col.type == "vector":
        missing = col.missing is not None and bool(col.missing[i])
        return None if missing else np.array(col.values[i])
    value = col.values[i]
    if col.type == "number":
        return None if np.isnan(value) else value.item()
    return value.item() if isinstance(value, np.generic) else value


def column_series(col: Column) -> Any:
    """A flushed column as the values of a pandas column: Image cells stay Images, vector cells
    become 1-D arrays (a copy), bools stay bools where none is missing."""
    n = len(col)
    if col.type == "vector":
        cells = np.empty(n, dtype=object)
        copy = np.array(col.values)
        for i in range(n):  # object cells: numpy cannot fill them without a loop
            cells[i] = None if col.missing is not None and col.missing[i] else copy[i]
        return pd.Series(cells, dtype=object)
    if col.type == "bool" and not pd.isna(col.values).any():
        return col.values.astype(bool)
    if col.type in ("number", "str"):
        return np.array(col.values)
    return pd.Series(col.values, dtype=object)
