"""Table: the seed's examples, every constructor and method, kinds and defaults."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from embed_widget.data import Image, Table


@pytest.fixture(scope="module")
def digits_df() -> pd.DataFrame:
    # the seed's digits example, as written there
    from sklearn.datasets import load_digits

    df = load_digits(as_frame=True)["frame"]
    df["target"] = df["target"].astype(str)
    cols = df.columns.tolist()
    df = df[cols[-1:] + cols[:-1]]
    df["image"] = df.apply(lambda row: Image(row[1:].values.reshape(8, 8) / 16.0), axis=1)
    return df  # type: ignore[no-any-return]


def test_hello_world_seed() -> None:
    embeddings = [
      # D1   D2   D3   D4   D5
      [0.2, 0.4, 0.1, 0.7, 0.5], # embedding 1
      [0.3, 0.1, 0.9, 0.2, 0.7], # embedding 2
      [0.4, 0.5, 0.2, 0.2, 0.1], # embedding 3
    ]  # fmt: skip
    t = Table(columns=["D1", "D2", "D3", "D4", "D5"], data=embeddings)
    assert len(t) == 3
    assert t.columns == ["D1", "D2", "D3", "D4", "D5"]
    assert t.column_kinds == dict.fromkeys(t.columns, "numeric")
    assert t.default_embedding_columns == ["D1", "D2", "D3", "D4", "D5"]
    assert t.default_color_column is None
    assert t.default_image_column is None
    m = t.embedding_matrix()
    assert m.dtype == np.float32 and m.flags["C_CONTIGUOUS"] and m.shape == (3, 5)
    np.testing.assert_allclose(m, np.array(embeddings, dtype=np.float32))


def test_digits_seed(digits_df: pd.DataFrame) -> None:
    df = digits_df
    t = Table(dataframe=df)
    kinds = t.column_kinds
    assert len(t) == 1797 and len(t.columns) == 66
    assert kinds["target"] == "categorical"
    assert kinds["image"] == "image"
    pixels = [c for c in t.columns if c.startswith("pixel_")]
    assert len(pixels) == 64 and all(kinds[c] == "numeric" for c in pixels)
    assert t.default_embedding_columns == pixels
    assert t.default_color_column == "target"
    assert t.default_image_column == "image"
    m = t.embedding_matrix()
    assert m.shape == (1797, 64) and m.dtype == np.float32 and m.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(m, df[pixels].to_numpy(dtype=np.float32))
    codes, labels, counts = t.category_codes("target")
    assert labels == [str(i) for i in range(10)]
    assert codes.dtype == np.uint8
    assert [labels[c] for c in codes[:20]] == df["target"].tolist()[:20]
    assert counts == df["target"].value_counts().reindex(labels).tolist()
    image = t.row(0)["image"]
    assert isinstance(image, Image) and (image.width, image.height) == (128, 128)
    out = t.to_dataframe()
    assert isinstance(out["image"].iloc[5], Image)
    assert out["target"].tolist() == df["target"].tolist()


def test_positional_dataframe_and_data_keyword() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    for t in (Table(df), Table(data=df), Table(dataframe=df)):
        assert t.columns == ["a", "b"] and len(t) == 2
    with pytest.raises(TypeError, match="not both"):
        Table(columns=["a"], dataframe=df)


def test_rows_from_numpy_and_generated_names() -> None:
    arr = np.arange(12, dtype=np.float64).reshape(4, 3)
    t = Table(data=arr)
    assert t.columns == ["0", "1", "2"]
    np.testing.assert_array_equal(t.embedding_matrix(), arr.astype(np.float32))
    arr[0, 0] = 99  # the table owns a copy
    assert t.get_column("0") == [0, 3, 6, 9]


def test_add_data_row_by_row_with_vectors_and_images() -> None:
    t = Table(columns=["id", "label", "emb", "img"])
    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((5, 4)).astype(np.float32)
    for i in range(5):
        t.add_data(i, "even" if i % 2 == 0 else "odd", vecs[i], Image(np.zeros((4, 4))))
    assert len(t) == 5 and t.version == 5
    assert t.column_kinds == {
        "id": "numeric",
        "label": "categorical",
        "emb": "embedding",
        "img": "image",
    }
    assert t.default_embedding_columns == ["emb"]
    np.testing.assert_array_equal(t.embedding_matrix(), vecs)
    np.testing.assert_array_equal(t.get_column("emb", convert_to="numpy"), vecs)
    t.add_data(5, "odd", list(vecs[0].astype(float)), None)  # a list is a vector too
    assert len(t.embedding_matrix()) == 6
    assert t.row(5)["img"] is None
    assert t.row(-1)["id"] == 5


def test_add_col_lists_arrays_series() -> None:
    t = Table(columns=["a"], data=[[1], [2], [3]])
    t.add_col("b", ["x", "y", "z"])
    t.add_col("c", np.array([[1, 2], [3, 4], [5, 6]]))
    t.add_col("d", pd.Series([0.5, None, 1.5]))
    t.add_column("e", [[1.0], [2.0], [3.0]])  # W&B's name
    assert t.columns == ["a", "b", "c", "d", "e"]
    assert t.column_kinds["c"] == "embedding" and t.column_kinds["e"] == "embedding"
    assert t.get_column("d") == [0.5, None, 1.5]
    np.testing.assert_array_equal(t.embedding_matrix("c"), [[1, 2], [3, 4], [5, 6]])
    # two embedding columns: the first is the default
    assert t.default_embedding_columns == ["c"]


def test_add_col_on_empty_table_sets_length() -> None:
    t = Table()
    t.add_col("v", np.ones((4, 3)))
    assert len(t) == 4 and t.columns == ["v"]


def test_add_computed_columns_seed_style() -> None:
    t = Table(columns=["x", "y"], data=[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    before = t.version
    t.add_computed_columns(lambda row, ndx: {"embedding": [row["x"], row["y"], ndx]})
    assert t.version > before
    assert t.column_kinds["embedding"] == "embedding"
    assert t.default_embedding_columns == ["embedding"]
    np.testing.assert_array_equal(t.embedding_matrix(), [[1, 2, 0], [3, 4, 1], [5, 6, 2]])
    t.add_computed_columns(lambda row, ndx: {"big": True} if ndx else {})
    assert t.get_column("big") == [None, True, True]


def test_embedding_matrix_explicit_mix_in_order() -> None:
    t = Table(columns=["a", "v", "b"], data=[[1, [10, 20], 2.5], [3, [30, 40], 4.5]])
    m = t.embedding_matrix(["b", "v", "a"])
    np.testing.assert_array_equal(m, [[2.5, 10, 20, 1], [4.5, 30, 40, 3]])
    assert m.flags["C_CONTIGUOUS"] and m.dtype == np.float32
    m[0, 0] = -1  # a fresh array: the table is untouched
    assert t.embedding_matrix(["b"])[0, 0] == 2.5


def test_get_column_and_to_dataframe() -> None:
    t = Table(columns=["n", "s", "b", "v"], data=[[1, "a", True, [1, 2]], [None, None, None, None]])
    assert t.get_column("n") == [1, None]
    assert t.get_column("s") == ["a", None]
    assert t.get_column("b") == [True, None]
    vecs = t.get_column("v")
    np.testing.assert_array_equal(vecs[0], [1, 2])
    assert vecs[1] is None
    arr = t.get_column("n", convert_to="numpy")
    assert arr.dtype == np.float64 and np.isnan(arr[1])
    with pytest.raises(ValueError, match="convert_to"):
        t.get_column("n", convert_to="list")
    with pytest.raises(KeyError, match=r"'zz'.*columns are"):
        t.get_column("zz")
    df = t.to_dataframe()
    assert df.columns.tolist() == ["n", "s", "b", "v"]
    assert isinstance(df["v"].iloc[0], np.ndarray) and df["v"].iloc[1] is None
    rows = t.data
    assert rows[0][:3] == [1, "a", True] and rows[1] == [None, None, None, None]


def test_kinds_text_bool_and_int_labels() -> None:
    n = 200
    t = Table(
        columns=["sentence", "flag", "label", "few"],
        data=[[f"sentence number {i}", i % 2 == 0, i % 3, f"c{i % 4}"] for i in range(n)],
    )
    assert t.column_kinds == {
        "sentence": "text",
        "flag": "categorical",
        "label": "numeric",
        "few": "categorical",
    }
    assert t.default_color_column == "flag"
    assert t.default_embedding_columns == ["label"]


def test_category_codes_natural_order_and_missing() -> None:
    t = Table(columns=["s", "n"], data=[["10", 2.5], ["2", None], [None, 10.0], ["item 1", 2.5]])
    codes, labels, counts = t.category_codes("s")
    assert labels == ["2", "10", "item 1", "(missing)"]
    assert [labels[c] for c in codes] == ["10", "2", "(missing)", "item 1"]
    assert counts == [1, 1, 1, 1]
    codes, labels, counts = t.category_codes("n")
    assert labels == ["2.5", "10.0", "(missing)"] and counts == [2, 1, 1]
    wide = Table(columns=["k"], data=[[str(i)] for i in range(300)])
    codes, labels, _ = wide.category_codes("k")
    assert codes.dtype == np.uint16 and labels[:3] == ["0", "1", "2"] and labels[-1] == "299"
    with pytest.raises(TypeError, match="'v'"):
        Table(columns=["v"], data=[[[1, 2]]]).category_codes("v")


def test_numeric_values() -> None:
    t = Table(columns=["n", "s"], data=[[1, "a"], [None, "b"]])
    vals = t.numeric_values("n")
    assert vals.dtype == np.float32 and vals[0] == 1 and np.isnan(vals[1])
    with pytest.raises(TypeError, match=r"'s'.*row 0: 'a'"):
        t.numeric_values("s")


def test_version_increments_on_every_change() -> None:
    t = Table(columns=["a"])
    versions = [t.version]
    t.add_data(1.0)
    versions.append(t.version)
    t.add_col("b", [2.0])
    versions.append(t.version)
    t.add_computed_columns(lambda row, ndx: {"c": row["a"] + row["b"]})
    versions.append(t.version)
    assert versions == sorted(set(versions))
    _ = t.column_kinds, t.embedding_matrix(min_rows=1), t.to_dataframe()
    assert t.version == versions[-1]  # reading changes nothing


def test_pandas_dtypes_nullable_categorical_datetime() -> None:
    df = pd.DataFrame(
        {
            "i": pd.array([1, None, 3], dtype="Int64"),
            "cat": pd.Categorical(["a", "b", None]),
            "when": pd.to_datetime(pd.Series(["2024-01-01", None, "2024-01-03"])),
            "b": [True, False, True],
            "obj": np.array(["x", None, "z"], dtype=object),
        }
    )
    t = Table(df)
    assert t.column_kinds == {
        "i": "numeric",
        "cat": "categorical",
        "when": "categorical",
        "b": "categorical",
        "obj": "categorical",
    }
    assert t.get_column("i") == [1.0, None, 3.0]
    assert t.get_column("cat") == ["a", "b", None]
    assert t.get_column("when")[1] is None and t.get_column("when")[0].startswith("2024-01-01")
    assert t.get_column("obj") == ["x", None, "z"]


def test_pandas_categorical_reads_as_its_labels() -> None:
    # a Categorical's codes are reused as its factorization: the table must read as if it had
    # been given the labels themselves (unused categories are no value, missing cells are missing)
    labels = pd.Categorical(
        ["b", "a", None, "c", "a", "b", None, "a"], categories=["z", "a", "b", "c", "unused"]
    )
    emb = np.arange(16, dtype=np.float32).reshape(8, 2)
    t = Table(pd.DataFrame({"e": list(emb), "cat": labels}))
    plain = Table(pd.DataFrame({"e": list(emb), "cat": np.asarray(labels, dtype=object)}))
    assert t.column_kinds == plain.column_kinds == {"e": "embedding", "cat": "categorical"}
    for a, b in zip(t.category_codes("cat"), plain.category_codes("cat"), strict=True):
        np.testing.assert_array_equal(a, b)
    assert t.category_codes("cat")[1] == ["a", "b", "c", "(missing)"]
    assert t.get_column("cat") == ["b", "a", None, "c", "a", "b", None, "a"]
    assert t.default_color_column == "cat"
    # new rows: the codes and counts follow them (nothing derived is kept past a change)
    t.add_data([0.0, 1.0], "d")
    t.add_data([0.0, 1.0], "a")
    codes, names, counts = t.category_codes("cat")
    assert names == ["a", "b", "c", "d", "(missing)"]
    assert counts == [4, 2, 1, 1, 2]
    assert codes[-2:].tolist() == [3, 0]


def test_categorical_of_numbers_reads_as_numbers() -> None:
    t = Table(pd.DataFrame({"x": [1.0, 2.0, 3.0], "k": pd.Categorical([3, 1, 3])}))
    assert t.column_kinds == {"x": "numeric", "k": "numeric"}
    assert t.get_column("k") == [3, 1, 3]


def test_pandas_numeric_columns_are_not_affected_by_later_edits() -> None:
    df = pd.DataFrame(np.zeros((3, 2)), columns=["a", "b"])
    t = Table(df)
    df.loc[0, "a"] = 99.0
    assert t.get_column("a")[0] == 0.0


def test_pandas_vector_column_to_matrix() -> None:
    rng = np.random.default_rng(1)
    vecs = rng.standard_normal((50, 8)).astype(np.float32)
    df = pd.DataFrame({"id": range(50), "emb": list(vecs)})
    t = Table(df)
    assert t.column_kinds == {"id": "numeric", "emb": "embedding"}
    np.testing.assert_array_equal(t.embedding_matrix(), vecs)
    lists = pd.DataFrame({"emb": [list(map(float, v)) for v in vecs]})
    np.testing.assert_allclose(Table(lists).embedding_matrix(), vecs)


def test_polars_input() -> None:
    vecs = np.arange(12, dtype=np.float32).reshape(4, 3)
    df = pl.DataFrame(
        {
            "x": [1.0, 2.0, None, 4.0],
            "s": ["a", "b", None, "a"],
            "cat": pl.Series(["u", "v", "u", "v"], dtype=pl.Categorical),
            "arr": pl.Series(vecs.tolist(), dtype=pl.Array(pl.Float32, 3)),
            "lst": pl.Series([[1.0, 2.0], [3.0, 4.0], None, [5.0, 6.0]]),
        }
    )
    t = Table(df)
    assert t.column_kinds == {
        "x": "numeric",
        "s": "categorical",
        "cat": "categorical",
        "arr": "embedding",
        "lst": "embedding",
    }
    assert t.get_column("x") == [1.0, 2.0, None, 4.0]
    assert t.get_column("s") == ["a", "b", None, "a"]
    np.testing.assert_array_equal(t.embedding_matrix("arr"), vecs)
    assert t.row(2)["lst"] is None


def test_pyarrow_input() -> None:
    vecs = np.arange(8, dtype=np.float32).reshape(4, 2)
    table = pa.table(
        {
            "i": pa.array([1, 2, None, 4]),
            "s": pa.array(["a", None, "b", "b"]).dictionary_encode(),
            "fixed": pa.FixedSizeListArray.from_arrays(pa.array(vecs.ravel()), 2),
            "var": pa.array([[1.0], [2.0], [3.0], [4.0]]),
            "flag": pa.array([True, None, False, True]),
        }
    )
    t = Table(dataframe=table)
    assert t.column_kinds == {
        "i": "numeric",
        "s": "categorical",
        "fixed": "embedding",
        "var": "embedding",
        "flag": "categorical",
    }
    assert t.get_column("i") == [1.0, 2.0, None, 4.0]
    assert t.get_column("s") == ["a", None, "b", "b"]
    assert t.get_column("flag") == [True, None, False, True]
    np.testing.assert_array_equal(t.embedding_matrix("fixed"), vecs)
    assert t.default_embedding_columns == ["fixed"]


def test_row_and_repr() -> None:
    t = Table(columns=["a", "s"], data=[[np.int64(3), "x"]])
    row = t.row(0)
    assert row == {"a": 3, "s": "x"} and type(row["a"]) is int
    with pytest.raises(IndexError, match="row 1"):
        t.row(1)
    assert "1 rows" in repr(t) and "a: numeric" in repr(t)


def test_drop_invalid_constructor_and_add_data() -> None:
    data = [[1.0, 2.0], [np.nan, 1.0], [3.0, np.inf], [4.0, 5.0]]
    with pytest.warns(UserWarning, match=r"dropped 2 row\(s\).*rows \[1, 2\]"):
        t = Table(columns=["a", "b"], data=data, drop_invalid=True)
    assert len(t) == 2
    np.testing.assert_array_equal(t.embedding_matrix(), [[1, 2], [4, 5]])
    with pytest.warns(UserWarning, match="row not added"):
        t.add_data(None, 1.0)
    assert len(t) == 2
    t.add_data(6.0, 7.0)
    assert len(t) == 3


def test_rows_added_while_another_thread_reads_the_table_are_all_kept() -> None:
    """A view's timer or background job reads the table while a loop adds rows: no row lost."""
    import threading

    table = Table(columns=["emb", "n"])
    table.add_data([0.0, 0.0], 0)
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            matrix = table.embedding_matrix(["emb"], min_rows=1)
            assert len(matrix) <= len(table)

    reader = threading.Thread(target=read)
    reader.start()
    for i in range(1, 3000):
        table.add_data([float(i), 1.0], i)
    done.set()
    reader.join()
    assert len(table) == 3000
    assert table.embedding_matrix(["emb"])[:, 0].tolist() == list(range(3000))
    assert table.get_column("n", convert_to="numpy").tolist() == list(range(3000))
