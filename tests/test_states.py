"""Table states that must never break the Python API (issue 10, items 12-15)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_widget import blobs

from embed_widget import InvalidSetting, Table


def test_a_table_shown_while_empty_takes_its_defaults_when_data_arrives() -> None:
    table = Table(columns=["a", "b", "lab"])
    view = table.view
    table._repr_mimebundle_()
    assert view.embedding == [] and view.color_by is None
    rng = np.random.default_rng(0)
    for i in range(30):
        table.add_data(float(rng.normal()), float(rng.normal()), f"g{i % 3}")
    assert view.wait(30)
    assert view.embedding == ["a", "b"] and view.color_by == "lab"  # was: [] and None
    frame = table.projection
    assert len(frame) == 30 and frame.attrs["embedding"] == ["a", "b"]
    view.close()


def test_settings_the_user_chose_survive_new_data() -> None:
    from embed_widget.widget import EmbeddingView

    table = Table(columns=["a", "b", "c", "lab"])
    view = EmbeddingView(table, color_by=None)  # chosen, though it is the default
    view.embedding = ["a", "c"]
    view._repr_mimebundle_()
    for i in range(12):
        table.add_data(float(i), float(i % 5), float(i % 3), f"g{i % 2}")
    assert view.wait(30)
    assert view.color_by is None and view.embedding == ["a", "c"]
    assert view.projection_frame().attrs["embedding"] == ["a", "c"]
    view.close()


def test_after_a_failed_refresh_the_api_says_why() -> None:
    frame = blobs(10)
    table = Table(dataframe=frame)
    view = table.view
    view.algorithm = "pca"
    assert view.wait(30)
    view.selection = [1, 2]
    table.add_data(float("nan"), 0.0, 0.0, 0.0, "group 0", 0.5)
    assert view.wait(30)
    assert view.status["state"] == "error"
    pattern = r"table changed: it has 11 rows now.*computed for 10.*NaN"
    with pytest.raises(RuntimeError, match=pattern):  # was: pandas' "Length of values"
        _ = table.projection
    with pytest.raises(RuntimeError, match=pattern):
        _ = table.selection
    sent: list[object] = []
    view.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    view._on_message(view, {"type": "csv"}, [])  # no CSV of mismatched rows, and no crash
    assert sent == []
    view.close()


def test_bad_settings_from_python_raise_and_change_nothing() -> None:
    frame = blobs(40)
    frame["emb"] = list(np.random.default_rng(1).normal(size=(40, 8)).astype(np.float32))
    frame["note"] = [f"a long and unique sentence number {i}" for i in range(40)]
    frame = pd.concat([frame] * 2, ignore_index=True)  # 80 rows; note: 40 distinct values
    frame["note"] = [f"unique sentence {i}" for i in range(80)]
    table = Table(dataframe=frame)
    view = table.view
    before = (list(view.embedding), view.color_by, view.selection.tolist())
    with pytest.raises(InvalidSetting, match=r"'label' is a categorical column.*allowed: 'a'"):
        view.embedding = ["label"]
    with pytest.raises(InvalidSetting, match=r"'emb' is a embedding column.*allowed: 'a'"):
        view.color_by = "emb"
    with pytest.raises(InvalidSetting, match=r"row 1000000 is out of range; the table has 80"):
        view.selection = [5, 10**6]
    assert (list(view.embedding), view.color_by, view.selection.tolist()) == before
    assert table.selection.empty  # was: IndexError


def test_free_text_is_not_a_colour_choice() -> None:
    frame = blobs(120)
    frame["sentence"] = [f"sentence number {i} of a free text column" for i in range(120)]
    table = Table(dataframe=frame)
    columns = {c["name"]: c["roles"] for c in table.view._columns}
    assert table.column_kinds["sentence"] == "text" and "color" not in columns["sentence"]
    assert "color" in columns["label"] and "color" in columns["score"]
    with pytest.raises(
        InvalidSetting, match="'sentence' is a text column, which cannot be a colour"
    ):
        table.view.color_by = "sentence"


def test_columns_named_x_and_y_are_kept_renamed() -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"emb": list(rng.normal(size=(30, 4)).astype(np.float32))})
    frame["x"], frame["y"] = np.arange(30), [f"row {i}" for i in range(30)]
    table = Table(dataframe=frame)
    with pytest.warns(UserWarning, match="'x' -> 'x_column', 'y' -> 'y_column'"):
        projection = table.project("pca")
    assert list(projection.columns) == ["x", "y", "x_column", "y_column"]
    assert projection["x_column"].tolist() == list(range(30))  # the user's values, not dropped
    assert projection.attrs["renamed"] == {"x": "x_column", "y": "y_column"}


def test_the_selection_list_shows_the_first_text_column_or_the_chosen_one() -> None:
    frame = blobs(120)
    frame["sentence"] = [f"sentence number {i} of a free text column" for i in range(120)]
    view = Table(dataframe=frame).view
    assert view.selection_column == "sentence"  # the first text column, not the colour column
    sent: list[dict] = []
    view.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    view.selection = [3, 5]  # the kernel sends the list
    assert [r["label"] for r in sent[-1]["rows"]] == [frame["sentence"][3], frame["sentence"][5]]
    view.selection_column = "score"
    assert sent[-1]["rows"][0]["label"] == f"{frame['score'][3]:.4g}"
    with pytest.raises(InvalidSetting, match="no column named 'zz'"):
        view.selection_column = "zz"
    assert Table(dataframe=blobs(20)).view.selection_column == "label"  # no text: the colour
