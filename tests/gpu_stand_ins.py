"""Stand-ins for ``cuml`` and ``cupy`` (there is no GPU here): CPU code behind cuML's call
signatures, recording what they are asked, so that the GPU path's side of the calls can be tested
in pytest and in the browser. ``modules()`` gives them for ``sys.modules``."""

from __future__ import annotations

import importlib.machinery
import types
from typing import Any

import numpy as np
from sklearn.neighbors import NearestNeighbors as SkNearestNeighbors

#: The device name ``embed_widget.projection.gpu.device()`` gives with these modules.
DEVICE = "cuML 99.1 on Stand-in GPU"
#: (estimator, keywords) of every estimator made.
CALLS: list[tuple[str, dict[str, Any]]] = []


class FakeUMAP:
    def __init__(self, **kwargs: Any) -> None:
        CALLS.append(("UMAP", kwargs))

    def fit_transform(self, x: np.ndarray) -> np.ndarray:
        return x[:, :2] * 2.0  # a layout the runner must hand on as it is


class FakeTSNE:
    def __init__(self, *, max_iter: int = 1000, **kwargs: Any) -> None:  # cuML >= 25.12's name
        CALLS.append(("TSNE", {**kwargs, "max_iter": max_iter}))
        self.kl_divergence_ = 1.25

    def fit_transform(self, x: np.ndarray) -> np.ndarray:
        return x[:, :2] * 3.0


class FakeNearestNeighbors:
    def __init__(self, *, n_neighbors: int, metric: str, algorithm: str, output_type: str) -> None:
        CALLS.append(("NearestNeighbors", {"n_neighbors": n_neighbors, "metric": metric}))
        self.nn = SkNearestNeighbors(n_neighbors=n_neighbors, metric=metric, algorithm="brute")

    def fit(self, x: np.ndarray) -> FakeNearestNeighbors:
        self.nn.fit(x)
        return self

    def kneighbors(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.nn.kneighbors(x)  # type: ignore[no-any-return]


def module(name: str, **attrs: Any) -> types.ModuleType:
    out = types.ModuleType(name)
    out.__spec__ = importlib.machinery.ModuleSpec(name, None)  # (find_spec reads it)
    for key, value in attrs.items():
        setattr(out, key, value)
    return out


def fake_cupy(devices: int = 1) -> types.ModuleType:
    """cupy as numpy (the moments' arithmetic uses only what both have), with ``devices``."""
    runtime = types.SimpleNamespace(
        getDeviceCount=lambda: devices, getDeviceProperties=lambda i: {"name": b"Stand-in GPU"}
    )
    return module(
        "cupy", cuda=types.SimpleNamespace(runtime=runtime), asarray=np.asarray,
        zeros=np.zeros, outer=np.outer, asnumpy=np.asarray, float64=np.float64,
    )  # fmt: skip


def modules() -> dict[str, types.ModuleType]:
    """``cuml``, ``cuml.neighbors`` and ``cupy``, for ``sys.modules``."""
    neighbors = module("cuml.neighbors", NearestNeighbors=FakeNearestNeighbors)
    cuml = module("cuml", __version__="99.1", UMAP=FakeUMAP, TSNE=FakeTSNE, neighbors=neighbors)
    return {"cuml": cuml, "cuml.neighbors": neighbors, "cupy": fake_cupy()}
