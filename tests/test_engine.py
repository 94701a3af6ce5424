"""ProjectionEngine: background jobs, superseding, progress, frames, errors."""

from __future__ import annotations

import itertools
import threading
import time

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from embed_widget.projection import ProjectionEngine, ProjectionResult, Projector


@pytest.fixture(scope="module")
def blobs() -> np.ndarray:
    x, _ = make_blobs(400, 8, centers=5, random_state=1)
    return x.astype(np.float32)


@pytest.fixture
def engine() -> ProjectionEngine:
    eng = ProjectionEngine()
    yield eng
    eng.shutdown()


def test_runs_in_background_and_reports(engine: ProjectionEngine, blobs: np.ndarray) -> None:
    progress: list[tuple[float, str, str]] = []
    frames: list[np.ndarray] = []
    frame_times: list[float] = []
    done: list[ProjectionResult] = []
    main = threading.current_thread().name
    engine.submit(
        "b", blobs, "umap", {"n_epochs": 200},
        on_progress=lambda f, p: progress.append((f, p, threading.current_thread().name)),
        on_frame=lambda c: (frames.append(c), frame_times.append(time.perf_counter())),
        on_done=done.append,
        on_error=lambda e: pytest.fail(repr(e)),
    )  # fmt: skip
    assert engine.wait(120)
    assert len(done) == 1 and done[0].coords.shape == (400, 2)
    assert progress and all(0.0 <= f <= 1.0 for f, _, _ in progress)
    assert progress[-1][0] == 1.0
    fractions = [f for f, _, _ in progress]
    assert fractions == sorted(fractions)
    phases = {p.split(" ")[0] for _, p, _ in progress}
    assert {"layout", "fuzzy"} <= phases
    assert all(name != main for _, _, name in progress)
    assert frames and all(f.dtype == np.float32 and f.shape == (400, 2) for f in frames)
    assert not np.array_equal(frames[0], done[0].coords)  # intermediate, not the final layout
    # throttled to at most ~10 frames per second
    assert all(b - a >= 0.09 for a, b in itertools.pairwise(frame_times))


def test_burst_delivers_only_the_last(engine: ProjectionEngine, blobs: np.ndarray) -> None:
    delivered: list[int] = []
    errors: list[BaseException] = []
    late: list[int] = []
    lock = threading.Lock()

    def callbacks(i: int) -> dict:
        def check() -> None:
            # a job's callbacks never run once a newer job was submitted
            if engine.latest_job != jid[i]:
                late.append(i)

        return {
            "on_progress": lambda f, p: check(),
            "on_frame": lambda c: check(),
            "on_done": lambda r: (check(), delivered.append(i)),
            "on_error": errors.append,
        }

    jid: dict[int, int] = {}
    for i in range(50):
        algo = "umap" if i % 2 else "tsne"
        with lock:
            jid[i] = engine.submit("b", blobs, algo, {"random_state": i}, **callbacks(i))
    assert engine.wait(180)
    assert delivered == [49] and errors == [] and late == []
    assert sorted(jid.values()) == list(jid.values())


def test_supersede_cancels_the_running_job(engine: ProjectionEngine, blobs: np.ndarray) -> None:
    started = threading.Event()
    done: list[str] = []
    engine.submit(
        "b", blobs, "tsne", {"n_iter": 5000},
        on_progress=lambda f, p: started.set(), on_done=lambda r: done.append("tsne"),
    )  # fmt: skip
    assert started.wait(60)
    engine.submit("b", blobs, "pca", {}, on_done=lambda r: done.append(r.algorithm))
    assert engine.wait(60)
    assert done == ["pca"]


def test_error_goes_to_on_error(engine: ProjectionEngine) -> None:
    bad = np.ones((10, 3), dtype=np.float32)
    bad[4, 1] = np.nan
    errors: list[BaseException] = []
    engine.submit(
        "x", bad, "umap", {}, on_done=lambda r: pytest.fail("no result"), on_error=errors.append
    )
    assert engine.wait(30)
    assert len(errors) == 1 and isinstance(errors[0], ValueError) and "row 4" in str(errors[0])
    # the worker survives: the next job still runs
    ok: list[ProjectionResult] = []
    good = np.random.default_rng(0).normal(size=(10, 3)).astype(np.float32)
    engine.submit("y", good, "pca", {"nope": 1}, on_error=errors.append)
    engine.wait(30)
    assert "allowed: x_component, y_component" in str(errors[-1])
    engine.submit("y", good, "pca", {}, on_done=ok.append)
    assert engine.wait(30) and len(ok) == 1


