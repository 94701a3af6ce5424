"""Training steps (issue 13): every step laid out in order, each warm-started from the one before
and aligned to it, kept, shown at once when stepped to; bad steps refused."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import NearestNeighbors

from embed_widget import InvalidSetting, Table
from embed_widget.projection import Projector
from embed_widget.projection.align import procrustes
from embed_widget.session import steps as steps_module
from embed_widget.widget import EmbeddingView

STEPS = ["step0", "step1", "step2"]


def training_run(n: int = 400, seed: int = 0) -> pd.DataFrame:
    """Five classes whose vectors come apart step by step (as a model learns them)."""
    rng = np.random.default_rng(seed)
    label = rng.integers(0, 5, n)
    centers = rng.normal(size=(5, 16)) * 3
    frame = pd.DataFrame({"label": label.astype(str), "score": rng.random(n)})
    for k, name in enumerate(STEPS):
        vectors = centers[label] * (0.4 + 0.3 * k) + rng.normal(size=(n, 16))
        frame[name] = list(vectors.astype("float32"))
    frame["final"] = frame[STEPS[-1]]  # (a vector column that is not a step)
    return frame


def coords(view: EmbeddingView) -> np.ndarray:
    return np.frombuffer(view._layout["coords"], dtype=np.float32).reshape(-1, 2)


def wait_laid_out(view: EmbeddingView, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(view._steps.get("ready", [])) < count:
        assert time.monotonic() < deadline, f"steps laid out: {view._steps}"
        time.sleep(0.05)


@pytest.fixture
def stepped() -> Iterator[EmbeddingView]:
    view = EmbeddingView(Table(dataframe=training_run()), algorithm="umap", steps=STEPS)
    view._repr_mimebundle_()
    assert view.wait(120)
    wait_laid_out(view, len(STEPS))
    yield view
    view.close()


def test_steps_are_laid_out_in_order_each_started_from_the_one_before(
    stepped: EmbeddingView,
) -> None:
    assert stepped._steps["ready"] == [0, 1, 2] and stepped._steps["progress"] == 1.0
    assert stepped.embedding == ["step0"]  # the first step shows first
    infos = []
    for index in range(len(STEPS)):
        stepped.step = index
        frame = stepped.projection_frame()
        infos.append(frame.attrs["step"])
        assert frame.attrs["embedding"] == [STEPS[index]] == stepped.embedding
    assert infos[0]["started_from"] == "fresh" and not infos[0]["aligned_to_previous"]
    assert infos[1]["started_from"] == "step 1 (step0)" and infos[1]["aligned_to_previous"]
    assert infos[2]["started_from"] == "step 2 (step1)"
    assert stepped.result is not None and stepped.result.info["n_epochs"] == 100  # warm: short


def test_each_step_is_aligned_to_the_one_before_and_closer_to_it_than_a_fresh_fit(
    stepped: EmbeddingView,
) -> None:
    layouts = []
    for index in range(len(STEPS)):
        stepped.step = index
        layouts.append(coords(stepped).astype(np.float64))
    for before, after in itertools.pairwise(layouts):
        again = procrustes(before, after).apply(after)  # already aligned: nothing left to do
        assert np.abs(again - after).max() < 1e-3 * np.abs(after).max()
    # a fresh fit of the last step, aligned the same way, lands further from the step before
    fresh = Projector().project("fresh", np.stack(stepped.table.get_column("step2")), "umap", {})
    fresh_aligned = procrustes(layouts[1], fresh.coords).apply(fresh.coords)
    warm_gap = np.linalg.norm(layouts[2] - layouts[1], axis=1).mean()
    fresh_gap = np.linalg.norm(fresh_aligned - layouts[1], axis=1).mean()
    assert warm_gap < 0.7 * fresh_gap, (warm_gap, fresh_gap)


def test_a_step_laid_out_shows_at_once_without_a_new_job(stepped: EmbeddingView) -> None:
    engine = stepped.live.session.engine
    jobs, seq = engine.latest_job, stepped.status["seq"]
    stepped.step = 2
    assert (
        stepped.status["state"] == "done" and stepped.status["seq"] > seq
    )  # drawn, as a new layout
    assert stepped._layout["final"] is True and stepped._layout["seq"] == stepped.status["seq"]
    assert engine.latest_job == jobs  # nothing computed again
    stepped.set_state({"step": 7})  # the slider past the end (from the frontend): the last step
    assert stepped.step == 2


def test_the_same_steps_again_come_from_the_cache(
    stepped: EmbeddingView, monkeypatch: pytest.MonkeyPatch
) -> None:
    fits: list[int] = []
    fit_step = steps_module._fit_step
    monkeypatch.setattr(
        steps_module, "_fit_step", lambda *a, **k: fits.append(a[2]) or fit_step(*a, **k)
    )
    first = coords(stepped).copy()
    stepped.params = {"n_neighbors": 5}
    assert stepped.wait(120)
    wait_laid_out(stepped, 3)
    assert fits == [0, 1, 2]  # other settings: every step laid out again
    assert np.abs(coords(stepped) - first).max() > 0
    stepped.params = {}
    assert stepped.wait(120)
    wait_laid_out(stepped, 3)
    assert fits == [0, 1, 2]  # back to the first settings: nothing fitted, all kept
    assert np.array_equal(coords(stepped), first)


def test_a_step_is_drawn_once_however_often_it_is_asked_for(stepped: EmbeddingView) -> None:
    stepped.step = 1
    seq = stepped._layout["seq"]
    stepped.step = 1
    stepped.projection_frame()  # (asks for the result: the same step, nothing drawn again)
    stepped.wait()
    assert stepped._layout["seq"] == seq


def test_steps_superseded_midway_never_show_the_old_settings() -> None:
    view = EmbeddingView(Table(dataframe=training_run()), algorithm="umap", steps=STEPS)
    view._repr_mimebundle_()
    view.step = 2  # wanted before it is laid out: the status waits, then it shows
    view.params = {"n_neighbors": 6}  # while the first run goes on
    assert view.wait(120)
    wait_laid_out(view, 3)
    frame = view.projection_frame()
    assert frame.attrs["params"]["n_neighbors"] == 6
    assert frame.attrs["step"]["index"] == 2 and view.embedding == ["step2"]
    assert view.status["state"] == "done" and view._layout["seq"] == view.status["seq"]
    view.close()


def test_a_step_column_chosen_as_embedding_goes_to_that_step() -> None:
    table = Table(dataframe=training_run(60))
    view = EmbeddingView(table, algorithm="pca", embedding=["step1"], steps=STEPS)
    assert view.steps == STEPS and view.step == 1 and view.embedding == ["step1"]
    view.embedding = ["step2"]  # (the embedding picker)
    assert view.step == 2 and view.steps == STEPS
    view.close()


def test_choosing_another_embedding_leaves_the_steps(stepped: EmbeddingView) -> None:
    stepped.embedding = ["final"]
    assert stepped.steps == [] and stepped._steps == {}
    assert stepped.wait(60)
    assert stepped.projection_frame().attrs["step"] is None  # a plain fit


def test_bad_steps_are_refused_and_change_nothing() -> None:
    view = EmbeddingView(Table(dataframe=training_run(60)), algorithm="pca")
    with pytest.raises(InvalidSetting, match="'score' is a numeric column; each step is an emb"):
        view.steps = ["step0", "score"]
    with pytest.raises(InvalidSetting, match="'nope' is not a column"):
        view.steps = ["step0", "nope"]
    with pytest.raises(InvalidSetting, match="at least 2"):
        view.steps = ["step0"]
    assert view.steps == []
    view.steps = STEPS
    with pytest.raises(InvalidSetting, match="step must be from 0 to 2"):
        view.step = 3
    assert view.step == 0
    view.close()


def test_tsne_steps_start_from_the_step_before_with_a_short_exaggerated_phase() -> None:
    frame = training_run(300)
    view = EmbeddingView(Table(dataframe=frame), algorithm="tsne", steps=STEPS)
    view._repr_mimebundle_()
    assert view.wait(120)
    wait_laid_out(view, 3)
    view.step = 2
    assert view.projection_frame().attrs["step"]["started_from"] == "step 2 (step1)"
    assert view.result is not None and view.result.info["n_iter"] == 150
    xy, labels = coords(view), frame["label"].to_numpy()
    _, near = NearestNeighbors(n_neighbors=11).fit(xy).kneighbors(xy)
    assert (labels[near[:, 1:]] == labels[:, None]).mean() > 0.9  # the classes came apart
    view.close()


def test_pca_steps_are_fitted_fresh_and_aligned() -> None:
    view = EmbeddingView(Table(dataframe=training_run(200)), algorithm="pca", steps=STEPS)
    view._repr_mimebundle_()
    assert view.wait(60)
    wait_laid_out(view, 3)
    view.step = 1
    assert view.projection_frame().attrs["step"]["started_from"] == "fresh"
    assert view.projection_frame().attrs["step"]["aligned_to_previous"] is True
    view.close()


def test_a_warm_start_is_its_own_cached_result() -> None:
    projector = Projector()
    matrix = np.random.default_rng(2).normal(size=(300, 8)).astype(np.float32)
    fresh = projector.project("m", matrix, "umap", {})
    start = fresh.coords[::-1].copy()  # somewhere else entirely
    warm = projector.project("m", matrix, "umap", {}, start=start)
    assert warm.info["started_from"] == "previous" and warm.info["n_epochs"] == 100
    assert not np.array_equal(warm.coords, fresh.coords)
    assert projector.project("m", matrix, "umap", {}).info["cached"] is True  # not the warm one
    again = projector.project("m", matrix, "umap", {}, start=start)
    assert again.info["cached"] is True and np.array_equal(again.coords, warm.coords)


def long_run(n: int = 50) -> pd.DataFrame:
    """A run's table logged at steps 0, 100 and 20 (in that order), rows shuffled at each."""
    rng = np.random.default_rng(3)
    parts = []
    for step in (0, 100, 20):
        order = rng.permutation(n)
        parts.append(pd.DataFrame({
            "id": [f"item{i}" for i in order],
            "step": step,
            "embedding": [np.full(4, step + i, dtype=np.float32) for i in order],
            "loss": [float(step)] * n,
        }))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def test_a_long_table_of_steps_becomes_a_row_per_item_and_a_column_per_step() -> None:
    table = Table.from_steps(long_run(), step="step", key="id", embedding="embedding")
    columns = ["embedding@0", "embedding@20", "embedding@100"]  # (numeric steps in order)
    assert table.view.steps == columns and table.view.embedding == ["embedding@0"]
    assert len(table) == 50
    frame = table.to_dataframe().set_index("id")
    for column, step in zip(columns, (0, 20, 100), strict=True):
        item7 = np.asarray(frame.loc["item7", column])
        assert np.array_equal(item7, np.full(4, step + 7))  # each item's own vector at each step
    assert set(frame["loss"]) == {100.0}  # other columns: the last step's values
    table.view.close()


def test_long_tables_with_gaps_or_repeats_are_refused_unless_asked() -> None:
    gaps = long_run().drop(index=[3, 60])  # an item missing at step 0, another at step 100
    with pytest.raises(ValueError, match=r"no row at step 0 .*missing='drop' to keep the 48"):
        Table.from_steps(gaps)
    table = Table.from_steps(gaps, missing="drop")
    assert len(table) == 48
    table.view.close()
    repeated = pd.concat([long_run(), long_run().iloc[:1]], ignore_index=True)
    with pytest.raises(ValueError, match="has 2 rows at step 0"):
        Table.from_steps(repeated)
    with pytest.raises(ValueError, match="the key column 'item' is not in the table"):
        Table.from_steps(long_run(), key="item")
    with pytest.raises(ValueError, match="holds 1 step"):
        Table.from_steps(long_run().query("step == 0"))
