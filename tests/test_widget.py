"""Widget state (layer 2): traits set from Python, the buffers sent, recomputation and errors."""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fakes import FakeEngine

from embed_widget import Image, Table
from embed_widget.session import ProjectionSession, session_for
from embed_widget.widget import EmbeddingView


def blobs(n: int = 120, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    centers = np.array([[0, 0, 0, 0], [6, 6, 0, 0], [0, 6, 6, 6]], dtype=float)
    label = rng.integers(0, 3, n)
    points = centers[label] + rng.normal(size=(n, 4))
    frame = pd.DataFrame(points, columns=["a", "b", "c", "d"])
    frame["label"] = [f"group {k}" for k in label]
    frame["score"] = rng.random(n)
    return frame


def coords(view: EmbeddingView) -> np.ndarray:
    layout = view._layout
    assert isinstance(layout["coords"], bytes), "coordinates cross as raw bytes, not JSON lists"
    return np.frombuffer(layout["coords"], dtype=np.float32).reshape(-1, 2)


@pytest.fixture
def view() -> EmbeddingView:
    table = Table(dataframe=blobs())
    v = table.view
    v.algorithm = "pca"
    assert v.wait(30)
    return v


def test_defaults_come_from_the_table() -> None:
    table = Table(dataframe=blobs())
    view = EmbeddingView(table, algorithm="pca")
    assert view.embedding == ["a", "b", "c", "d", "score"]
    assert view.color_by == "label"
    assert view.image_column is None
    assert {c["name"]: c["kind"] for c in view._columns}["label"] == "categorical"
    assert set(view._schema) == {"pca", "umap", "tsne"}
    assert view.wait(30)
    assert view._layout["final"] is True
    assert coords(view).shape == (120, 2)
    view.close()


def test_layout_equals_projection_frame(view: EmbeddingView) -> None:
    frame = view.projection_frame()
    np.testing.assert_array_equal(coords(view), frame[["x", "y"]].to_numpy(dtype=np.float32))
    assert list(frame.columns[:2]) == ["x", "y"]
    assert "label" in frame.columns and "a" in frame.columns
    assert frame.attrs["algorithm"] == "pca"
    assert frame.attrs["embedding"] == view.embedding


def test_pca_component_switch_changes_the_layout(view: EmbeddingView) -> None:
    before = coords(view).copy()
    view.params = {"x_component": 3, "y_component": 2}
    assert view.wait(30)
    after = coords(view)
    assert not np.allclose(before, after)
    assert view.status["state"] == "done"
    ratios = view.status["info"]["explained_variance_ratio"]
    assert ratios == sorted(ratios, reverse=True)


def test_algorithm_set_alone_resets_params_and_recomputes(view: EmbeddingView) -> None:
    view.params = {"x_component": 2, "y_component": 3}
    assert view.wait(30)
    view.algorithm = "tsne"
    assert view.params == {}
    assert view.wait(120)
    assert view.status["algorithm"] == "tsne"
    assert view.projection_frame().attrs["algorithm"] == "tsne"
    view.algorithm = "pca"  # what the user had for PCA comes back
    assert view.params == {"x_component": 2, "y_component": 3}


def test_invalid_param_from_the_controls_shows_error_and_keeps_previous_layout(
    view: EmbeddingView,
) -> None:
    before = bytes(view._layout["coords"])
    view.set_state({"params": {"x_component": 99}})  # as the frontend's controls write it
    assert view.status["state"] == "error"
    assert "x_component" in view.status["message"]
    assert view._layout["coords"] == before
    view.set_state({"params": {"no_such_param": 1}})
    assert "no_such_param" in view.status["message"]
    assert view._layout["coords"] == before


def test_settings_given_to_the_constructor_are_kept() -> None:
    view = EmbeddingView(Table(dataframe=blobs()), algorithm="pca", params={"x_component": 3})
    assert view.algorithm == "pca" and view.params == {"x_component": 3}
    assert view.wait(30)
    assert view.projection_frame().attrs["params"]["x_component"] == 3
    with pytest.raises(ValueError, match="allowed: x_component, y_component"):
        EmbeddingView(Table(dataframe=blobs()), algorithm="pca", params={"n_neighbors": 3})


def test_invalid_setting_from_python_raises_and_changes_nothing(view: EmbeddingView) -> None:
    before, params = bytes(view._layout["coords"]), dict(view.params)
    with pytest.raises(ValueError, match=r"'x_component' got 99; expected an integer from 1 to 10"):
        view.params = {"x_component": 99}
    with pytest.raises(ValueError, match="allowed: x_component, y_component"):
        view.params = {"n_neighbors": 5}  # a UMAP parameter while showing PCA
    table_has = "the table has 'a', 'b', 'c', 'd', 'label', 'score'"
    with pytest.raises(ValueError, match=f"embedding: no column named 'nope'; {table_has}"):
        view.embedding = ["a", "nope"]
    with pytest.raises(ValueError, match="color_by: no column named 'colour'"):
        view.color_by = "colour"
    with pytest.raises(ValueError, match="'label' is a categorical column, which cannot be shown"):
        view.image_column = "label"
    with pytest.raises(ValueError, match="algorithm must be one of"):
        view.algorithm = "lda"
    assert view.params == params and view.embedding == ["a", "b", "c", "d", "score"]
    assert view._layout["coords"] == before and view.status["state"] == "done"
    view.params = {"x_component": 2, "y_component": 1}  # a valid one still goes through
    assert view.wait(30) and view.status["state"] == "done"


def test_empty_embedding_is_a_readable_error(view: EmbeddingView) -> None:
    before = bytes(view._layout["coords"])
    view.embedding = []
    assert view.status["state"] == "error"
    assert "embedding" in view.status["message"]
    assert view._layout["coords"] == before
    view.embedding = ["a", "b"]
    assert view.wait(30)
    assert view.status["state"] == "done"
    assert view.projection_frame().attrs["embedding"] == ["a", "b"]


def test_string_column_in_embedding_names_it(view: EmbeddingView) -> None:
    with pytest.raises(ValueError, match=r"'label' is a categorical column.*allowed: 'a', 'b'"):
        view.embedding = ["a", "label"]  # from Python: raises, changes nothing
    assert view.embedding == ["a", "b", "c", "d", "score"]
    view.set_state({"embedding": ["a", "label"]})  # from the controls: an error in the widget
    assert view.status["state"] == "error"
    assert "label" in view.status["message"]


def test_colors_categorical_and_continuous(view: EmbeddingView) -> None:
    colors = view._colors
    assert colors["kind"] == "categorical"
    codes = np.frombuffer(colors["codes"], dtype=np.uint8)
    assert len(codes) == 120
    assert colors["categories"] == ["group 0", "group 1", "group 2"]
    assert sum(colors["counts"]) == 120
    view.color_by = "score"
    assert view._colors["kind"] == "continuous"
    positions = np.frombuffer(view._colors["positions"], dtype=np.float32)
    assert positions.min() == 0 and positions.max() == 1
    assert view._colors["min"] == pytest.approx(view.table.get_column("score", "numpy").min())
    view.color_by = None
    assert view._colors["kind"] == "none"


def test_color_by_unknown_column_is_an_error_that_keeps_the_plot(view: EmbeddingView) -> None:
    view.set_state({"color_by": "nope"})  # e.g. a column the controls still listed
    assert view.status["state"] == "error"
    assert "nope" in view.status["message"]
    assert coords(view).shape == (120, 2)


def test_many_categories_are_lumped_into_other() -> None:
    frame = blobs(300)
    frame["word"] = [f"w{i % 45}" for i in range(300)]
    view = EmbeddingView(Table(dataframe=frame), algorithm="pca", color_by="word")
    assert len(view._colors["categories"]) == 41
    assert view._colors["categories"][-1] == "(other)"
    assert sum(view._colors["counts"]) == 300
    view.close()


def test_superseded_requests_never_land(view: EmbeddingView) -> None:
    for k in range(1, 5):
        view.params = {"x_component": k, "y_component": 5 - k if k != 5 - k else 1}
    assert view.wait(30)
    assert view.projection_frame().attrs["params"]["x_component"] == 4
    assert view.status["state"] == "done"


def test_row_message_sends_text_and_image() -> None:
    frame = blobs(20)
    frame["picture"] = [Image(np.full((8, 8), k / 20)) for k in range(20)]
    frame["note"] = ["<script>alert(1)</script>" + "x" * 500] * 20
    view = EmbeddingView(Table(dataframe=frame), algorithm="pca")
    sent: list[tuple[dict[str, Any], list[bytes]]] = []
    view.send = lambda content, buffers=None: sent.append((content, buffers or []))  # type: ignore[method-assign]
    view._on_message(view, {"type": "row", "index": 7}, [])
    content, buffers = sent[-1]
    assert content["index"] == 7 and content["image"] is True
    assert buffers[0][:8] == b"\x89PNG\r\n\x1a\n"
    names = [name for name, _ in content["values"]]
    assert names[0] == "label"  # the colour column first
    note = dict(content["values"])["note"]
    assert note.startswith("<script>") and len(note) <= 280  # raw text, cut; shown as text
    view._on_message(view, {"type": "details", "index": 7}, [])  # the pinned panel: in full
    content, buffers = sent[-1]
    assert dict(content["values"])["note"] == frame["note"][7] and buffers[0][:4] == b"\x89PNG"
    view._on_message(view, {"type": "row", "index": 99}, [])
    assert "out of range" in sent[-1][0]["error"]
    view.close()


def test_csv_message_matches_projection(view: EmbeddingView) -> None:
    sent: list[tuple[dict[str, Any], list[bytes]]] = []
    view.send = lambda content, buffers=None: sent.append((content, buffers or []))  # type: ignore[method-assign]
    view._on_message(view, {"type": "csv"}, [])
    content, buffers = sent[-1]
    assert content["filename"].endswith(".csv")
    from io import StringIO

    csv = pd.read_csv(StringIO(buffers[0].decode()))
    frame = view.projection_frame()
    assert len(csv) == 120
    np.testing.assert_allclose(csv[["x", "y"]].to_numpy(), frame[["x", "y"]].to_numpy(), rtol=1e-6)


def test_selection_from_python_and_from_bytes(view: EmbeddingView) -> None:
    view.selection = [5, 3, 3, 9]
    assert view.selection.dtype == np.uint32
    assert view.selection.tolist() == [3, 5, 9]
    table_selection = view.selection_frame()
    assert table_selection.index.tolist() == [3, 5, 9]
    assert {"x", "y", "label"} <= set(table_selection.columns)
    trait = view.traits()["selection"]
    wire = trait.metadata["to_json"](view.selection, view)
    assert wire == np.array([3, 5, 9], dtype=np.uint32).tobytes()
    view.set_state({"selection": np.array([1, 2], dtype=np.uint32).tobytes()})
    assert view.selection.tolist() == [1, 2]
    with pytest.raises(Exception, match="negative"):
        view.selection = [-1]


def test_second_display_is_the_same_widget() -> None:
    table = Table(dataframe=blobs(50))
    first = table._repr_mimebundle_()
    second = table._repr_mimebundle_()
    assert first == second
    assert table.view is table.view
    table.view.close()


def test_small_tables_default_to_pca_and_hello_world_works() -> None:
    t = Table(
        columns=["D1", "D2", "D3", "D4", "D5"],
        data=[[0.2, 0.4, 0.1, 0.7, 0.5], [0.3, 0.1, 0.9, 0.2, 0.7], [0.4, 0.5, 0.2, 0.2, 0.1]],
    )
    assert t.view.algorithm == "pca"
    frame = t.projection
    assert frame.shape == (3, 2 + 5)
    assert np.isfinite(frame[["x", "y"]].to_numpy()).all()
    assert frame[["x", "y"]].to_numpy().std(axis=0).min() > 0
    t.view.close()


def test_adding_rows_after_display_recomputes() -> None:
    table = Table(dataframe=blobs(60))
    view = table.view
    view.algorithm = "pca"
    assert view.wait(30)
    table.add_data(1.0, 2.0, 3.0, 4.0, "group 1", 0.5)
    assert view.wait(30)
    assert coords(view).shape == (61, 2)
    assert len(table.projection) == 61
    view.close()


def test_rows_message_lists_selected_rows_with_thumbnails() -> None:
    frame = blobs(80)
    frame["picture"] = [Image(np.full((8, 8), k / 80)) for k in range(80)]
    view = EmbeddingView(Table(dataframe=frame), algorithm="pca")
    sent: list[tuple[dict[str, Any], list[bytes]]] = []
    view.send = lambda content, buffers=None: sent.append((content, buffers or []))  # type: ignore[method-assign]
    view.selection = list(range(80))  # the kernel sends the list (nothing can overtake it)
    content, buffers = sent[-1]
    assert content["type"] == "rows" and content["total"] == 80
    view._on_message(view, {"type": "rows"}, [])  # a newly rendered view asks
    assert sent[-1][0] == content
    assert len(content["rows"]) == 60  # the list is capped; the count is shown beside it
    assert content["rows"][3] == {"index": 3, "label": frame["label"][3], "image": True}
    assert len(buffers) == 60 and all(b[:4] == b"\x89PNG" for b in buffers)
    view.close()


def test_nothing_is_computed_before_display_and_settings_merge() -> None:
    table = Table(dataframe=blobs(150))
    engine = FakeEngine()
    ProjectionSession(table, engine=engine)  # type: ignore[arg-type]
    view = table.view
    view.algorithm = "pca"
    view.params = {"x_component": 2}
    assert engine.jobs == []
    bundle = table._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle[0]
    assert engine.algorithms == ["pca"] and engine.jobs[0].params["x_component"] == 2
    engine.finish()
    assert view.projection_frame().attrs["params"]["x_component"] == 2
    view.close()


def test_tooltip_values_are_capped_and_ordered() -> None:
    frame = pd.DataFrame(np.arange(40 * 30, dtype=float).reshape(40, 30))
    frame.columns = [f"p{i}" for i in range(30)]
    frame["name"] = [f"item {i}" for i in range(40)]
    view = EmbeddingView(Table(dataframe=frame), algorithm="pca")
    sent: list[tuple[dict[str, Any], list[bytes]]] = []
    view.send = lambda content, buffers=None: sent.append((content, buffers or []))  # type: ignore[method-assign]
    view._on_message(view, {"type": "row", "index": 2}, [])
    values = sent[-1][0]["values"]
    assert values[0] == ["name", "item 2"]  # labels before numbers
    assert len(values) == 13
    assert values[-1] == ["…", "19 more columns"]
    view.close()


def test_data_change_drops_the_old_caches() -> None:
    table = Table(dataframe=blobs(60))
    table.project("pca")
    projector = session_for(table).engine.projector
    assert projector.cache_sizes()["results"] == 1
    view = table.view
    view.algorithm = "pca"
    assert view.wait(30)
    table.add_data(0.0, 0.0, 0.0, 0.0, "group 0", 0.1)
    assert projector.cache_sizes()["keys"] == 0  # the old data's caches are gone at once
    assert view.wait(30)
    assert len(view.projection_frame()) == 61
    view.close()


def test_invalid_setting_while_computing_keeps_the_error_and_the_old_view() -> None:
    table = Table(dataframe=blobs(300))
    view = table.view
    view.algorithm = "pca"
    assert view.wait(30)
    shown = bytes(view._layout["coords"])
    view.algorithm = "tsne"  # starts a job that takes a while
    view.set_state({"params": {"perplexity": 1000}})  # from the controls: an error, and the
    # t-SNE job already running must not land
    assert view.wait(120)
    assert view.status["state"] == "error"
    assert "perplexity" in view.status["message"]
    assert view._layout["coords"] == shown
    assert view.projection_frame().attrs["algorithm"] == "pca"
    view.close()


@pytest.fixture
def held_preview(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Hold every PCA preview back until the returned event is set."""
    import embed_widget.session.live as live_module

    release, real = threading.Event(), live_module.pca_preview

    def slow_preview(matrix: np.ndarray) -> np.ndarray:
        release.wait(20)
        return real(matrix)

    monkeypatch.setattr(live_module, "pca_preview", slow_preview)
    return release


def test_the_preview_is_pca_drawn_from_its_own_thread(held_preview: threading.Event) -> None:
    from embed_widget.projection import Projector

    table = Table(dataframe=blobs(300))
    ProjectionSession(table, engine=FakeEngine())  # type: ignore[arg-type]  # only the preview
    view = EmbeddingView(table, algorithm="umap")
    view._repr_mimebundle_()  # returns while the preview is computed: the kernel is free
    assert view._layout == {}
    held_preview.set()
    deadline = time.monotonic() + 20
    while view._layout.get("seq") != view.live.seq and time.monotonic() < deadline:
        time.sleep(0.01)
    assert view._layout["final"] is False
    expected = Projector().project("k", table.embedding_matrix(view.embedding), "pca", {}).coords
    np.testing.assert_allclose(coords(view), expected, atol=1e-3 * np.abs(expected).max())


def test_a_preview_never_replaces_the_jobs_first_frame(held_preview: threading.Event) -> None:
    table = Table(dataframe=blobs(300))
    engine = FakeEngine()
    ProjectionSession(table, engine=engine)  # type: ignore[arg-type]
    view = EmbeddingView(table, algorithm="umap")
    view._repr_mimebundle_()
    frame = np.full((300, 2), 7.0, dtype=np.float32)
    engine.jobs[-1].callbacks["on_frame"](frame)  # the job's first frame comes first
    held_preview.set()
    for thread in threading.enumerate():
        if thread.name == "ew-preview":
            thread.join(20)
    np.testing.assert_array_equal(coords(view), frame)


def test_one_preview_per_matrix_while_the_first_result_is_awaited(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import embed_widget.session.live as live_module

    calls: list[int] = []
    real = live_module.pca_preview
    monkeypatch.setattr(live_module, "pca_preview", lambda m: calls.append(1) or real(m))
    table = Table(dataframe=blobs(300))
    ProjectionSession(table, engine=FakeEngine())  # type: ignore[arg-type]
    view = EmbeddingView(table, algorithm="umap")
    view._repr_mimebundle_()
    for k in (5, 6, 7):  # slider moves before the first result: no new preview each time
        view.params = {"n_neighbors": k}
    for thread in threading.enumerate():
        if thread.name == "ew-preview":
            thread.join(20)
    assert calls == [1]
    assert view._layout["seq"] in range(1, view.live.seq + 1) and view._layout["final"] is False


def test_remembered_params_the_schema_rejects_fall_back_to_defaults() -> None:
    view = EmbeddingView(Table(dataframe=blobs()), algorithm="tsne")
    # the controls wrote a value in the moment before the t-SNE sliders replaced UMAP's
    view.set_state({"params": {"n_neighbors": 7}})
    view.algorithm = "pca"
    view.algorithm = "tsne"  # must not raise: the bad values were not typed in Python
    assert view.algorithm == "tsne" and view.params == {}
