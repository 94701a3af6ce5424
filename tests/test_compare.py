"""Linked views (``compare``): layouts aligned to the first view, selection shared across views
(by row number or by a key column), the link each frontend joins, and bad calls refused."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_digits

from embed_widget import Comparison, InvalidSetting, Table, compare
from embed_widget.projection.align import procrustes
from embed_widget.session import session_for
from embed_widget.widget import EmbeddingView


def drawn(view: EmbeddingView) -> np.ndarray:
    return np.frombuffer(view._layout["coords"], dtype=np.float32).reshape(-1, 2)


def digits_two_ways(n: int = 600) -> pd.DataFrame:
    """The digits, and the same vectors turned, stretched and moved (a different embedding of
    the same rows whose PCA differs from the first's only by a similarity)."""
    digits = load_digits()
    rotation, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(64, 64)))
    vectors = digits.data[:n]
    return pd.DataFrame({
        "id": [f"img{i}" for i in range(n)],
        "a": list(vectors),
        "b": list(vectors @ rotation * 3.0 + 1.0),
        "digit": digits.target[:n].astype(str),
    })  # fmt: skip


@pytest.fixture
def pair() -> Iterator[Comparison]:
    table = Table(dataframe=digits_two_ways())
    comparison = table.compare(["a", "b"], algorithm="pca")
    comparison._repr_mimebundle_()
    assert comparison.wait(60)
    yield comparison
    comparison.close()


def test_procrustes_recovers_a_turn_a_mirror_a_scale_and_a_shift() -> None:
    rng = np.random.default_rng(1)
    reference = rng.normal(size=(500, 2))
    angle = 0.7
    turn = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    moving = (reference * [1, -1]) @ turn * 4.0 + [3.0, -2.0]  # mirrored, turned, scaled, moved
    moving[::50] = np.nan  # rows missing from a layout are left out
    back = procrustes(reference, moving).apply(moving)
    finite = np.isfinite(back).all(axis=1)
    assert np.allclose(back[finite], reference[finite], atol=1e-4)
    assert np.isnan(back[~finite]).all()


def test_the_second_layout_is_drawn_where_the_first_puts_the_same_rows(pair: Comparison) -> None:
    first, second = pair.views
    raw = second.live.frame()[["x", "y"]].to_numpy()  # as computed
    assert np.abs(raw - first.live.frame()[["x", "y"]].to_numpy()).max() > 10  # unaligned
    assert np.abs(drawn(second) - drawn(first)).max() < 1e-3 * np.abs(drawn(first)).max()
    assert second._layout["aligned"] is True
    aligned = pair.projections  # (and each view's projection, CSV, page: as drawn)
    assert np.allclose(aligned[1][["x", "y"]], drawn(second), atol=1e-4)
    assert np.allclose(aligned[1][["x", "y"]], aligned[0][["x", "y"]], atol=1e-3)
    assert list(aligned[1]["digit"]) == list(aligned[0]["digit"])
    # every view fits the first view's box into its plot: the same place, the same pixel
    assert second._layout["frame"] == first._layout["frame"] is not None


def test_a_new_layout_of_the_first_view_moves_the_others_with_it(pair: Comparison) -> None:
    first, second = pair.views
    shown = drawn(first).copy()
    first.params = {"x_component": 2, "y_component": 1}  # the axes swapped: a mirror image
    assert first.wait(60)
    # the first view's new layout is turned to match the one it replaces: nothing jumps
    assert np.abs(drawn(first) - shown).max() < 1e-3 * np.abs(shown).max()
    before = drawn(second).copy()
    first.params = {"x_component": 1, "y_component": 3}  # another picture
    assert first.wait(60)
    raw = second.live.frame()[["x", "y"]].to_numpy()
    assert np.abs(drawn(second) - before).max() > 1  # drawn again, in the first view's place
    expected = procrustes(drawn(first), raw).apply(raw)
    assert np.allclose(drawn(second), expected, atol=1e-3)


def test_a_selection_in_any_view_selects_the_same_rows_in_all(pair: Comparison) -> None:
    first, second = pair.views
    # the lasso in the second view: the frontend writes the trait as bytes
    second.set_state({"selection": np.array([4, 8, 15], dtype=np.uint32).tobytes()})
    assert first.selection.tolist() == [4, 8, 15]
    assert pair.selection.tolist() == [4, 8, 15]
    pair.selection = [16, 23]  # from Python: every view
    assert first.selection.tolist() == second.selection.tolist() == [16, 23]
    second.selection = []
    assert first.selection.size == 0


def test_views_of_one_table_join_one_group_and_match_rows_by_number(pair: Comparison) -> None:
    first, second = pair.views
    assert first._link["group"] == second._link["group"] != ""
    assert first._link["keys"] is None and first._link["zoom"] is False
    other = compare(Table(dataframe=digits_two_ways(50)), Table(dataframe=digits_two_ways(50)))
    assert other.views[0]._link["group"] != first._link["group"]
    other.close()


