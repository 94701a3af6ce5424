"""Filter a table's rows with a pandas expression (``"length > 200 and module != 'os'"``), as
``DataFrame.query`` reads it, over the table's number, text, categorical and bool columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .table import Table

#: Column kinds a filter expression can name (vectors and images have no comparisons).
FILTERABLE = ("numeric", "categorical", "text")


class RowFilter:
    """Evaluates filter expressions on one table, its columns framed once per data version."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self._frame: tuple[int, pd.DataFrame] | None = None

    def mask(self, expression: str) -> np.ndarray[Any, Any]:
        """Boolean mask of the rows ``expression`` keeps; ``ValueError`` naming the problem if it
        is not a condition on the table's columns. An empty expression keeps every row."""
        frame = self._scalar_frame()
        if not expression.strip():
            return np.ones(len(frame), dtype=bool)
        try:
            result = frame.eval(expression)
        except Exception as error:  # pandas raises many kinds: SyntaxError, UndefinedVariable...
            columns = ", ".join(frame.columns) or "none"
            raise ValueError(
                f"filter {expression!r}: {type(error).__name__}: {error}; columns: {columns}"
            ) from None
        values = np.asarray(result) if isinstance(result, pd.Series) else None
        if values is None or values.shape != (len(frame),) or values.dtype != bool:
            raise ValueError(
                f'filter {expression!r} is not a condition on each row (e.g. "length > 200 '
                "and module != 'os'\")"
            )
        return values

    def _scalar_frame(self) -> pd.DataFrame:
        version = self._table.version
        if self._frame is None or self._frame[0] != version:
            kinds = self._table.column_kinds
            names = [n for n, k in kinds.items() if k in FILTERABLE]
            columns = {n: self._table.get_column(n, convert_to="numpy") for n in names}
            self._frame = (version, pd.DataFrame(columns, index=pd.RangeIndex(len(self._table))))
        return self._frame[1]
