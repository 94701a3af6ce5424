"""Table: bad input raises a clear error naming the culprit, and leaves the table unchanged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from embed_widget.data import Image, Table


def snapshot(t: Table) -> tuple[Any, ...]:
    df = t.to_dataframe()
    return (t.version, len(t), t.columns, t.column_kinds, df.to_dict("list").__repr__())


def unchanged(t: Table, call: Callable[[], object], error: type[Exception], match: str) -> None:
    before = snapshot(t)
    with pytest.raises(error, match=match):
        call()
    assert snapshot(t) == before


@pytest.fixture
def table() -> Table:
    return Table(columns=["a", "s", "v"], data=[[1.0, "x", [1, 2]], [2.0, "y", [3, 4]]])


def test_row_with_wrong_number_of_values(table: Table) -> None:
    unchanged(table, lambda: table.add_data(1.0, "z"), ValueError, r"row 2 has 2 values.*3 columns")
    with pytest.raises(ValueError, match=r"row 1 has 1 values but there are 2 columns"):
        Table(columns=["a", "b"], data=[[1, 2], [3]])


def test_add_col_wrong_length_or_existing_name(table: Table) -> None:
    unchanged(table, lambda: table.add_col("n", [1, 2, 3]), ValueError, r"'n' has 3 values.*2 rows")
    unchanged(table, lambda: table.add_col("s", ["p", "q"]), ValueError, r"column 's' exists")


def test_add_computed_columns_bad_result_or_existing_name(table: Table) -> None:
    unchanged(
        table,
        lambda: table.add_computed_columns(lambda row, ndx: {"a": 1}),
        ValueError,
        "'a' exists",
    )
    unchanged(
        table,
        lambda: table.add_computed_columns(lambda row, ndx: [1]),  # type: ignore[arg-type,return-value]
        TypeError,
        "returned list for row 0",
    )
    unchanged(
        table,
        lambda: table.add_computed_columns(lambda row, ndx: {"k": "s" if ndx else 1}),
        TypeError,
        r"column 'k', row 1: 's'",
    )


def test_ragged_vectors_name_the_row() -> None:
    rows = [[list(np.ones(64))] for _ in range(30)]
    rows[17] = [list(np.ones(63))]
    with pytest.raises(
        ValueError, match=r"column 'emb', row 17: the vector has 63 values where the others have 64"
    ):
        Table(columns=["emb"], data=rows)
    df = pd.DataFrame({"emb": [np.ones(64)] * 17 + [np.ones(63)] + [np.ones(64)] * 12})
    with pytest.raises(
        ValueError, match=r"row 17: the vector has 63 values where the others have 64"
    ):
        Table(df)
    t = Table(columns=["emb"], data=rows[:3])
    unchanged(t, lambda: t.add_data(np.ones(63)), ValueError, r"row 3: the vector has 63 .* 64")
    unchanged(t, lambda: t.add_data(np.ones((2, 32))), ValueError, r"row 3.*1-D")


def test_str_in_numeric_column(table: Table) -> None:
    unchanged(
        table,
        lambda: table.add_data("3", "z", [5, 6]),
        TypeError,
        r"column 'a', row 2: '3'.*numbers",
    )
    with pytest.raises(TypeError, match=r"column 'a', row 1: 'b' is a str value.*numbers"):
        Table(columns=["a"], data=[[1], ["b"]])
    with pytest.raises(TypeError, match=r"column 'x', row 2: 'oops'"):
        Table(pd.DataFrame({"x": np.array([1.5, 2.0, "oops"], dtype=object)}))
    # a str column named as numeric for the embedding
    unchanged(
        table,
        lambda: table.embedding_matrix(["a", "s"]),
        TypeError,
        r"column 's' is categorical.*row 0: 'x'",
    )
    with pytest.raises(TypeError, match=r"column 'v'.*not all numbers"):
        Table(columns=["v"], data=[[["a", "b"]]])


def test_unsupported_cell(table: Table) -> None:
    unchanged(
        table,
        lambda: table.add_data({1: 2}, "z", [5, 6]),
        TypeError,
        r"column 'a', row 2: unsupported value \{1: 2\}",
    )


def test_nan_or_inf_in_the_embedding_names_rows_and_columns() -> None:
    data = [[float(i), float(i), 1.0] for i in range(10)]
    data[3][1] = float("nan")
    data[7][0] = float("inf")
    t = Table(columns=["a", "b", "c"], data=data)
    unchanged(
        t,
        t.embedding_matrix,
        ValueError,
        r"2 row\(s\), first rows \[3, 7\], in column\(s\) \['a', 'b'\].*drop_invalid",
    )
    vec = Table(columns=["v"], data=[[[1.0, 2.0]], [[np.nan, 1.0]], [None]])
    with pytest.raises(ValueError, match=r"first rows \[1, 2\], in column\(s\) \['v'\]"):
        vec.embedding_matrix(min_rows=1)


def test_drop_invalid_skips_rows_with_a_warning() -> None:
    df = pd.DataFrame(
        {
            "v": [np.array([1.0, 2.0]), np.array([np.nan, 0.0]), np.array([3.0, 4.0])],
            "k": ["p", "q", "r"],
        }
    )
    with pytest.warns(UserWarning, match=r"dropped 1 row\(s\).*\['v'\].*rows \[1\]"):
        t = Table(df, drop_invalid=True)
    assert t.get_column("k") == ["p", "r"]
    np.testing.assert_array_equal(t.embedding_matrix(), [[1, 2], [3, 4]])


def test_no_rows_and_too_few_rows() -> None:
    empty = Table(columns=["a", "b"])
    with pytest.raises(ValueError, match="has 0 rows"):
        empty.embedding_matrix()
    one = Table(columns=["a"], data=[[1.0]])
    with pytest.raises(ValueError, match=r"has 1 rows.*at least 2"):
        one.embedding_matrix()
    assert one.embedding_matrix(min_rows=1).shape == (1, 1)


def test_no_numeric_or_embedding_column_lists_kinds() -> None:
    t = Table(columns=["name", "img"], data=[["a", Image(np.zeros((2, 2)))], ["b", None]])
    with pytest.raises(
        ValueError, match=r"no numeric or embedding column.*name \(categorical\), img \(image\)"
    ):
        t.embedding_matrix()
    with pytest.raises(KeyError, match="no column 'nope'"):
        t.embedding_matrix(["nope"])


def test_image_from_unsupported_shape() -> None:
    with pytest.raises(ValueError, match=r"unsupported array shape \(64,\)"):
        Image(np.zeros(64))
    with pytest.raises(ValueError, match=r"unsupported array shape \(8, 8, 2\)"):
        Image(np.zeros((8, 8, 2)))


def test_add_data_without_columns() -> None:
    t = Table()
    unchanged(t, lambda: t.add_data(), ValueError, "no columns")


def test_constructor_argument_errors() -> None:
    with pytest.raises(TypeError, match=r"unknown keyword argument\(s\) 'rows'; accepted: columns"):
        Table(columns=["a"], rows=[[1]])
    with pytest.raises(TypeError, match=r"'dataframes' \(did you mean 'dataframe'\?\)"):
        Table(dataframes=None)
    with pytest.raises(ValueError, match="duplicate column name 'a'"):
        Table(columns=["a", "a"])
    with pytest.raises(TypeError, match="row 0 is a int"):
        Table(columns=["a"], data=[1, 2])
    with pytest.raises(TypeError, match="list of names"):
        Table(columns="abc")
    with pytest.raises(TypeError, match="unsupported table input"):
        from embed_widget.data.ingest import columns_from_frame

        columns_from_frame([1, 2])
