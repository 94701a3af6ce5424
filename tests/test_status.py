"""What the status says while the user waits (issue 10, item 8)."""

from __future__ import annotations

import threading
import time
from types import ModuleType

import numpy as np

from embed_widget import Table
from embed_widget.projection import Projector, param_schema
from embed_widget.projection._lazy import numba_section, wait_for_import


def test_pca_names_its_phase_once() -> None:
    phases: list[str] = []
    x = np.random.default_rng(0).normal(size=(200, 8)).astype(np.float32)
    Projector().project("k", x, "pca", {}, on_progress=lambda f, phase: phases.append(phase))
    assert phases == ["principal components"]  # the status reads "PCA · principal components"


def test_a_wait_for_an_import_is_announced_once() -> None:
    release = threading.Event()

    def slow_import() -> ModuleType:
        release.wait(5)
        return ModuleType("slow")

    said: list[str] = []
    waiter = threading.Thread(
        target=wait_for_import, args=(slow_import, lambda: None, lambda: said.append("loading"))
    )
    waiter.start()
    time.sleep(0.2)
    assert said == ["loading"]  # said at once, not after the import
    release.set()
    waiter.join(5)
    assert said == ["loading"]
    wait_for_import(slow_import, lambda: None, lambda: said.append("again"))  # done: no wait
    assert said == ["loading"]


def test_a_wait_for_another_threads_compilation_is_announced() -> None:
    from embed_widget.projection._lazy import NUMBA_LOCK

    said: list[str] = []
    with numba_section(lambda: None, said.append):
        pass
    assert said == []

    def enter() -> None:
        with numba_section(lambda: None, lambda text: said.append("busy")):
            said.append("entered")

    NUMBA_LOCK.acquire()  # e.g. the warm-up compiling
    try:
        waiter = threading.Thread(target=enter)
        waiter.start()
        time.sleep(0.2)
        assert said == ["busy"]
    finally:
        NUMBA_LOCK.release()
    waiter.join(5)
    assert said == ["busy", "entered"]


def test_help_texts_talk_about_their_own_algorithm() -> None:
    schema = param_schema()
    for algo in ("pca", "tsne"):
        for spec in schema[algo]["params"]:
            assert "UMAP" not in spec["help"], (algo, spec["name"])
    pca_dims = next(p for p in schema["umap"]["params"] if p["name"] == "pca_dims")
    assert pca_dims["nullable"] == "all dimensions"  # not "PCA pre-reduction ... off"


def test_an_empty_table_says_it_has_no_rows() -> None:
    view = Table(columns=["a", "b"]).view
    view._repr_mimebundle_()
    assert view.status["state"] == "error"
    assert "the table has 0 rows" in view.status["message"]
    view.close()


def test_a_one_row_table_offers_one_component() -> None:
    view = Table(columns=["a", "b", "c"], data=[[1.0, 2.0, 3.0]]).view
    assert view._limits["max"]["pca"] == {"x_component": 1, "y_component": 1}
    view.close()


def test_t_sne_names_its_early_exaggeration_phase() -> None:
    from embed_widget.projection.tsne import phase_text

    assert "early exaggeration" in phase_text(100, 750, 250)  # strands here are the algorithm's
    assert phase_text(400, 750, 250) == "iteration 400/750"
    assert phase_text(50, 100, 0) == "iteration 50/100"  # a warm start has none
