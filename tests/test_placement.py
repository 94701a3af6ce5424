"""Rows added to a shown table are placed into its layout by the algorithm's own rule, without
moving the rows it was fitted on (issue 13); a refit fits every row again."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_digits
from sklearn.neighbors import NearestNeighbors

from embed_widget import Table
from embed_widget.widget.replies import reply

FITTED = 1500


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    x, y = load_digits(return_X_y=True)
    return x.astype(np.float32), y


def label_agreement(frame: pd.DataFrame, labels: np.ndarray, rows: np.ndarray) -> float:
    """Share of each row's 10 nearest rows in the layout that have its label."""
    xy = frame[["x", "y"]].to_numpy()
    _, near = NearestNeighbors(n_neighbors=11).fit(xy).kneighbors(xy[rows])
    return float((labels[near[:, 1:]] == labels[rows, None]).mean())


def shown_table(x: np.ndarray, algorithm: str) -> Table:
    table = Table(dataframe=pd.DataFrame({"emb": list(x)}))
    table.view.algorithm = algorithm
    table.view._start()
    table.view.wait()
    return table


@pytest.mark.parametrize("algorithm", ["umap", "tsne", "pca"])
def test_added_rows_are_placed_near_their_neighbours_and_move_no_other(
    digits: tuple[np.ndarray, np.ndarray], algorithm: str
) -> None:
    x, y = digits
    table = shown_table(x[:FITTED], algorithm)
    view = table.view
    before = table.projection[["x", "y"]].to_numpy(dtype=np.float32)
    for row in x[FITTED:]:
        table.add_data(row)
    view.wait()
    placed = table.projection
    assert placed["placed"].tolist() == [False] * FITTED + [True] * (len(x) - FITTED)
    assert placed.attrs["placed"]["fitted"] == FITTED
    assert placed.attrs["placed"]["placed"] == len(x) - FITTED
    assert view.status["info"]["placed"]["placed"] == len(x) - FITTED
    after = placed[["x", "y"]].to_numpy(dtype=np.float32)
    assert np.array_equal(after[:FITTED], before)  # bit for bit: nothing fitted moved
    new_rows = np.arange(FITTED, len(x))

    view.refit()
    view.wait()
    refitted = table.projection
    assert "placed" not in refitted.columns and refitted.attrs["placed"] is None
    gap = label_agreement(refitted, y, new_rows) - label_agreement(placed, y, new_rows)
    assert gap <= 0.05, f"{algorithm}: placed rows agree {gap:.3f} less than after a refit"
    view.close()


def test_rows_placed_twice_keep_the_first_placed_where_they_were(
    digits: tuple[np.ndarray, np.ndarray],
) -> None:
    x, _ = digits
    table = shown_table(x[:1000], "umap")
    for row in x[1000:1100]:
        table.add_data(row)
    table.view.wait()
    first = table.projection[["x", "y"]].to_numpy(dtype=np.float32)
    for row in x[1100:1200]:
        table.add_data(row)
    table.view.wait()
    second = table.projection
    assert np.array_equal(second[["x", "y"]].to_numpy(dtype=np.float32)[:1100], first)
    assert second.attrs["placed"] == {**second.attrs["placed"], "fitted": 1000, "placed": 200}
    table.view.close()


def test_other_settings_or_a_subset_fit_again_and_the_refit_message_fits_every_row(
    digits: tuple[np.ndarray, np.ndarray],
) -> None:
    x, _ = digits
    table = shown_table(x[:600], "pca")
    view = table.view
    for row in x[600:650]:
        table.add_data(row)
    view.wait()
    assert table.projection.attrs["placed"]["placed"] == 50
    view.params = {"x_component": 2}  # new settings: a fit of every row
    view.wait()
    assert table.projection.attrs["placed"] is None
    table.add_data(x[650])
    view.wait()
    assert table.projection.attrs["placed"]["placed"] == 1
    assert reply({"type": "refit"}, view) is None  # the widget's refit button
    view.wait()
    assert table.projection.attrs["placed"] is None
    view.subset = np.arange(100)
    table.add_data(x[651])
    view.wait()
    assert "placed" not in table.projection.columns
    view.close()


def test_a_column_added_to_a_shown_table_moves_no_point(
    digits: tuple[np.ndarray, np.ndarray],
) -> None:
    x, y = digits
    table = shown_table(x[:500], "umap")
    before = table.projection[["x", "y"]].to_numpy(dtype=np.float32)
    table.add_col("digit", [str(v) for v in y[:500]])
    table.view.wait()
    after = table.projection
    assert np.array_equal(after[["x", "y"]].to_numpy(dtype=np.float32), before)
    assert "digit" in after.columns and after.attrs["placed"] is None
    table.view.close()


def test_rows_added_while_a_refit_runs_are_fitted_with_it(
    digits: tuple[np.ndarray, np.ndarray],
) -> None:
    x, _ = digits
    table = shown_table(x[:800], "umap")
    view = table.view
    table.add_data(x[800])
    view.wait()
    assert table.projection.attrs["placed"]["placed"] == 1
    view.refit()  # a UMAP of 801 rows starts ...
    table.add_data(x[801])  # ... and a row comes meanwhile: it joins the refit, not the old layout
    view.wait()
    assert len(table.projection) == 802 and table.projection.attrs["placed"] is None
    view.close()


@pytest.mark.parametrize("preprocess", ["none", "standardize"])
def test_pca_places_new_rows_by_the_fits_own_map_even_with_fewer_rows_than_dims(
    preprocess: str,
) -> None:
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    from embed_widget.projection.placement import place
    from embed_widget.projection.projector import Projector
    from embed_widget.projection.result import Reporter

    rng = np.random.default_rng(0)
    x = (rng.normal(size=(330, 400)) * rng.uniform(0.1, 50, 400)).astype(np.float32)
    fit = Projector().project("k", x[:300], "pca", {"preprocess": preprocess})
    placed, _ = place(x, 300, fit.coords, fit, Reporter())
    scaler = StandardScaler() if preprocess == "standardize" else None
    fitted = scaler.fit_transform(x[:300]) if scaler else x[:300]
    new = scaler.transform(x[300:]) if scaler else x[300:]
    pca = PCA(2).fit(fitted.astype(np.float64))
    signs = np.sign((pca.transform(fitted) * fit.coords).sum(axis=0))  # (a component's sign)
    expected = pca.transform(new.astype(np.float64)) * signs
    scale = np.abs(expected).max()
    assert np.abs(placed - expected).max() < 1e-3 * scale


def test_more_new_rows_than_a_quarter_of_the_fitted_ones_are_fitted_with_them(
    digits: tuple[np.ndarray, np.ndarray],
) -> None:
    x, _ = digits
    table = shown_table(x[:400], "pca")
    for row in x[400:520]:  # 30%
        table.add_data(row)
    table.view.wait()
    assert len(table.projection) == 520 and table.projection.attrs["placed"] is None
    table.view.close()