def test_callback_exception_does_not_kill_worker(engine: ProjectionEngine) -> None:
    x = np.random.default_rng(0).normal(size=(30, 3)).astype(np.float32)

    def boom(r: ProjectionResult) -> None:
        raise RuntimeError("callback bug")

    engine.submit("k", x, "pca", {}, on_done=boom)
    assert engine.wait(30)
    ok: list[ProjectionResult] = []
    engine.submit("k", x, "pca", {"x_component": 2}, on_done=ok.append)
    assert engine.wait(30) and len(ok) == 1


def test_cached_result_is_delivered_again(blobs: np.ndarray) -> None:
    projector = Projector()
    engine = ProjectionEngine(projector)
    try:
        got: list[ProjectionResult] = []
        for _ in range(2):
            engine.submit("b", blobs, "umap", {"n_epochs": 50}, on_done=got.append)
            assert engine.wait(60)
        assert [r.info["cached"] for r in got] == [False, True]
    finally:
        engine.shutdown()


def test_shutdown_stops_the_worker(blobs: np.ndarray) -> None:
    engine = ProjectionEngine()
    done: list[ProjectionResult] = []
    engine.submit("b", blobs, "tsne", {"n_iter": 5000}, on_done=done.append)
    time.sleep(0.2)
    engine.shutdown()
    assert done == []
    with pytest.raises(RuntimeError, match="shut down"):
        engine.submit("b", blobs, "pca", {})


def test_warm_up_compiles_only_our_kernel() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from embed_widget.projection import warm_up; warm_up(); "
        "print(sorted(m for m in ('embed_widget.projection.umap_sgd', 'openTSNE', 'umap', "
        "'pynndescent') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    # umap-learn and pynndescent are never imported: their numba code compiled for ~20 s
    assert out.stdout.split()[-2:] == ["['embed_widget.projection.umap_sgd',", "'openTSNE']"], out


def test_engine_and_a_synchronous_call_run_concurrently(blobs: np.ndarray) -> None:
    """The worker and the main thread may both run numba-parallel UMAP epochs at once."""
    projector = Projector()
    engine = ProjectionEngine(projector)
    try:
        done: list[ProjectionResult] = []
        params = {"random_state": None, "n_epochs": 200}
        engine.submit("b", blobs, "umap", params, on_done=done.append)
        sync = projector.project("b", blobs, "umap", {**params, "min_dist": 0.3})
        assert engine.wait(120)
        assert len(done) == 1 and np.isfinite(sync.coords).all()
    finally:
        engine.shutdown()


def test_background_warm_up_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from embed_widget.projection import warm_up_in_background

    monkeypatch.setenv("EMBED_WIDGET_WARM_UP", "0")
    assert warm_up_in_background() is None


def test_a_job_waiting_for_an_import_gives_up_the_worker_at_once(
    engine: ProjectionEngine, blobs: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    # compiling the UMAP kernel cannot be interrupted: a PCA request made meanwhile must not wait
    from embed_widget.projection import _lazy, umap_layout

    release = threading.Event()

    def slow_kernel_import() -> object:
        release.wait(30)
        return _lazy.import_layout_kernel()

    monkeypatch.setattr(umap_layout, "import_layout_kernel", slow_kernel_import)
    pca_done, umap_done = threading.Event(), threading.Event()
    engine.submit("k", blobs, "umap", {}, on_done=lambda r: umap_done.set())
    time.sleep(0.2)  # the UMAP job is now waiting for the import
    engine.submit("k", blobs, "pca", {}, on_done=lambda r: pca_done.set())
    assert pca_done.wait(20), "PCA waited for the import"
    assert not release.is_set()  # ... which is still running
    release.set()
    assert engine.wait(30) and not umap_done.is_set()  # the superseded UMAP never lands


def test_an_import_error_reaches_the_job_and_a_later_job_retries(
    engine: ProjectionEngine, blobs: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    from embed_widget.projection import _lazy, umap_layout

    calls: list[int] = []

    def broken_kernel_import() -> object:
        calls.append(1)
        if len(calls) == 1:
            raise ImportError("numba is broken here")
        return _lazy.import_layout_kernel()

    monkeypatch.setattr(umap_layout, "import_layout_kernel", broken_kernel_import)
    errors: list[BaseException] = []
    engine.submit("k", blobs, "umap", {"n_epochs": 50}, on_error=errors.append)
    assert engine.wait(60)
    assert len(errors) == 1 and "numba is broken here" in str(errors[0])
    done: list[ProjectionResult] = []
    engine.submit("k", blobs, "umap", {"n_epochs": 50}, on_done=done.append)
    assert engine.wait(120) and len(done) == 1 and len(calls) >= 2  # retried
