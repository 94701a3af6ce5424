"""The GPU path (cuML): when it is used, what it is asked, what it says, what stays on the CPU.

No GPU or cuML here: the first tests replace ``cuml`` and ``cupy`` with recording stand-ins (CPU
code behind cuML's call signatures) to check our side of the calls: detection, the parameters
handed over, the results' ``device``, the fall-backs, and the PCA moments' arithmetic (run by
numpy in cupy's place). The last tests run only where cuML sees a GPU: the layouts themselves,
against the CPU's by trustworthiness.
"""

from __future__ import annotations

import importlib.machinery
import inspect
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from gpu_stand_ins import (
    CALLS,
    DEVICE,
    FakeNearestNeighbors,
    FakeTSNE,
    FakeUMAP,
    fake_cupy,
    modules,
)
from sklearn.datasets import load_digits, make_blobs
from sklearn.manifold import trustworthiness
from sklearn.neighbors import NearestNeighbors as SkNearestNeighbors

from embed_widget import Table
from embed_widget.projection import gpu, knn, pca
from embed_widget.projection.projector import Projector
from embed_widget.projection.result import Reporter
from embed_widget.projection.schema import WARM_EPOCHS


@pytest.fixture
def fake_gpu(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """cuML and cupy stand-ins in ``sys.modules``; yields the device name ``gpu.device()`` says."""
    if importlib.util.find_spec("cuml") is not None and "cuml" not in sys.modules:
        pytest.skip("the real cuML is installed: these tests replace it")
    for name, stand_in in modules().items():
        monkeypatch.setitem(sys.modules, name, stand_in)
    monkeypatch.delenv(gpu.ENV, raising=False)
    CALLS.clear()
    gpu.reset()
    yield DEVICE
    gpu.reset()


@pytest.fixture
def blobs() -> np.ndarray:
    x, _ = make_blobs(n_samples=300, n_features=8, centers=4, random_state=0)
    return x.astype(np.float32)


def test_no_gpu_is_used_without_cuml_or_a_device_or_when_turned_off(
    fake_gpu: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert gpu.device() == fake_gpu
    monkeypatch.setenv(gpu.ENV, "0")
    gpu.reset()
    assert gpu.device() is None
    monkeypatch.delenv(gpu.ENV)
    monkeypatch.setitem(sys.modules, "cupy", fake_cupy(devices=0))
    gpu.reset()
    assert gpu.device() is None
    broken = fake_cupy()
    broken.cuda.runtime.getDeviceCount = lambda: 1 / 0  # no driver: cupy raises
    monkeypatch.setitem(sys.modules, "cupy", broken)
    gpu.reset()
    assert gpu.device() is None


def test_without_cuml_everything_runs_on_the_cpu() -> None:
    if importlib.util.find_spec("cuml") is not None:
        pytest.skip("cuML is installed here")
    gpu.reset()
    assert gpu.device() is None
    frame = Table(dataframe=pd.DataFrame({"a": [0.0, 1, 2, 3, 5], "b": [1.0, 0, 2, 1, 4]})).project(
        "pca"
    )
    assert frame.attrs["device"] == "cpu"


def test_umap_on_the_gpu_gets_our_settings_and_says_where_it_ran(
    fake_gpu: str, blobs: np.ndarray
) -> None:
    t = Table(dataframe=pd.DataFrame(blobs, columns=[f"d{i}" for i in range(8)]))
    frame = t.project("umap", n_neighbors=12, min_dist=0.3, spread=1.5, metric="cosine",
                      n_epochs=120, random_state=7)  # fmt: skip
    name, kwargs = CALLS[-1]
    assert name == "UMAP"
    assert kwargs == {
        "n_neighbors": 12, "n_components": 2, "metric": "cosine", "n_epochs": 120,
        "min_dist": 0.3, "spread": 1.5, "init": "spectral", "random_state": 7,
        "build_algo": "brute_force_knn", "output_type": "numpy",
    }  # fmt: skip
    np.testing.assert_allclose(frame[["x", "y"]].to_numpy(), blobs[:, :2] * 2.0, rtol=1e-6)
    assert frame.attrs["device"] == fake_gpu
    assert not [c for c in CALLS if c[0] == "NearestNeighbors"]  # cuML's UMAP finds its own


def test_umap_continued_on_the_gpu_starts_from_the_last_layout(
    fake_gpu: str, blobs: np.ndarray
) -> None:
    projector = Projector()
    first = projector.project("k", blobs, "umap", {"random_state": 1})
    assert CALLS[-1][1]["init"] == "spectral" and CALLS[-1][1]["n_epochs"] == 500
    again = projector.project("k", blobs, "umap", {"random_state": 2, "start": "previous"})
    init = CALLS[-1][1]["init"]
    assert isinstance(init, np.ndarray) and init.shape == (300, 2)
    # the last layout, scaled as umap scales a start: [0, 10] on each axis
    np.testing.assert_allclose(init.min(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(init.max(axis=0), 10.0, rtol=1e-5)
    order = np.argsort(first.coords[:, 0])
    assert (np.diff(init[order, 0]) >= -1e-5).all()  # the same rows, in the same order
    assert CALLS[-1][1]["n_epochs"] == WARM_EPOCHS
    assert again.info["started_from"] == "previous" and again.info["device"] == fake_gpu


def test_tsne_on_the_gpu_gets_our_settings_and_a_continued_one_stays_on_the_cpu(
    fake_gpu: str, blobs: np.ndarray
) -> None:
    projector = Projector()
    fresh = projector.project("k", blobs, "tsne", {"perplexity": 20.0, "n_iter": 400,
                                                    "random_state": 3})  # fmt: skip
    name, kwargs = CALLS[-1]
    assert name == "TSNE"
    assert kwargs["max_iter"] == 400 and "n_iter" not in kwargs  # the signature's own name
    assert kwargs["perplexity"] == 20.0 and kwargs["n_neighbors"] == 60
    assert kwargs["learning_rate"] == 50.0  # auto: max(300 / 12, 50), as on the CPU
    assert kwargs["learning_rate_method"] == "none"  # else cuML replaces rate and perplexity
    assert kwargs["init"] == "pca" and kwargs["exaggeration_iter"] == 250
    assert kwargs["random_state"] == 3 and kwargs["metric"] == "euclidean"
    np.testing.assert_allclose(fresh.coords, blobs[:, :2] * 3.0, rtol=1e-6)
    assert fresh.info["device"] == fake_gpu and fresh.info["kl_divergence"] == 1.25

    calls = len(CALLS)
    settings = {"perplexity": 20.0, "n_iter": 400, "random_state": 4, "start": "previous"}
    continued = projector.project("k", blobs, "tsne", settings)
    assert not [c for c in CALLS[calls:] if c[0] == "TSNE"]  # cuML cannot start from a layout
    assert continued.info["device"] == "cpu" and continued.info["started_from"] == "previous"
    # the CPU's t-SNE found its neighbours on the GPU
    assert [c for c in CALLS[calls:] if c[0] == "NearestNeighbors"]


def test_neighbours_on_the_gpu_are_the_exact_ones(fake_gpu: str, blobs: np.ndarray) -> None:
    idx, _, method = knn.nearest_neighbors(blobs + 1000, 6, "euclidean", Reporter())
    assert method == "gpu"
    assert CALLS[-1] == ("NearestNeighbors", {"n_neighbors": 6, "metric": "euclidean"})
    assert (idx[:, 0] == np.arange(300)).all()  # (far from 0: centred before the search)
    exact = SkNearestNeighbors(n_neighbors=6).fit(blobs).kneighbors(blobs)[1]
    assert (np.sort(idx, axis=1) == np.sort(exact, axis=1)).mean() > 0.99


def test_pca_moments_on_the_gpu_keep_their_precision(
    fake_gpu: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(0)
    # offset by 1000, blocks of 64 rows: the shift and the exact correction must hold
    x = (rng.normal(size=(1000, 5)) * [1, 0.1, 0.01, 1, 2] + 1000).astype(np.float32)
    monkeypatch.setattr(gpu, "_BLOCK", 64)
    covariance, mean = gpu.moments(x)
    np.testing.assert_allclose(covariance, np.cov(x.astype(np.float64), rowvar=False), rtol=1e-9,
                               atol=1e-12)  # fmt: skip
    np.testing.assert_allclose(mean, x.astype(np.float64).mean(axis=0), rtol=1e-12)


def test_pca_uses_the_gpu_only_for_large_matrices(
    fake_gpu: str, monkeypatch: pytest.MonkeyPatch, blobs: np.ndarray
) -> None:
    on_cpu = Projector().project("k", blobs, "pca", {})
    assert on_cpu.info["device"] == "cpu"  # 2,400 cells: below GPU_MIN_CELLS
    monkeypatch.setattr(pca, "GPU_MIN_CELLS", blobs.size)
    on_gpu = Projector().project("k", blobs, "pca", {})
    assert on_gpu.info["device"] == fake_gpu
    np.testing.assert_allclose(on_gpu.coords, on_cpu.coords, rtol=1e-4, atol=1e-4)


def test_the_widget_says_the_layout_came_from_the_gpu(fake_gpu: str, blobs: np.ndarray) -> None:
    t = Table(dataframe=pd.DataFrame(blobs, columns=[f"d{i}" for i in range(8)]))
    view = t.view
    view.algorithm = "umap"
    view.wait()
    assert f"computed on the GPU ({fake_gpu})" in view.status["notices"]
    assert view.status["info"]["device"] == fake_gpu
    view.close()


class FailingUMAP(FakeUMAP):
    def fit_transform(self, x: np.ndarray) -> np.ndarray:
        raise MemoryError("out of memory allocating 12 GB")


def test_a_gpu_failure_is_computed_on_the_cpu_and_said(
    fake_gpu: str, monkeypatch: pytest.MonkeyPatch, blobs: np.ndarray
) -> None:
    monkeypatch.setattr(sys.modules["cuml"], "UMAP", FailingUMAP)
    t = Table(dataframe=pd.DataFrame(blobs, columns=[f"d{i}" for i in range(8)]))
    view = t.view
    view.params = {"n_epochs": 60}
    view.algorithm = "umap"
    view.wait()
    assert view.status["state"] == "done"
    assert view.status["info"]["device"] == "cpu"
    notice = "the GPU failed (MemoryError: out of memory allocating 12 GB): computed on the CPU"
    assert notice in view.status["notices"]
    view.close()


class FailingNearestNeighbors(FakeNearestNeighbors):
    def fit(self, x: np.ndarray) -> FakeNearestNeighbors:
        raise RuntimeError("std::bad_alloc: CUDA error: out of memory")


def test_neighbours_and_moments_fall_back_to_the_cpu_when_the_gpu_fails(
    fake_gpu: str, monkeypatch: pytest.MonkeyPatch, blobs: np.ndarray
) -> None:
    monkeypatch.setattr(sys.modules["cuml.neighbors"], "NearestNeighbors", FailingNearestNeighbors)
    idx, _, method = knn.nearest_neighbors(blobs, 6, "euclidean", Reporter())
    assert method == "exact"
    exact = SkNearestNeighbors(n_neighbors=6).fit(blobs).kneighbors(blobs)[1]
    assert (np.sort(idx, axis=1) == np.sort(exact, axis=1)).mean() > 0.99

    tried: list[int] = []

    def no_memory(matrix: np.ndarray) -> None:
        tried.append(len(matrix))
        raise MemoryError("out of memory")

    monkeypatch.setattr(gpu, "moments", no_memory)
    monkeypatch.setattr(pca, "GPU_MIN_CELLS", blobs.size)
    result = Projector().project("k", blobs, "pca", {})
    assert tried == [300] and result.info["device"] == "cpu"
    monkeypatch.setattr(pca, "GPU_MIN_CELLS", blobs.size + 1)
    np.testing.assert_allclose(result.coords, Projector().project("k", blobs, "pca", {}).coords)
    assert gpu.device() == fake_gpu  # out of memory fails one call only


def test_a_driver_error_stops_the_gpus_use_and_its_notice_is_one_line(
    fake_gpu: str, monkeypatch: pytest.MonkeyPatch, blobs: np.ndarray
) -> None:
    class BrokenTSNE(FakeTSNE):
        def fit_transform(self, x: np.ndarray) -> np.ndarray:
            raise RuntimeError("CUDA error: an illegal memory access\n  at raft::...\n  at ...")

    monkeypatch.setattr(sys.modules["cuml"], "TSNE", BrokenTSNE)
    result = Projector().project("k", blobs, "tsne", {"n_iter": 250})
    assert result.info["device"] == "cpu"
    assert result.info["gpu_error"] == "RuntimeError: CUDA error: an illegal memory access"
    assert gpu.device() is None  # CUDA may be unusable: later work stays on the CPU
    calls = len(CALLS)
    Projector().project("k", blobs, "umap", {"n_epochs": 60})
    assert len(CALLS) == calls


def test_a_cpu_failure_is_not_run_twice(
    fake_gpu: str, monkeypatch: pytest.MonkeyPatch, blobs: np.ndarray
) -> None:
    from embed_widget.projection import tsne

    runs: list[int] = []

    def failing(*args: Any) -> None:
        runs.append(1)
        raise ValueError("bad")

    projector = Projector()
    projector.project("k", blobs, "tsne", {"n_iter": 250})  # (on the stand-in GPU)
    monkeypatch.setattr(tsne, "run", failing)
    monkeypatch.setitem(projector_module().RUNNERS, "tsne", failing)
    with pytest.raises(ValueError, match="bad"):  # continued: the CPU's, which fails once
        projector.project("k", blobs, "tsne", {"n_iter": 250, "start": "previous"})
    assert runs == [1]


def projector_module() -> Any:
    from embed_widget.projection import projector

    return projector


def test_umap_continued_before_cuml_26_02_stays_on_the_cpu(
    fake_gpu: str, monkeypatch: pytest.MonkeyPatch, blobs: np.ndarray
) -> None:
    monkeypatch.setattr(sys.modules["cuml"], "__version__", "25.12.0")
    projector = Projector()
    projector.project("k", blobs, "umap", {"random_state": 1, "n_epochs": 60})
    calls = len(CALLS)
    again = projector.project("k", blobs, "umap", {"random_state": 2, "start": "previous"})
    assert not [c for c in CALLS[calls:] if c[0] == "UMAP"]  # its init took no array yet
    assert again.info["device"] == "cpu" and again.info["started_from"] == "previous"


def test_the_stand_ins_take_what_cuml_takes() -> None:
    """Keeps the stand-ins honest: every keyword our runners pass is one cuML's estimators take
    (checked against the real classes where cuML is installed)."""
    cuml = pytest.importorskip("cuml")
    umap_params = inspect.signature(cuml.UMAP).parameters
    for name in ("n_neighbors", "n_components", "metric", "n_epochs", "min_dist", "spread",
                 "init", "random_state", "build_algo", "output_type"):  # fmt: skip
        assert name in umap_params
    nn_params = inspect.signature(cuml.neighbors.NearestNeighbors).parameters
    for name in ("n_neighbors", "metric", "algorithm", "output_type"):
        assert name in nn_params
    tsne_params = inspect.signature(cuml.TSNE).parameters
    for name in ("perplexity", "early_exaggeration", "exaggeration_iter", "learning_rate",
                 "learning_rate_method", "n_neighbors", "metric", "init",
                 "random_state"):  # fmt: skip
        assert name in tsne_params
    assert "max_iter" in tsne_params or "n_iter" in tsne_params


# ---------------------------------------------------------------------------------------------
# on a real GPU only


def _real_gpu() -> None:
    gpu.reset()
    if gpu.device() is None:
        pytest.skip("no GPU with cuML here")


@pytest.mark.parametrize("algorithm", ["umap", "tsne"])
def test_a_gpu_layout_of_the_digits_is_as_trustworthy_as_the_cpus(algorithm: str) -> None:
    _real_gpu()
    digits = load_digits().data.astype(np.float32)
    on_gpu = Projector().project("k", digits, algorithm, {"random_state": 0})
    assert on_gpu.info["device"] == gpu.device()
    gpu.reset()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(gpu.ENV, "0")
        on_cpu = Projector().project("k", digits, algorithm, {"random_state": 0})
    gpu.reset()
    t_gpu = trustworthiness(digits, on_gpu.coords, n_neighbors=10)
    t_cpu = trustworthiness(digits, on_cpu.coords, n_neighbors=10)
    assert t_gpu >= t_cpu - 0.01
