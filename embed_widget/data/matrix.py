"""Assembling the embedding matrix from stored columns, and its error messages."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .columns import Array, CellType, Column

_CHUNK_CELLS = 1 << 18  # cells per block of rows: stays in cache and bounds the temporaries


def not_numeric(col: Column, kind: str) -> str:
    missing = col.missing_mask()
    first = int(np.argmin(missing)) if not missing.all() else None
    example = f", e.g. row {first}: {col.values[first]!r}" if first is not None else ""
    return (
        f"column {col.name!r} is {kind} ({col.type} cells{example}) and cannot be used as "
        "numeric; accepted: numeric (int/float) or embedding (vector) columns"
    )


def fill(n: int, cols: list[Column], widths: list[int]) -> Array:
    """Copy the columns into one float32 matrix, a block of rows at a time: writing whole
    columns into a row-major matrix strides through memory and runs ~4x slower. A lone vector
    column stored as float32 is not copied: its read-only view is the matrix."""
    view = shared(cols)
    if view is not None:
        return view
    out = np.empty((n, sum(widths)), dtype=np.float32)
    step = max(1, _CHUNK_CELLS // max(1, out.shape[1]))
    # runs of neighbouring scalar columns are written by one np.stack each
    runs: list[tuple[int, list[Column]]] = []
    start = 0
    for col, width in zip(cols, widths, strict=True):
        if col.type == "number" and runs and runs[-1][1][-1].type == "number":
            runs[-1][1].append(col)
        else:
            runs.append((start, [col]))
        start += width
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        for first, run in runs:
            if run[0].type == "vector":
                out[lo:hi, first : first + (run[0].dim or 1)] = run[0].values[lo:hi]
            else:
                dest = out[lo:hi, first : first + len(run)]
                np.stack([c.values[lo:hi] for c in run], axis=1, out=dest, casting="same_kind")
    return out


def shared(cols: list[Column]) -> Array | None:
    """A read-only view of a lone vector column's array, when it can be the matrix as is (the
    table already stores it as float32, C-contiguous): a 200k x 768 matrix is then 614 MB once,
    not twice, and costs no copy. Read-only, so no projection step can write into the table."""
    if len(cols) != 1 or cols[0].type != "vector" or cols[0].missing is not None:
        return None
    values = cols[0].values
    if values.dtype != np.float32 or not values.flags.c_contiguous or values.ndim != 2:
        return None
    view = values.view()
    view.flags.writeable = False
    return view


def bad_rows(out: Array) -> Array:
    ok = np.empty(out.shape[0], dtype=bool)
    step = max(1, _CHUNK_CELLS // max(1, out.shape[1]))
    for lo in range(0, out.shape[0], step):
        ok[lo : lo + step] = np.isfinite(out[lo : lo + step]).all(axis=1)
    return np.flatnonzero(~ok)


def invalid_message(
    out: Array, bad: Array, cols: list[Column], widths: list[int], drop: bool
) -> str:
    owner = [c.name for c, w in zip(cols, widths, strict=True) for _ in range(w)]
    bad_cols = np.flatnonzero(~np.isfinite(out[bad[:100]]).all(axis=0))
    names = list(dict.fromkeys(owner[j] for j in bad_cols))
    hint = (
        "" if drop else "; or pass drop_invalid=True to Table(...) to drop such rows with a warning"
    )
    return (
        f"NaN, inf or missing value in the embedding: {len(bad)} row(s), first rows "
        f"{bad[:10].tolist()}, in column(s) {names}; accepted: finite numbers{hint}"
    )


def default_embedding(types: Mapping[str, CellType]) -> list[str]:
    """The default embedding columns: the first vector column, else every number column."""
    vectors = [n for n, t in types.items() if t == "vector"]
    return vectors[:1] if vectors else [n for n, t in types.items() if t == "number"]


def finite_cell(cell: object) -> bool:
    """Whether an embedding cell is present and all finite."""
    return cell is not None and bool(np.isfinite(np.asarray(cell, dtype=np.float64)).all())


def finite_rows(n: int, cols: list[Column]) -> Array:
    """Boolean mask of the rows whose values in ``cols`` (flushed) are all finite."""
    ok = np.ones(n, dtype=bool)
    for col in cols:
        vals = col.values if col.values.dtype.kind == "f" else col.values.astype(np.float64)
        ok &= np.isfinite(vals).all(axis=1) if vals.ndim == 2 else np.isfinite(vals)
    return ok
