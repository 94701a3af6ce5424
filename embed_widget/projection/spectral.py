"""UMAP's spectral initial layout (``umap.spectral.spectral_layout``), without importing umap.

The same steps as umap-learn 0.5: the two smallest non-trivial eigenvectors of the normalised
graph Laplacian (ARPACK's ``eigsh``); a graph of several connected components gets each
component laid out on its own, placed around a layout of the components' centroids. Importing
umap (and with it pynndescent) costs ~14 s of compilation in a new environment; this is scipy and
scikit-learn only.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse
import scipy.sparse.csgraph
import scipy.sparse.linalg

DIM = 2
#: ARPACK's workspace, at most. umap takes sqrt(n) Lanczos vectors, n x sqrt(n) float64: 715 MB
#: at 200k rows (1.2x a 768-d float32 matrix), 8 GB at 1M. Fewer give the same eigenvectors (a
#: connected 200k-row graph, 64 against 447: correlation 1 - 2e-11) but too few are slower
#: (100k x 128 blobs: 1.8 s with 316 or 167, 4.4 s with 64). sqrt(n) fits up to 65k rows; past
#: 520k rows MIN_LANCZOS decides (256 MB at 1M rows; not measured there).
LANCZOS_BYTES = 128 * 2**20
MIN_LANCZOS = 32


def spectral_layout(
    data: np.ndarray, graph: scipy.sparse.spmatrix, metric: str, rng: np.random.RandomState
) -> np.ndarray:
    """A (n, 2) initial layout of ``graph`` (symmetric, non-negative weights)."""
    n_components, labels = scipy.sparse.csgraph.connected_components(graph)
    if n_components > 1:
        return _multi_component_layout(data, graph, n_components, labels, metric, rng)
    return _connected_layout(graph, rng)


def _connected_layout(graph: scipy.sparse.spmatrix, rng: np.random.RandomState) -> np.ndarray:
    n = graph.shape[0]
    sqrt_deg = np.sqrt(np.asarray(graph.sum(axis=0)).squeeze())
    identity = scipy.sparse.identity(n, dtype=np.float64)
    d = scipy.sparse.spdiags(1.0 / sqrt_deg, 0, n, n)
    laplacian = identity - d * graph * d
    k = DIM + 1
    lanczos = min(int(np.sqrt(n)), max(LANCZOS_BYTES // (8 * n), MIN_LANCZOS))
    lanczos = max(2 * k + 1, lanczos)
    rng.normal(size=(n, k))  # umap draws a start for LOBPCG here: keep the generator in step
    try:
        values, vectors = scipy.sparse.linalg.eigsh(
            laplacian, k, which="SM", ncv=lanczos, tol=1e-4,
            v0=np.ones(n), maxiter=n * 5,
        )  # fmt: skip
    except scipy.sparse.linalg.ArpackError:
        warnings.warn(
            "Spectral initialisation failed (eigensolver); starting UMAP from a random layout.",
            stacklevel=3,
        )
        return rng.uniform(low=-10.0, high=10.0, size=(n, DIM))
    order = np.argsort(values)[1:k]
    return np.asarray(vectors[:, order])


def _component_centres(
    data: np.ndarray, n_components: int, labels: np.ndarray, metric: str, rng: np.random.RandomState
) -> np.ndarray:
    """Where each component goes: a spectral embedding of its centroid's affinities."""
    from sklearn.manifold import SpectralEmbedding
    from sklearn.metrics import pairwise_distances

    centroids = np.stack([data[labels == c].mean(axis=0) for c in range(n_components)])
    centroids = centroids.astype(np.float64)  # as umap: the far affinities are tiny
    affinity = np.exp(-(pairwise_distances(centroids, metric=metric) ** 2))
    with warnings.catch_warnings():
        # far centroids' affinities underflow to 0, and scikit-learn says so in every notebook
        # that lays out clustered data (umap-learn's does too); the embedding is made all the same
        warnings.filterwarnings("ignore", "Graph is not fully connected", UserWarning)
        centres = SpectralEmbedding(
            n_components=DIM, affinity="precomputed", random_state=rng
        ).fit_transform(affinity)
    return np.asarray(centres / centres.max())


def _multi_component_layout(
    data: np.ndarray, graph: scipy.sparse.spmatrix, n_components: int, labels: np.ndarray,
    metric: str, rng: np.random.RandomState,
) -> np.ndarray:  # fmt: skip
    if n_components > 2 * DIM:
        centres = _component_centres(data, n_components, labels, metric, rng)
    else:
        half = int(np.ceil(n_components / 2.0))
        base = np.hstack([np.eye(half), np.zeros((half, DIM - half))])
        centres = np.vstack([base, -base])[:n_components]
    result = np.empty((graph.shape[0], DIM), dtype=np.float32)
    csr = graph.tocsr()
    for label in range(n_components):
        members = labels == label
        sub = csr[members, :].tocsc()[:, members].tocoo()
        gaps = np.linalg.norm(centres - centres[label], axis=1)
        data_range = gaps[gaps > 0].min() / 2.0
        if sub.shape[0] < 2 * DIM or sub.shape[0] <= DIM + 1:
            result[members] = (
                rng.uniform(low=-data_range, high=data_range, size=(sub.shape[0], DIM))
                + centres[label]
            )
        else:
            layout = _connected_layout(sub, rng)
            result[members] = layout * (data_range / np.max(np.abs(layout))) + centres[label]
    return result
