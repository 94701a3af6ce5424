"""Exploring (issue 11): search, filter and nearest neighbours, in Python and as the widget's
traits. Neighbours are checked against scikit-learn's exact search."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import NearestNeighbors

from embed_widget import InvalidSetting, Table
from embed_widget.data.filter import RowFilter
from embed_widget.data.search import TextSearch
from embed_widget.projection.neighbors import NeighborIndex

WORDS = [
    "Logging handler", "subprocess.run", "argparse options", "os.path join", None, "LOG rotate"
]  # fmt: skip


def texts_table(n: int = 60) -> Table:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.normal(size=(n, 4)), columns=list("abcd"))
    frame["module"] = [["logging", "os", "argparse"][i % 3] for i in range(n)]
    frame["text"] = [WORDS[i % len(WORDS)] and f"{WORDS[i % len(WORDS)]} #{i}" for i in range(n)]
    frame["length"] = np.arange(n) * 10
    frame["flag"] = [i % 2 == 0 for i in range(n)]
    return Table(dataframe=frame)


# -- search ----------------------------------------------------------------------------------


def expected(table: Table, pattern: str, columns: list[str], regex: bool = False) -> np.ndarray:
    """The same search done row by row in plain Python."""
    hits = []
    for i in range(len(table)):
        row = table.row(i)
        for c in columns:
            cell = row[c]
            if cell is None:
                continue
            text = str(cell)
            found = re.search(pattern, text, re.I) if regex else pattern.lower() in text.lower()
            if found:
                hits.append(i)
                break
    return np.array(hits, dtype=np.uint32)


@pytest.mark.parametrize("query", ["log", "LOG", "subprocess.", "#1", "zzz"])
def test_search_is_a_case_insensitive_substring_in_text_and_categories(query: str) -> None:
    t = texts_table()
    found = TextSearch(t).match(query)
    assert np.array_equal(found, expected(t, query, ["module", "text"]))


def test_search_with_slashes_is_a_regular_expression() -> None:
    t = texts_table()
    found = TextSearch(t).match("/^log.*#1[0-9]$/")
    assert np.array_equal(found, expected(t, r"^log.*#1[0-9]$", ["module", "text"], regex=True))
    assert len(found) > 0
    with pytest.raises(ValueError, match="not a valid regular expression"):
        TextSearch(t).match("/(unclosed/")


def test_search_in_one_column_and_in_bools() -> None:
    t = texts_table()
    assert np.array_equal(TextSearch(t).match("os", ["module"]), expected(t, "os", ["module"]))
    assert np.array_equal(TextSearch(t).match("true", ["flag"]), np.arange(0, 60, 2))
    assert TextSearch(t).match("").size == 0


def test_search_follows_new_rows() -> None:
    t = texts_table(6)
    search = TextSearch(t)
    assert search.match("argparse").tolist() == [2, 5]
    t.add_data(*[0.0] * 4, "argparse", "argparse again", 1, True)
    assert search.match("argparse").tolist() == [2, 5, 6]


# -- filter ----------------------------------------------------------------------------------


def test_filter_is_a_pandas_condition() -> None:
    t = texts_table()
    keep = RowFilter(t).mask("length > 200 and module != 'os'")
    frame = t.to_dataframe()
    assert np.array_equal(keep, ((frame.length > 200) & (frame.module != "os")).to_numpy())
    assert RowFilter(t).mask("").all()


@pytest.mark.parametrize(
    ("expression", "message"),
    [("lenght > 2", "lenght"), ("length >", "filter"), ("length + 1", "not a condition")],
)
def test_a_bad_filter_names_the_problem(expression: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RowFilter(texts_table()).mask(expression)


# -- neighbours ------------------------------------------------------------------------------


@pytest.mark.parametrize("metric", ["euclidean", "cosine", "manhattan"])
def test_neighbours_are_exact(metric: str) -> None:
    x = np.random.default_rng(0).normal(size=(500, 24)).astype(np.float32)
    index = NeighborIndex(x)
    reference = NearestNeighbors(n_neighbors=11, algorithm="brute", metric=metric).fit(x)
    for row in (0, 17, 499):
        found, distances = index.query(row, 10, metric)
        ref_d, ref_i = reference.kneighbors(x[row : row + 1])
        assert found.tolist() == ref_i[0][1:].tolist()  # itself first in scikit-learn's
        np.testing.assert_allclose(distances, ref_d[0][1:], rtol=1e-4, atol=1e-5)


def test_table_neighbors_returns_the_rows_nearest_first() -> None:
    t = texts_table()
    near = t.neighbors(5, k=4)
    assert list(near.columns[:2]) == ["distance", "a"]
    assert len(near) == 4 and 5 not in near.index
    assert near["distance"].is_monotonic_increasing
    assert near.attrs["metric"] == "euclidean" and near.attrs["row"] == 5
    assert near.loc[near.index[0], "text"] == t.row(int(near.index[0]))["text"]
    assert t.neighbors(5, k=100).shape[0] == 59  # at most every other row
    assert t.neighbors(5, k=3, metric="cosine").attrs["metric"] == "cosine"
    with pytest.raises(InvalidSetting, match="metric"):
        t.neighbors(5, metric="hamming")
    with pytest.raises(IndexError, match="out of range"):
        t.neighbors(60)


def test_a_vector_column_defaults_to_cosine_and_umap_to_its_metric() -> None:
    x = np.random.default_rng(1).normal(size=(120, 8)).astype(np.float32)
    t = Table(columns=["emb"], data=[[row] for row in x])
    assert t.neighbors(0, k=3).attrs["metric"] == "cosine"
    t.view.algorithm = "umap"
    t.view.params = {"metric": "manhattan"}
    assert t.neighbors(0, k=3).attrs["metric"] == "manhattan"


# -- the widget's traits ---------------------------------------------------------------------


def test_search_and_filter_traits_send_rows_as_bytes() -> None:
    t = texts_table()
    view = t.view
    view.search = "log"
    assert view._search["count"] == len(view.matches) > 0
    assert np.frombuffer(view._search["indices"], dtype=np.uint32).tolist() == view.matches.tolist()
    view.search_column = "module"
    assert view.matches.tolist() == expected(t, "log", ["module"]).tolist()
    view.filter = "length >= 300"
    hidden = np.frombuffer(view._filter["hidden"], dtype=np.uint8)
    assert hidden.tolist() == [1] * 30 + [0] * 30
    assert view._filter["count"] == 30 and view.visible.sum() == 30
    view.filter = ""
    assert view._filter["hidden"] is None


def test_bad_search_or_filter_from_python_raise_and_change_nothing() -> None:
    view = texts_table().view
    view.filter = "length > 100"
    view.search = "log"
    before = (dict(view._filter), dict(view._search))
    with pytest.raises(InvalidSetting, match="lenght"):
        view.filter = "lenght > 1"
    with pytest.raises(InvalidSetting, match="regular expression"):
        view.search = "/(/"
    with pytest.raises(InvalidSetting, match="not a text or categorical"):
        view.search_column = "length"
    assert (view.filter, view.search, view.search_column) == ("length > 100", "log", None)
    assert (dict(view._filter), dict(view._search)) == before


def test_bad_search_or_filter_typed_in_the_widget_show_their_error_and_keep_the_last() -> None:
    view = texts_table().view
    view.set_state({"filter": "length > 100"})
    kept = view._filter["hidden"]
    view.set_state({"filter": "length >"})  # as the frontend writes it
    assert "filter" in view._filter["error"]
    assert view._filter["hidden"] == kept and view._filter["expression"] == "length > 100"
    view.set_state({"search": "/(/"})
    assert "regular expression" in view._search["error"]


def test_details_list_the_clicked_rows_neighbours() -> None:
    from embed_widget.widget.replies import reply

    t = texts_table()
    view = t.view
    content, _ = reply({"type": "details", "index": 3}, view)
    near = t.neighbors(3, k=10)
    assert [n["index"] for n in content["neighbors"]] == near.index.tolist()
    assert content["metric"] == "euclidean"
    assert content["neighbors"][0]["label"] == near["module"].iloc[0]  # the colour column


# -- projection quality ----------------------------------------------------------------------


def test_quality_matches_a_direct_computation() -> None:
    from sklearn.manifold import trustworthiness

    t = texts_table(300)
    q = t.quality(k=10)
    x = t.embedding_matrix()  # a, b, c, d and length
    xy = t.projection[["x", "y"]].to_numpy()
    high = NearestNeighbors(n_neighbors=11).fit(x).kneighbors(x)[1][:, 1:]
    low = NearestNeighbors(n_neighbors=11).fit(xy).kneighbors(xy)[1][:, 1:]
    direct = [len(set(h) & set(lo)) / 10 for h, lo in zip(high, low, strict=True)]
    np.testing.assert_allclose(q["preserved"].to_numpy(), direct, atol=1e-6)
    # (float32 distances here, float64 in scikit-learn: near-ties may rank differently)
    trust, cont = trustworthiness(x, xy, n_neighbors=10), trustworthiness(xy, x, n_neighbors=10)
    assert q.attrs["trustworthiness"] == pytest.approx(trust, abs=1e-4)
    assert q.attrs["continuity"] == pytest.approx(cont, abs=1e-4)
    assert q.attrs["sampled_rows"] == 300 and q.attrs["algorithm"] == "umap"
    assert q.attrs["mean_preserved"] == pytest.approx(np.mean(direct))


def test_sampled_trustworthiness_is_close_to_the_exact_one() -> None:
    from sklearn.datasets import load_digits
    from sklearn.manifold import trustworthiness

    from embed_widget.projection.quality import layout_quality

    x = load_digits().data.astype(np.float32)
    xy = x[:, :2] + x[:, 2:4]  # a poor layout, so there is something to measure
    high = NearestNeighbors(n_neighbors=11).fit(x).kneighbors(x)[1][:, 1:]
    q = layout_quality(x, xy.astype(np.float32), high, "euclidean")
    assert q.sampled_rows == 1000
    assert q.trustworthiness == pytest.approx(trustworthiness(x, xy, n_neighbors=10), abs=0.01)


def test_the_widget_measures_each_final_layout_and_colours_by_it() -> None:
    import time

    t = texts_table(200)
    view = t.view
    view.algorithm = "pca"
    assert view.wait(30)
    deadline = time.monotonic() + 30
    while "quality" not in view.status and time.monotonic() < deadline:
        time.sleep(0.05)
    kept = t.quality().attrs["mean_preserved"]
    assert view.status["quality"] == pytest.approx(kept)
    assert "projection quality" in [c["name"] for c in view._columns]
    view.color_by = "projection quality"
    assert view._colors["kind"] == "continuous"
    positions = np.frombuffer(view._colors["positions"], dtype=np.float32)
    assert len(positions) == 200 and view._colors["column"] == "projection quality"


# -- preprocessing ---------------------------------------------------------------------------


def wine_table() -> Table:
    from sklearn.datasets import load_wine

    wine = load_wine(as_frame=True)
    frame = wine.data.copy()
    frame["cultivar"] = wine.target.astype(str)
    return Table(dataframe=frame)


def test_auto_standardizes_columns_of_different_units_and_says_so() -> None:
    t = wine_table()
    plain = t.project("pca", preprocess="none")
    auto = t.project("pca")
    assert plain.attrs["params"]["preprocess"] == "none"
    assert auto.attrs["params"]["preprocess"] == "standardize"
    first_plain = _explained(t, "none")[0]
    first_std = _explained(t, "standardize")[0]
    assert first_plain > 0.99  # proline alone (its range is ~2,600x the smallest)
    assert first_std < 0.5


def _explained(t: Table, mode: str) -> list[float]:
    from embed_widget.session import session_for

    result, _ = session_for(t).project("pca", None, {"preprocess": mode})
    ratios: list[float] = result.info["explained_variance_ratio"]
    return ratios


def test_the_notice_says_why_auto_standardized() -> None:
    from embed_widget.session import session_for

    table = wine_table()  # (a session holds its table weakly)
    result, _ = session_for(table).project("pca", None, {})
    assert any("standardized" in n and "2,645x" in n for n in result.notices), result.notices


def test_a_vector_column_is_not_standardized_by_auto() -> None:
    x = np.random.default_rng(2).normal(size=(100, 6)).astype(np.float32)
    x[:, 0] *= 1000  # a scale auto would act on for numeric columns
    vectors = Table(columns=["emb"], data=[[row] for row in x])
    columns = Table(dataframe=pd.DataFrame(x, columns=list("abcdef")))
    assert vectors.project("pca").attrs["params"]["preprocess"] == "none"
    assert columns.project("pca").attrs["params"]["preprocess"] == "standardize"


@pytest.mark.parametrize("mode", ["standardize", "normalize", "spherize"])
def test_preprocess_modes(mode: str) -> None:
    from embed_widget.projection.preprocess import apply

    x = np.random.default_rng(0).normal(loc=3, scale=[1, 10, 100], size=(200, 3))
    y = apply(mode, x.astype(np.float32))
    if mode == "standardize":
        np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-5)
        np.testing.assert_allclose(y.std(axis=0), 1, atol=1e-5)
    else:
        np.testing.assert_allclose(np.linalg.norm(y, axis=1), 1, atol=1e-5)
    if mode == "spherize":  # centred first: the directions spread around the origin
        assert np.abs(y.mean(axis=0)).max() < 0.2
    assert y.dtype == np.float32 and y.flags.c_contiguous


# -- subset ("project only these") -----------------------------------------------------------


def test_a_subset_is_projected_on_its_own_and_the_rest_hidden() -> None:
    t = texts_table(120)
    view = t.view
    view.algorithm = "pca"
    assert view.wait(30)
    rows = np.arange(0, 120, 4)
    view.subset = rows
    assert view.wait(30)
    frame = t.projection
    assert frame.index.tolist() == rows.tolist()
    own = t.project("pca", embedding=None)  # (every row)
    assert not np.allclose(frame[["x", "y"]].to_numpy(), own[["x", "y"]].to_numpy()[rows])
    sub = Table(dataframe=t.to_dataframe().iloc[rows].reset_index(drop=True))
    alone = sub.project("pca")
    np.testing.assert_allclose(
        np.abs(frame[["x", "y"]].to_numpy()), np.abs(alone[["x", "y"]].to_numpy()), atol=1e-4
    )  # the subset's PCA, as if it were the whole table (up to the axes' signs)
    assert view.visible.sum() == 30 and not view.visible[1]
    assert any("only 30 rows" in n for n in view.status["notices"])
    assert t.quality().index.tolist() == rows.tolist()
    view.subset = None
    assert view.wait(30)
    assert len(t.projection) == 120 and view.visible.all()


def test_a_subset_out_of_range_raises() -> None:
    view = texts_table(20).view
    with pytest.raises(InvalidSetting, match="subset: row 25 is out of range"):
        view.subset = [1, 25]
    assert view.subset is None


def test_the_neighbour_metric_can_be_chosen() -> None:
    from embed_widget.widget.replies import reply

    t = texts_table()
    view = t.view
    content, _ = reply({"type": "details", "index": 3, "metric": "cosine"}, view)
    assert content["metric"] == "cosine" and "manhattan" in content["metrics"]
    assert [n["index"] for n in content["neighbors"]] == t.neighbors(
        3, metric="cosine"
    ).index.tolist()
    view.neighbor_metric = "manhattan"
    content, _ = reply({"type": "details", "index": 3}, view)
    assert content["metric"] == "manhattan"
    with pytest.raises(InvalidSetting, match="neighbor_metric"):
        view.neighbor_metric = "hamming"


def test_search_in_slices_finds_the_same_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above PARALLEL_ROWS a column is matched in one slice per core: same rows, in order."""
    import embed_widget.data.search as search

    t = texts_table(1001)
    whole = TextSearch(t).match("/log|#99/")
    monkeypatch.setattr(search, "PARALLEL_ROWS", 10)
    monkeypatch.setattr(search.os, "cpu_count", lambda: 3)
    sliced = TextSearch(t).match("/log|#99/")
    assert sliced.tolist() == whole.tolist() and len(whole) > 300
