"""``Table``: the columnar embedding table, with W&B's constructors, column kinds and defaults.
Data only: it announces changes to its subscribers; ``embed_widget.Table`` adds the projection."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import categories, ingest, matrix
from .columns import (
    Array,
    Column,
    cell_value,
    check_cell,
    column_series,
    empty_column,
    from_cells,
)
from .keywords import unknown_keywords
from .kinds import Kind, column_kind, n_distinct

#: The default colour column is the first categorical column with at most this many categories.
MAX_COLOR_CATEGORIES = 50


class Table:
    """A table of embeddings and their metadata, stored column by column.

    Parameters
    ----------
    columns
        Column names (with ``data`` as rows, or alone for an empty table filled by ``add_data``).
        A DataFrame passed here (``Table(df)``) is taken as ``dataframe``.
    data
        Rows: a list of rows (each a list of cells, one per column) or a 2-D numpy array. Cells are
        int, float, bool, str, None (missing), a vector (list or 1-D array of numbers: an embedding)
        or an :class:`~embed_widget.media.Image`.
    dataframe
        A pandas or polars DataFrame or a pyarrow Table. Numeric columns are viewed, not copied;
        a column of equal-length vectors becomes one N x D float32 array.
    drop_invalid
        Rows whose default embedding (see :attr:`default_embedding_columns`) holds NaN, inf or a
        missing value are dropped with a warning when they enter the table, instead of making
        :meth:`embedding_matrix` raise.

    Notes
    -----
    A column's cell type is fixed by its first non-missing value; ints and floats mix, any other
    mix raises ``TypeError``. Vectors are stored as float32.
    """

    def __init__(
        self,
        columns: Sequence[str] | Any = None,
        data: Sequence[Sequence[Any]] | Array | Any = None,
        dataframe: Any = None,
        *,
        drop_invalid: bool = False,
        **unknown: Any,
    ) -> None:
        if unknown:
            raise TypeError(unknown_keywords("Table", unknown, _ACCEPTED))
        if columns is not None and ingest.frame_kind(columns) is not None:
            columns, dataframe = None, _only(dataframe, columns)
        if data is not None and ingest.frame_kind(data) is not None:
            data, dataframe = None, _only(dataframe, data)
        self._drop = bool(drop_invalid)
        self._version = 0
        self._rows_rewritten = 0  # the version at which rows were last dropped
        self._lock = threading.RLock()  # rows are added in one thread, read in others
        self._subscribers: list[Callable[[], None]] = []
        self._kinds: tuple[int, dict[str, Kind]] | None = None
        if dataframe is not None:
            if columns is not None or data is not None:
                raise TypeError("Table: pass either dataframe or columns/data, not both")
            cols, n = ingest.columns_from_frame(dataframe)
        elif data is not None:
            cols, n = ingest.columns_from_rows(columns, data)
        else:
            names = ingest.column_names(columns if columns is not None else [])
            cols, n = [empty_column(name) for name in names], 0
        self._cols: dict[str, Column] = {}
        for col in cols:
            if col.name in self._cols:
                raise ValueError(f"Table: duplicate column name {col.name!r}")
            self._cols[col.name] = col
        self._n = n
        self._drop_invalid_rows()

    # --- shape ------------------------------------------------------------------------------------

    @property
    def columns(self) -> list[str]:
        """Column names, in order."""
        return list(self._cols)

    def __len__(self) -> int:
        return self._n

    @property
    def version(self) -> int:
        """Increments on every change of the data: caches key on it."""
        return self._version

    def rows_kept_since(self, version: int) -> bool:
        """Whether every row the table had at ``version`` is still there, in place: since then,
        rows were only appended and columns added (no row dropped)."""
        return version >= self._rows_rewritten

    def __repr__(self) -> str:
        kinds = ", ".join(f"{n}: {k}" for n, k in list(self.column_kinds.items())[:8])
        more = ", ..." if len(self._cols) > 8 else ""
        return f"Table({self._n} rows x {len(self._cols)} columns; {kinds}{more})"

    # --- adding data ------------------------------------------------------------------------------

    def add_data(self, *values: Any) -> None:
        """Append one row: one value per column, in column order.

        Raises ``ValueError`` for a wrong number of values and ``TypeError`` for a value that
        does not fit its column; the table is then unchanged.
        """
        if not self._cols:
            raise ValueError(
                "add_data: the table has no columns; create it with Table(columns=[...]) first"
            )
        if len(values) != len(self._cols):
            raise ValueError(
                f"add_data: row {self._n} has {len(values)} values but the table has "
                f"{len(self._cols)} columns {self.columns}; pass one value per column"
            )
        checked = [
            check_cell(col.name, self._n, value, col.type, col.dim)
            for col, value in zip(self._cols.values(), values, strict=True)
        ]
        if self._drop:
            types = {n: t for n, (_, t, _) in zip(self._cols, checked, strict=True)}
            cells = {n: c for n, (c, _, _) in zip(self._cols, checked, strict=True)}
            bad = [n for n in matrix.default_embedding(types) if not matrix.finite_cell(cells[n])]
            if bad:
                warnings.warn(
                    f"add_data: row not added (drop_invalid=True): NaN, inf or missing value "
                    f"in the embedding column(s) {bad}",
                    stacklevel=2,
                )
                return
        with self._lock:  # (a background reader flushing now would lose the row)
            for col, (cell, ctype, dim) in zip(self._cols.values(), checked, strict=True):
                col.pending.append(cell)
                col.type, col.dim = ctype, dim
            self._n += 1
        self._changed()

    def add_col(self, name: str, data: Any) -> None:
        """Add a column ``name`` with one value per row (list, 1-D array, Series or N x D array)."""
        self._add_columns([ingest.column_from_values(name, data)], "add_col")

    add_column = add_col  # W&B's name

    def add_computed_columns(self, fn: Callable[[dict[str, Any], int], Mapping[str, Any]]) -> None:
        """Add the columns computed by ``fn(row, ndx) -> dict`` for every row.

        Each key of the returned dicts becomes a column; a key a row does not return is missing
        (None) in that row.
        """
        results: list[Mapping[str, Any]] = []
        for ndx in range(self._n):
            out = fn(self.row(ndx), ndx)
            if not isinstance(out, Mapping):
                raise TypeError(
                    f"add_computed_columns: fn returned {type(out).__name__} for row {ndx}; "
                    "accepted: a dict of column name -> value"
                )
            results.append(out)
        names = list(dict.fromkeys(k for out in results for k in out))
        cols = [from_cells(str(k), [out.get(k) for out in results]) for k in names]
        self._add_columns(cols, "add_computed_columns")

    def _add_columns(self, cols: list[Column], where: str) -> None:
        for col in cols:
            if col.name in self._cols:
                raise ValueError(f"{where}: column {col.name!r} exists; columns are {self.columns}")
            if self._cols and len(col) != self._n:
                raise ValueError(
                    f"{where}: column {col.name!r} has {len(col)} values but the table has "
                    f"{self._n} rows; pass one value per row"
                )
        if not self._cols:
            lengths = {len(c) for c in cols}
            if len(lengths) > 1:
                raise ValueError(f"{where}: the new columns differ in length: {sorted(lengths)}")
            self._n = lengths.pop() if lengths else 0
        for col in cols:
            self._cols[col.name] = col
        self._changed()
        self._drop_invalid_rows()

    # --- reading ----------------------------------------------------------------------------------

    def _flushed(self) -> dict[str, Column]:
        with self._lock:
            for col in self._cols.values():
                col.flush()
        return self._cols

    def _column(self, name: str) -> Column:
        if name not in self._cols:
            raise KeyError(f"no column {name!r}; columns are {self.columns}")
        col = self._cols[name]
        with self._lock:
            col.flush()
        return col

    def get_column(self, name: str, convert_to: str | None = None) -> Any:
        """A column's values: a list of cells, or with ``convert_to="numpy"`` a numpy array
        (numbers: 1-D, NaN for missing; an embedding column: N x D float32; others: object)."""
        if convert_to not in (None, "numpy"):
            raise ValueError(f"get_column: convert_to must be None or 'numpy', not {convert_to!r}")
        with self._lock:  # (rows counted = rows flushed)
            col = self._column(name)
            if convert_to == "numpy":
                return np.array(col.values)
            return [cell_value(col, i) for i in range(self._n)]

    def row(self, index: int) -> dict[str, object]:
        """One row's cells by column name (missing cells are None, vectors 1-D float32 arrays)."""
        if not -self._n <= index < self._n:
            raise IndexError(f"row {index} is out of range: the table has {self._n} rows")
        index %= self._n
        return {name: cell_value(col, index) for name, col in self._flushed().items()}

    @property
    def data(self) -> list[list[object]]:
        """All rows as lists (W&B's ``Table.data``)."""
        return [list(self.row(i).values()) for i in range(self._n)]

    def to_dataframe(self) -> pd.DataFrame:
        """A pandas DataFrame copy: Image cells stay Images, vector cells are 1-D arrays."""
        out = {name: column_series(col) for name, col in self._flushed().items()}
        return pd.DataFrame(out, index=pd.RangeIndex(self._n))

    get_dataframe = to_dataframe  # W&B's name

    def rows_frame(self, rows: Sequence[int]) -> pd.DataFrame:
        """Some rows as a DataFrame (cells as :meth:`row` gives them), indexed by row number."""
        index = pd.Index([int(i) for i in rows], name="row")
        return pd.DataFrame([self.row(i) for i in index], index=index, columns=self.columns)

    # --- kinds and defaults -----------------------------------------------------------------------

    @property
    def column_kinds(self) -> dict[str, str]:
        """Kind of each column: embedding, numeric, categorical, text or image."""
        if self._kinds is None or self._kinds[0] != self._version:
            self._kinds = (self._version, {n: column_kind(c) for n, c in self._flushed().items()})
        return dict(self._kinds[1])

    @property
    def default_embedding_columns(self) -> list[str]:
        """What :meth:`embedding_matrix` uses by default: the embedding (vector) column if there is
        one (the first if several), otherwise every numeric column."""
        return matrix.default_embedding({n: c.type for n, c in self._cols.items()})

    @property
    def default_color_column(self) -> str | None:
        """The first categorical column with at most 50 categories (missing values aside)."""
        for name, kind in self.column_kinds.items():
            col = self._cols[name]
            if kind == "categorical" and 0 < n_distinct(col) <= MAX_COLOR_CATEGORIES:
                return name
        return None

    @property
    def default_image_column(self) -> str | None:
        """The first image column."""
        return next((n for n, c in self._cols.items() if c.type == "image"), None)

    # --- arrays for the engine and the widget -----------------------------------------------------

    def embedding_matrix(
        self, columns: Sequence[str] | str | None = None, *, min_rows: int = 2
    ) -> Array:
        """The embedding as a C-contiguous float32 N x D array (one vector column: a read-only
        view of the table's own array, not a copy).

        Parameters
        ----------
        columns
            One embedding column, several numeric columns or a mix (concatenated in the order
            given). Default: :attr:`default_embedding_columns`.
        min_rows
            Fewer rows raise ``ValueError`` (a projection needs 2).
        """
        names = [columns] if isinstance(columns, str) else columns
        names = self.default_embedding_columns if names is None else list(names)
        kinds = self.column_kinds
        if self._n == 0:
            raise ValueError(
                f"the table has 0 rows (columns {self.columns}); add rows with add_data "
                "or build it from data or a DataFrame"
            )
        if not names:
            listing = ", ".join(f"{n} ({k})" for n, k in kinds.items()) or "none"
            raise ValueError(
                "no numeric or embedding column to embed; columns: "
                f"{listing}; accepted: a vector column or numeric (int/float) columns"
            )
        cols = [self._column(n) for n in names]
        for col in cols:
            if col.type not in ("number", "vector"):
                raise TypeError(matrix.not_numeric(col, kinds[col.name]))
        if self._n < min_rows:
            raise ValueError(
                f"the table has {self._n} rows; the embedding needs at least {min_rows} "
                "(a projection needs 2)"
            )
        widths = [c.dim if c.type == "vector" and c.dim else 1 for c in cols]
        with self._lock:  # the rows counted are the rows flushed (add_data may run meanwhile)
            out = matrix.fill(self._n, [self._column(n) for n in names], widths)
        bad = matrix.bad_rows(out)
        if len(bad):
            raise ValueError(matrix.invalid_message(out, bad, cols, widths, self._drop))
        return out

    def numeric_values(self, name: str) -> Array:
        """A numeric column as float32 (NaN for missing), for continuous colour."""
        col = self._column(name)
        if col.type == "number":
            return col.values.astype(np.float32)
        raise TypeError(matrix.not_numeric(col, self.column_kinds[name]))

    def category_codes(self, name: str) -> tuple[Array, list[str], list[int]]:
        """Category codes for colouring by column ``name``.

        Returns
        -------
        codes : uint8 array if at most 255 categories, else uint16
        labels : the categories as str, sorted naturally (numbers as numbers); missing values
            get their own last category "(missing)"
        counts : rows per category
        """
        return categories.category_codes(self._column(name))

    # --- internals --------------------------------------------------------------------------------

    def _drop_invalid_rows(self) -> None:
        names = self.default_embedding_columns
        if not self._drop or not names or self._n == 0:
            return
        ok = matrix.finite_rows(self._n, [self._column(name) for name in names])
        if ok.all():
            return
        dropped = np.flatnonzero(~ok)
        warnings.warn(
            f"drop_invalid: dropped {len(dropped)} row(s) with NaN, inf or missing values in the "
            f"embedding columns {names}: rows {dropped[:10].tolist()}",
            stacklevel=3,
        )
        keep = np.flatnonzero(ok)
        with self._lock:
            for col in self._flushed().values():
                col.take(keep)
            self._n = len(keep)
            self._rows_rewritten = self._version + 1  # (the version this change makes)
        self._changed()

    def subscribe(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` after every change of the data (rows or columns added or dropped)."""
        self._subscribers.append(callback)

    def unsubscribe(self, callback: Callable[[], None]) -> None:
        """Stop calling ``callback``; a callback that was never subscribed is ignored."""
        if callback in self._subscribers:
            self._subscribers.remove(callback)

    def _changed(self) -> None:
        """Every data change comes through here: caches key on the version; subscribers hear."""
        self._version += 1
        for callback in list(self._subscribers):
            callback()


_ACCEPTED = ("columns", "data", "dataframe", "drop_invalid")


def _only(current: Any, frame: Any) -> Any:
    if current is not None:
        raise TypeError("Table: pass one DataFrame, not two")
    return frame