def test_rows_of_two_tables_are_matched_by_a_key_column() -> None:
    frame = digits_two_ways(400)
    shuffled = frame.sample(frac=1.0, random_state=3).reset_index(drop=True)
    shuffled = shuffled.iloc[:350]  # and some rows only in the first table
    left, right = Table(dataframe=frame), Table(dataframe=shuffled)
    pair = compare((left, "a"), (right, "b"), key="id", algorithm="pca")
    pair._repr_mimebundle_()
    assert pair.wait(60)
    first, second = pair.views
    # the same ids drawn at the same places, though the rows are in another order
    where = dict(zip(frame["id"], drawn(first).tolist(), strict=True))
    expected = np.array([where[i] for i in shuffled["id"]])
    # (PCA of 350 of the rows is not PCA of all 400: close, not equal)
    spread = np.abs(expected).max()
    assert np.median(np.linalg.norm(drawn(second) - expected, axis=1)) < 0.1 * spread
    # the keys the frontends match rows with: the same number for the same id
    keys = [np.frombuffer(v._link["keys"], dtype=np.int32) for v in pair.views]
    assert keys[0][frame["id"].tolist().index(shuffled["id"][0])] == keys[1][0]
    # a selection follows the ids
    first.selection = [0, 1, 2]
    ids = set(frame["id"][:3])
    assert set(shuffled["id"][second.selection]) == ids & set(shuffled["id"])
    pair.close()


def test_rows_added_to_linked_views_leave_every_drawn_row_in_place(pair: Comparison) -> None:
    first = pair.views[0]
    before = [drawn(view).copy() for view in pair.views]
    table = first.table
    extra = digits_two_ways(620).iloc[600:]
    for row in extra.itertuples(index=False):
        table.add_data(row.id, row.a, row.b, row.digit)
    for view in pair.views:
        view.refresh()
    assert pair.wait(60)
    for view, old in zip(pair.views, before, strict=True):
        assert len(drawn(view)) == 620
        assert np.array_equal(drawn(view)[:600], old)  # placed: nothing drawn moved
    assert first.projection_frame().attrs["placed"]["placed"] == 20


def test_a_refused_comparison_leaves_no_view_behind() -> None:
    table = Table(dataframe=digits_two_ways(40))
    lives = len(session_for(table)._lives)
    with pytest.raises(InvalidSetting, match="is not in table 1"):
        compare(table, (table, "b"), key="nope")
    with pytest.raises(InvalidSetting, match="holds embedding cells"):
        compare(table, table, key="a")
    assert len(session_for(table)._lives) == lives


def test_rows_without_a_key_are_linked_to_none() -> None:
    frame = digits_two_ways(60)
    frame.loc[5, "id"] = None
    other = frame.copy()
    other.loc[5, "id"], other.loc[6, "id"] = "img5", None  # row 6 has no key here
    pair = compare(Table(dataframe=frame), Table(dataframe=other), key="id", algorithm="pca")
    pair.views[0].selection = [5, 6, 7]  # row 5 has no key in the first table
    assert pair.views[1].selection.tolist() == [7]
    pair.close()


def test_close_unlinks_the_views_and_leaves_them_working(pair: Comparison) -> None:
    first, second = pair.views
    pair.close()
    assert first._link == {} and second._link == {}
    assert second._layout["aligned"] is False
    first.selection = [1]
    assert second.selection.size == 0
    assert second.wait(30)


def test_bad_comparisons_are_refused_with_a_reason() -> None:
    table = Table(dataframe=digits_two_ways(40))
    with pytest.raises(InvalidSetting, match="2 to 4 views, got 1"):
        table.compare(["a"])
    with pytest.raises(InvalidSetting, match="2 to 4 views, got 5"):
        table.compare(["a", "b", "a", "b", "a"])
    view = EmbeddingView(table)
    with pytest.raises(InvalidSetting, match="same view twice"):
        compare(view, view)
    with pytest.raises(InvalidSetting, match="'name' is not in table 1"):
        compare(table, table, key="name")
    repeated = Table(dataframe=pd.DataFrame({"id": ["x", "x", "y"], "v": [1.0, 2.0, 3.0]}))
    with pytest.raises(InvalidSetting, match="repeats 'x' in table 2"):
        compare(table, repeated, key="id")
    with pytest.raises(InvalidSetting, match="got str"):
        compare(table, "b")
    view.close()


def test_a_view_inside_a_box_starts_when_its_frontend_shows_it() -> None:
    view = EmbeddingView(Table(dataframe=digits_two_ways(60)), algorithm="pca")
    assert view._started is False
    view._on_message(view, {"type": "output", "shown": True}, [])
    assert view._started is True
    assert view.live.wait(30) and view._layout.get("final") is True
    view.close()
