"""Clusters of the layout (issue 12): HDBSCAN on the 2D layout, named from a column, in Python
(``Table.clusters``) and as the widget's traits."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_digits, make_blobs
from sklearn.metrics import adjusted_rand_score

from embed_widget import InvalidSetting, Table
from embed_widget.projection import clusters as clustering
from embed_widget.projection.cluster_names import majority_names, median_names, term_names
from embed_widget.session.clusters import (
    check_naming_column,
    find_layout_clusters,
    name_clusters,
    naming_column,
)
from embed_widget.widget import clusters as widget_clusters


def wait_until(condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def groups_table(n: int = 600, seed: int = 3) -> tuple[Table, np.ndarray]:
    points, truth = make_blobs(n, n_features=6, centers=4, cluster_std=0.6, random_state=seed)
    frame = pd.DataFrame(points, columns=[f"d{i}" for i in range(6)])
    frame["group"] = [f"group {k}" for k in truth]
    frame["size"] = truth * 10.0
    words = ["cats", "ships", "rain", "jazz"]
    frame["text"] = [f"about {words[k]}, note {i}" for i, k in enumerate(truth)]
    return Table(dataframe=frame), truth


# -- finding -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_clusters_recover_the_ten_digits_on_the_umap_layout() -> None:
    digits = load_digits()
    frame = pd.DataFrame({"pixels": list(digits.data.astype(np.float32))})
    frame["digit"] = digits.target.astype(str)
    t = Table(dataframe=frame)
    found = t.clusters()
    assert found.attrs["algorithm"] == "umap"
    assert adjusted_rand_score(digits.target, found.cluster) >= 0.8
    assert found.attrs["method"] == "hdbscan" and found.attrs["space"] == "2d layout"
    assert found.attrs["min_cluster_size"] == 18  # 1% of 1,797
    named = found[found.cluster >= 0].groupby("cluster").label.first()
    # each cluster is named by its majority digit, e.g. "3 98%"
    for cluster, label in named.items():
        digit, share = label.split()
        members = digits.target[found.cluster.to_numpy() == cluster]
        assert int(digit) == np.bincount(members).argmax()
        assert share == f"{100 * np.mean(members == int(digit)):.0f}%"


def test_clusters_above_the_sample_size_spread_to_every_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clustering, "SAMPLE_ROWS", 2_000)
    points, truth = make_blobs(8_000, n_features=2, centers=5, cluster_std=0.4, random_state=1)
    found = clustering.find_clusters(points)
    assert found.params["sampled_rows"] == 2_000
    assert len(found.labels) == 8_000 and found.count == 5
    assert adjusted_rand_score(truth, found.labels) > 0.95
    again = clustering.find_clusters(points)
    np.testing.assert_array_equal(found.labels, again.labels)  # the same sample each time


def test_too_few_rows_are_all_noise_and_a_tiny_cluster_size_is_refused() -> None:
    assert (clustering.find_clusters(np.zeros((3, 2))).labels == -1).all()
    with pytest.raises(ValueError, match="min_cluster_size must be at least 2"):
        clustering.find_clusters(np.random.default_rng(0).normal(size=(50, 2)), 1)


# -- naming ------------------------------------------------------------------------------------


def test_majority_names_give_the_top_category_and_its_share() -> None:
    labels = np.array([0, 0, 0, 0, 1, 1, -1, 1])
    codes = np.array([2, 2, 2, 1, 0, 0, 2, 1])
    assert majority_names(labels, 2, codes, ["os", "logging", "argparse"]) == [
        "argparse 75%",
        "os 67%",
    ]


def test_median_names() -> None:
    labels = np.array([0, 0, 0, 1, 1, -1])
    values = np.array([1.0, 2.0, np.nan, 10.0, 30.0, 99.0])
    assert median_names(labels, 2, values, "length") == ["length 1.5", "length 20"]


def test_term_names_pick_each_clusters_distinctive_words() -> None:
    texts = [
        "the cat sat on the mat", "a cat and a kitten", "cats purr, kitten sleeps",
        "the ship left the harbour", "ship sails in the harbour", "harbour ship anchor",
        "the weather is nice", None,
    ]  # fmt: skip
    labels = np.array([0, 0, 0, 1, 1, 1, -1, -1])
    names = term_names(labels, 2, texts)
    first, second = (set(n.split(", ")) for n in names)
    assert first == {"cat", "kitten", "cats"} or {"cat", "kitten"} <= first
    assert {"ship", "harbour"} <= second
    assert not first & {"the", "and", "on"}  # stop words left out


def test_the_naming_column_follows_the_colour_then_text_then_categories() -> None:
    kinds = {"v": "embedding", "group": "categorical", "text": "text", "n": "numeric"}
    assert naming_column(kinds, None, "group") == "group"
    assert naming_column(kinds, None, "n") == "text"
    assert naming_column(kinds, "n", "group") == "n"
    assert naming_column({"v": "embedding", "g": "categorical"}, None) == "g"
    assert naming_column({"v": "embedding"}, None) is None
    with pytest.raises(ValueError, match="'v' is a embedding column, which cannot name"):
        check_naming_column("v", kinds)
    with pytest.raises(ValueError, match="no column 'nope'"):
        check_naming_column("nope", kinds)


# -- Table.clusters and the widget ---------------------------------------------------------------


def test_table_clusters_names_each_group_by_the_column_asked() -> None:
    t, truth = groups_table()
    t.project("pca")
    by_group = t.clusters()
    assert adjusted_rand_score(truth, by_group.cluster) > 0.95
    assert by_group.attrs["label_column"] == "group"  # the default colour column
    for k in range(4):
        assert set(by_group.label[truth == k]) == {f"group {k} 100%"}
    by_text = t.clusters(label_column="text")
    assert by_text.attrs["label_method"] == "c-tf-idf"
    for k, word in enumerate(["cats", "ships", "rain", "jazz"]):
        assert set(by_text.label[truth == k]) == {word}  # "about" and "note" are everywhere
    by_size = t.clusters(label_column="size")
    assert set(by_size.label[truth == 2]) == {"size 20"}
    with pytest.raises(InvalidSetting, match="label_column: no column 'nope'"):
        t.clusters(label_column="nope")


def test_the_view_finds_clusters_after_each_layout_and_names_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found: list[int] = []
    real = widget_clusters.find_layout_clusters

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        found.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(widget_clusters, "find_layout_clusters", counted)
    t, truth = groups_table()
    view = t.view
    view.algorithm = "pca"
    view._start()
    view.wait()
    wait_until(lambda: view._clusters.get("seq") == view._layout["seq"])
    codes = np.frombuffer(view._clusters["codes"], dtype=np.uint16)
    assert adjusted_rand_score(truth, codes) > 0.95
    assert sorted(view._clusters["names"]) == [f"group {k} 100%" for k in range(4)]
    assert view._clusters["column"] == "group"
    seq = view._clusters["seq"]

    assert len(found) == 1
    view.label_column = "text"  # renamed, not found again
    wait_until(lambda: view._clusters["column"] == "text")
    assert view._clusters["seq"] == seq and len(found) == 1
    np.testing.assert_array_equal(np.frombuffer(view._clusters["codes"], np.uint16), codes)

    with pytest.raises(InvalidSetting, match="label_column: no column 'nope'"):
        view.label_column = "nope"
    assert view.label_column == "text"  # nothing changed

    view.color_by = "clusters"
    colors = view._colors
    assert colors["kind"] == "categorical" and colors["column"] == "clusters"
    assert sorted(colors["categories"]) == sorted(["cats", "ships", "rain", "jazz"])
    assert view.clusters_frame().attrs["label_column"] == "text"

    view.params = {**view.params, "x_component": 2}  # a new layout: its own clusters
    view.wait()
    wait_until(lambda: view._clusters.get("seq") == view._layout["seq"] != seq)
    view.close()


def test_clusters_of_a_subset_leave_the_other_rows_out() -> None:
    t, truth = groups_table()
    view = t.view
    view.algorithm = "pca"
    rows = np.flatnonzero(truth < 2)
    view.subset = rows
    view._start()
    view.wait()
    frame = t.clusters()
    assert list(frame.index) == rows.tolist()
    assert set(frame.cluster) <= {-1, 0, 1} and set(frame.label) >= {"group 0 100%"}
    wait_until(lambda: view._clusters.get("seq") == view._layout["seq"])
    codes = np.frombuffer(view._clusters["codes"], dtype=np.uint16)
    assert (codes[truth >= 2] == 0).all()  # outside the subset: no cluster
    view.close()


def test_labels_off_finds_no_clusters_until_asked() -> None:
    t, _ = groups_table()
    view = t.view
    view.algorithm = "pca"
    view.labels = False
    view._start()
    view.wait()
    assert view._named._job is None and view._clusters == {}  # no job was even queued
    view.labels = True
    wait_until(lambda: view._clusters.get("seq") == view._layout["seq"])
    view.close()


def test_clusters_found_before_rows_were_added_name_the_old_rows_only() -> None:
    t, _ = groups_table()
    coords = t.project("pca")[["x", "y"]].to_numpy()
    found = find_layout_clusters(len(t), coords)
    t.add_data(*[0.0] * 6, "group 9", 90.0, "about nothing, note 600")
    named = name_clusters(t, found, "group")
    assert len(named.labels) == 601 and named.labels[600] == -1
    assert sorted(named.names) == [f"group {k} 100%" for k in range(4)]


def test_a_clusters_column_of_the_users_is_the_users() -> None:
    t, _ = groups_table()
    t.add_col("clusters", [f"c{i % 3}" for i in range(len(t))])
    view = t.view
    view.color_by = "clusters"  # the table's categorical column, not the layout's clusters
    assert view._colors["categories"] == ["c0", "c1", "c2"]
    frame = pd.DataFrame(
        {"a": np.arange(60.0), "clusters": [f"text {i} of many" for i in range(60)]}
    )
    texts = Table(dataframe=frame)
    assert texts.column_kinds["clusters"] == "text"
    with pytest.raises(InvalidSetting, match="color_by"):
        texts.view.color_by = "clusters"  # a text column cannot colour
    view.close()
