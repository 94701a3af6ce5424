"""DataFrame inputs for ``Table``: pandas, polars and pyarrow, converted column by column.

Direct conversion (no narwhals): each library already hands out numpy arrays per column, usually
without a copy, and its vector types (polars ``Array``, arrow ``fixed_size_list``) map straight to a
2-D array. A detour through pandas would copy every column and turn vector columns into one Python
object per row. polars and pyarrow are never imported: they are recognised by their type's module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from .columns import Array, Column, from_array, from_cells


def frame_kind(obj: object) -> str | None:
    """The library ("pandas", "polars" or "pyarrow") of a supported DataFrame, else None."""
    if isinstance(obj, pd.DataFrame):
        return "pandas"
    module = type(obj).__module__.split(".")[0]
    if module == "polars" and hasattr(obj, "get_columns"):
        return "polars"
    if module == "pyarrow" and hasattr(obj, "column_names") and hasattr(obj, "num_rows"):
        return "pyarrow"
    return None


def columns_from_frame(frame: Any) -> tuple[list[Column], int]:
    """The columns of a DataFrame and its number of rows."""
    kind = frame_kind(frame)
    if kind == "pandas":
        cols = [_from_pandas(str(name), frame.iloc[:, i]) for i, name in enumerate(frame.columns)]
        return cols, len(frame)
    if kind == "polars":
        return [_from_polars(s) for s in frame.get_columns()], frame.height
    if kind == "pyarrow":
        cols = [_from_arrow(str(n), frame.column(i)) for i, n in enumerate(frame.column_names)]
        return cols, frame.num_rows
    raise TypeError(
        f"unsupported table input {type(frame).__name__}; "
        "accepted: a pandas or polars DataFrame or a pyarrow Table"
    )


def _from_pandas(name: str, s: pd.Series) -> Column:
    dt = s.dtype
    if isinstance(dt, pd.CategoricalDtype):
        return _from_categorical(name, s)
    if pd.api.types.is_bool_dtype(dt):
        if s.hasnans:
            return from_array(name, _objects(s))
        return from_array(name, s.to_numpy(dtype=bool))
    if pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_complex_dtype(dt):
        if isinstance(dt, np.dtype):
            return from_array(name, s.to_numpy(), owner=s)  # a view of the frame's block
        if s.hasnans:  # nullable / arrow-backed numbers with <NA>
            return from_array(name, s.to_numpy(dtype=np.float64, na_value=np.nan))
        return from_array(name, s.to_numpy(dtype=getattr(dt, "numpy_dtype", np.float64)))
    if pd.api.types.is_string_dtype(dt) and not pd.api.types.is_object_dtype(dt):
        return from_array(name, _objects(s))
    if pd.api.types.is_object_dtype(dt):
        return from_array(name, s.to_numpy(), owner=s)
    # datetimes, periods, intervals...: shown as text
    text = s.astype(str).to_numpy(dtype=object, copy=True)
    text[s.isna().to_numpy()] = None
    return from_array(name, text)


def _from_categorical(name: str, s: pd.Series) -> Column:
    """Labels of a pandas Categorical. Its codes are its factorization, and reused as such: at 1M
    rows, factorizing its labels again and finding the missing ones took ~0.3 s."""
    cats = s.cat.categories
    if pd.api.types.infer_dtype(cats, skipna=True) != "string":
        return from_array(name, _objects(s.astype(object)))  # numbers or dates as categories
    codes = s.cat.codes.to_numpy()
    missing = codes < 0
    present = codes[~missing]
    used = np.flatnonzero(np.bincount(present, minlength=len(cats)))  # unused ones are no value
    renumber = np.full(len(cats) + 1, -1, dtype=np.int64)  # (slot -1: missing stays -1)
    renumber[used] = np.arange(len(used))
    labels = cats.to_numpy(dtype=object)
    values = np.empty(len(codes), dtype=object)
    values[~missing] = labels[present]
    values[missing] = None
    col = Column(name, "str", values)
    col.remember("missing", missing)
    col.remember("factorized", (renumber[codes], labels[used]))
    return col


def _from_polars(s: Any) -> Column:
    name = str(s.name)
    dtype = s.dtype
    base = getattr(dtype, "base_type", lambda: dtype)()
    tname = str(base).split("(")[0]
    if tname == "Array" and s.null_count() == 0:
        return from_array(name, np.asarray(s.to_numpy()))
    if tname in ("Array", "List"):
        return from_cells(name, s.to_list())
    if tname in ("Categorical", "Enum") or base.is_temporal():
        s = s.cast(str)  # polars accepts the Python type for its String dtype
    return from_array(name, np.asarray(s.to_numpy()), owner=s)


def _from_arrow(name: str, chunked: Any) -> Column:
    import pyarrow as pa  # only reached with a pyarrow Table in hand

    typ = chunked.type
    if pa.types.is_dictionary(typ):
        chunked = chunked.cast(typ.value_type)
        typ = chunked.type
    if pa.types.is_temporal(typ):
        chunked = chunked.cast(pa.string())
        typ = chunked.type
    if pa.types.is_fixed_size_list(typ) and chunked.null_count == 0:
        flat = chunked.combine_chunks()
        values = flat.flatten().to_numpy(zero_copy_only=False)
        return from_array(name, values.reshape(len(flat), typ.list_size))
    if pa.types.is_list(typ) or pa.types.is_large_list(typ) or pa.types.is_fixed_size_list(typ):
        return from_cells(name, chunked.to_pylist())
    return from_array(name, np.asarray(chunked.to_numpy()), owner=chunked)


def _objects(s: pd.Series) -> Array:
    """An object array with None (not NaN or <NA>) for missing cells."""
    arr = s.to_numpy(dtype=object, copy=True)
    arr[pd.isna(arr)] = None
    return arr


def columns_from_rows(columns: Any, data: Any) -> tuple[list[Column], int]:
    if isinstance(data, np.ndarray) and data.ndim == 2:
        names = (
            column_names(columns) if columns is not None else [str(i) for i in range(data.shape[1])]
        )
        if len(names) != data.shape[1]:
            raise ValueError(
                f"Table: data has {data.shape[1]} columns but {len(names)} names were given"
            )
        cols = [from_array(n, np.array(data[:, j])) for j, n in enumerate(names)]
        return cols, data.shape[0]
    rows: list[list[Any]] = []
    for i, r in enumerate(data):
        if not isinstance(r, (list, tuple, np.ndarray)):
            raise TypeError(
                f"Table: row {i} is a {type(r).__name__}; accepted: data as a list of rows "
                "(lists of cells) or a 2-D array"
            )
        rows.append(list(r))
    width = len(rows[0]) if rows else 0
    names = column_names(columns) if columns is not None else [str(i) for i in range(width)]
    for i, r in enumerate(rows):
        if len(r) != len(names):
            raise ValueError(
                f"Table: row {i} has {len(r)} values but there are {len(names)} columns "
                f"{names}; pass one value per column"
            )
    cols = [from_cells(n, [r[j] for r in rows]) for j, n in enumerate(names)]
    return cols, len(rows)


def column_from_values(name: str, data: Any) -> Column:
    """A column for ``add_col``: a list, a Series, a 1-D array or an N x D array."""
    if not isinstance(name, str):
        raise TypeError(f"add_col: the name must be a str, not {type(name).__name__}")
    if isinstance(data, pd.Series):
        return columns_from_frame(data.to_frame(name))[0][0]
    if isinstance(data, np.ndarray) and data.dtype != object:
        return from_array(name, np.array(data))
    return from_cells(name, list(data))


def column_names(columns: Iterable[Any]) -> list[str]:
    """Names as str; a bare str is refused (it would be read as one name per letter)."""
    if isinstance(columns, str):
        raise TypeError(f"Table: columns must be a list of names, not the str {columns!r}")
    return [str(c) for c in columns]
