"""One session per table (issue 9): shared work, one default, parameter memory, lifetimes."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from fakes import FakeEngine
from test_widget import blobs

import embed_widget.widget.outputs as outputs_module
from embed_widget import InvalidSetting, Table
from embed_widget.projection import param_schema
from embed_widget.session import ProjectionSession, session_for
from embed_widget.widget import EmbeddingView


def faked(table: Table) -> FakeEngine:
    engine = FakeEngine()
    ProjectionSession(table, engine=engine)  # type: ignore[arg-type]
    return engine


def test_closing_the_view_leaves_a_table_that_shows_again() -> None:
    table = Table(dataframe=blobs())
    old = table.view
    old.algorithm = "pca"
    assert old.wait(30)
    old.close()
    assert old.closed and table.view is not old and not table.view.closed
    bundle = table._repr_mimebundle_()  # was: TypeError 'NoneType' object is not callable
    assert "application/vnd.jupyter.widget-view+json" in bundle[0]
    table.view.algorithm = "pca"  # was: RuntimeError this ProjectionEngine was shut down
    table.view.params = {"x_component": 2}
    assert table.view.wait(30) and table.view.status["state"] == "done"
    assert table.projection.attrs["params"]["x_component"] == 2
    table.view.close()


@pytest.mark.parametrize("params_first", [False, True])
def test_params_set_together_with_the_algorithm_are_kept(params_first: bool) -> None:
    table = Table(dataframe=blobs())
    engine = faked(table)
    view = EmbeddingView(table, algorithm="pca", params={"x_component": 3})
    view._repr_mimebundle_()
    with view.hold_trait_notifications():
        if params_first:
            view.params = {"perplexity": 12}
            view.algorithm = "tsne"
        else:
            view.algorithm = "tsne"
            view.params = {"perplexity": 12}
    assert view.params == {"perplexity": 12}  # was: {}
    assert engine.jobs[-1].algorithm == "tsne" and engine.jobs[-1].params["perplexity"] == 12
    view.algorithm = "pca"  # each algorithm's own parameters come back
    assert view.params == {"x_component": 3}
    view.algorithm = "tsne"
    assert view.params == {"perplexity": 12}
    view.close()


def test_one_message_from_the_controls_with_both_settings_keeps_both() -> None:
    table = Table(dataframe=blobs())
    engine = faked(table)
    view = EmbeddingView(table, algorithm="pca")
    view._repr_mimebundle_()
    view.set_state({"algorithm": "umap", "params": {"n_neighbors": 7}})
    assert view.params == {"n_neighbors": 7}
    assert engine.jobs[-1].algorithm == "umap" and engine.jobs[-1].params["n_neighbors"] == 7
    view.close()


def test_the_schema_is_static_and_the_data_limits_travel_apart() -> None:
    table = Table(dataframe=blobs(50))
    faked(table)
    view = EmbeddingView(table, algorithm="pca")
    schema = view._schema
    assert schema == param_schema()  # nothing of the table in it
    assert view._limits["n_rows"] == 50 and view._limits["n_dims"] == 5
    assert view._limits["max"]["umap"]["n_neighbors"] == 49
    assert view._limits["max"]["pca"]["x_component"] == 5
    view.embedding = ["a", "b"]
    assert view._schema is schema  # an embedding change does not resend (or rebuild) the schema
    assert view._limits["n_dims"] == 2 and view._limits["max"]["pca"]["x_component"] == 2
    view.close()


def test_project_and_the_widget_share_one_session_and_one_default() -> None:
    small = Table(dataframe=blobs(50))
    assert EmbeddingView(small).algorithm == small.view.algorithm == "pca"  # was: umap vs pca
    big = Table(dataframe=blobs(150))
    assert EmbeddingView(big).algorithm == big.view.algorithm == "umap"

    table = Table(dataframe=blobs(120))
    first = table.project("pca", x_component=2)
    assert first.attrs["algorithm"] == "pca"
    view = table.view
    view.algorithm = "pca"
    view.params = {"x_component": 2}
    assert view.wait(30)
    assert view.result is not None and view.result.info["cached"] is True  # t.project's result
    np.testing.assert_array_equal(view.projection_frame()[["x", "y"]], first[["x", "y"]])
    assert view.live.session is session_for(table)
    view.close()


def test_unknown_keywords_and_parameters_raise() -> None:
    table = Table(dataframe=blobs(30))
    with pytest.raises(TypeError, match=r"'colour_by' \(did you mean 'color_by'\?\); accepted"):
        EmbeddingView(table, colour_by="label")
    with pytest.raises(InvalidSetting, match=r"unknown pca parameter.*'n_neighbors'"):
        table.project("pca", n_neighbors=5)
    with pytest.raises(InvalidSetting, match="algorithm must be one of"):
        table.project("lda")


def test_a_view_whose_outputs_are_gone_stops_its_job_and_frees_its_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(outputs_module, "HIDE_DELAY_S", 0.05)
    table = Table(dataframe=blobs(400))
    view = table.view
    session = view.live.session
    view.algorithm = "tsne"
    view.params = {"n_iter": 5000}  # long enough to be running when the output goes
    view._repr_mimebundle_()
    view._on_message(view, {"type": "output", "shown": True}, [])
    deadline = time.monotonic() + 30
    while view.status.get("phase") in (None, "starting") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert view.status["state"] == "running"
    view._on_message(view, {"type": "output", "shown": False}, [])  # the cell was re-run
    deadline = time.monotonic() + 10
    while session.engine.busy and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not session.engine.busy, "the hidden view's job kept running"
    assert view.status["state"] == "idle" and view._layout == {}
    assert session.engine.projector.cache_sizes()["keys"] == 0
    assert session.cached_matrix is None

    view.params = {"n_iter": 250}
    view._on_message(view, {"type": "output", "shown": True}, [])  # shown again: computes again
    assert view.wait(60) and view.status["state"] == "done"
    assert session.cached_matrix is not None
    view.close()


def test_idle_views_hold_no_thread() -> None:
    views = []
    for seed in range(5):
        view = Table(dataframe=blobs(60, seed)).view
        view.algorithm = "pca"
        assert view.wait(30)
        views.append(view)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        names = [t.name for t in threading.enumerate() if t.name.startswith("embed_widget")]
        if not names:
            break
        time.sleep(0.05)
    assert names == []
    for view in views:
        view.close()


def test_a_closed_view_and_its_dropped_table_are_freed() -> None:
    import gc
    import weakref

    table = Table(dataframe=blobs(80))
    view = table.view
    view.algorithm = "pca"
    assert view.wait(30)
    refs = weakref.ref(view), weakref.ref(table), weakref.ref(view.live.session)
    view.close()
    del view, table
    gc.collect()
    assert [ref() is None for ref in refs] == [True, True, True]


def test_the_session_holds_one_copy_of_a_vector_column() -> None:
    """The table's vectors are the matrix every projection reads: no second copy, read-only."""
    import pandas as pd

    vectors = np.random.default_rng(0).normal(size=(300, 16)).astype(np.float32)
    table = Table(dataframe=pd.DataFrame({"emb": list(vectors), "n": np.arange(300)}))
    stored = table._column("emb").values
    matrix = session_for(table).full_matrix(["emb"])
    assert np.shares_memory(matrix, stored) and not matrix.flags.writeable
    np.testing.assert_array_equal(matrix, vectors)
    table.project("umap", n_epochs=50, metric="cosine")  # cosine prepares its own unit rows
    np.testing.assert_array_equal(stored, vectors)  # ... without touching the table's
    # numeric columns are assembled into a new matrix (the table keeps them one by one)
    both = session_for(table).full_matrix(["emb", "n"])
    assert not np.shares_memory(both, stored) and both.shape == (300, 17)
