"""Property test: any sequence of add_data / add_col keeps the columns aligned, matches a plain
list-of-rows model, and round-trips through ``to_dataframe()`` -> ``Table(dataframe=...)``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from embed_widget.data import Image, Table

IMAGES = [Image(np.eye(3)), Image(np.zeros((2, 5, 3))), Image(np.ones((4, 4)), caption="one")]
KINDS = ["int", "float", "bool", "str", "vec2", "vec3", "image"]


def cells(kind: str) -> st.SearchStrategy[Any]:
    value: st.SearchStrategy[Any]
    if kind == "int":
        value = st.integers(-(2**40), 2**40)
    elif kind == "float":
        value = st.floats(allow_nan=True, allow_infinity=True)
    elif kind == "bool":
        value = st.booleans()
    elif kind == "str":
        value = st.text(st.characters(codec="utf-8"), max_size=6)
    elif kind == "image":
        value = st.sampled_from(IMAGES)
    else:
        dim = int(kind[-1])
        floats = st.floats(width=32, allow_nan=False, allow_infinity=False)
        value = st.lists(floats, min_size=dim, max_size=dim)
        value = st.one_of(value, value.map(lambda v: np.array(v, dtype=np.float32)))
    return st.one_of(st.none(), value)


@st.composite
def operations(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, Any]]]:
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4))
    ops: list[tuple[str, Any]] = []
    n = 0
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()) or len(kinds) >= 7:
            ops.append(("row", [draw(cells(k)) for k in kinds]))
            n += 1
        else:
            kind = draw(st.sampled_from(KINDS))
            kinds.append(kind)
            ops.append(("col", [draw(cells(kind)) for _ in range(n)]))
    return kinds, ops


def norm(value: Any) -> Any:
    """A cell as the table gives it back: NaN is missing, vectors are float32 arrays."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (list, np.ndarray)):
        return np.asarray(value, dtype=np.float32)
    return value


def same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        both = isinstance(a, np.ndarray) and isinstance(b, np.ndarray)
        return both and np.array_equal(a, b, equal_nan=True)
    if a is None or b is None or isinstance(a, (bool, str, Image)):
        return type(a) is type(b) and a == b
    return bool(a == b)  # numbers: 3 == 3.0 (ints become floats in a column with gaps)


@settings(max_examples=60, deadline=None)
@given(operations())
def test_add_data_add_col_keep_columns_aligned_and_round_trip(
    case: tuple[list[str], list[tuple[str, Any]]],
) -> None:
    kinds, ops = case
    n_initial = len(kinds) - sum(op == "col" for op, _ in ops)
    names = [f"c{i}" for i in range(len(kinds))]
    t = Table(columns=names[:n_initial])
    model: list[list[Any]] = []
    width = n_initial
    for op, payload in ops:
        version = t.version
        if op == "row":
            t.add_data(*payload)
            model.append([norm(v) for v in payload])
        else:
            t.add_col(names[width], payload)
            for row, v in zip(model, payload, strict=True):
                row.append(norm(v))
            width += 1
        assert t.version > version
        for name in t.columns:  # every column as long as the table
            assert len(t.get_column(name)) == len(t)
    assert t.columns == names[:width] and len(t) == len(model)
    for i, expected in enumerate(model):
        got = list(t.row(i).values())
        assert all(same(a, b) for a, b in zip(got, expected, strict=True)), (got, expected)

    df = t.to_dataframe()
    assert df.shape == (len(t), width)
    back = Table(dataframe=df)
    assert back.columns == t.columns and len(back) == len(t)
    if len(t):
        assert back.column_kinds == t.column_kinds
    for i in range(len(t)):
        a, b = list(back.row(i).values()), list(t.row(i).values())
        assert all(same(x, y) for x, y in zip(a, b, strict=True)), (a, b)
