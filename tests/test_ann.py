"""Approximate neighbours above the exact range (faiss HNSW): recall, determinism, progress."""

from __future__ import annotations

import numpy as np
import pytest

from embed_widget.projection import ann, knn
from embed_widget.projection.result import Cancelled, Reporter


@pytest.fixture(scope="module")
def latent() -> np.ndarray:
    """25k rows just above the exact range, clustered in a low-dimensional latent space."""
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=4, size=(30, 12))
    z = centres[rng.integers(0, 30, 25_000)] + rng.normal(size=(25_000, 12))
    x = z @ rng.normal(size=(12, 48)) + rng.normal(scale=0.3, size=(25_000, 48))
    return x.astype(np.float32)


def _exact(x: np.ndarray, rows: np.ndarray, k: int, metric: str) -> np.ndarray:
    from sklearn.metrics import pairwise_distances

    d = pairwise_distances(x[rows], x, metric=metric)
    return np.argsort(d, axis=1, kind="stable")[:, :k]


@pytest.mark.parametrize(
    ("metric", "half"),
    [("euclidean", False), ("cosine", False), ("manhattan", False), ("cosine", True)],
)
def test_hnsw_recall_at_15_and_distances(
    latent: np.ndarray, metric: str, half: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recall against exact neighbours, with the index's vectors in float32 and (as above
    ``HALF_ABOVE_BYTES``) in half floats."""
    assert not knn.is_exact(len(latent), metric)
    if half:
        monkeypatch.setattr(ann, "HALF_ABOVE_BYTES", 0)
    idx, dist, method = knn.nearest_neighbors(latent, 15, metric, Reporter())
    assert method == "hnsw" and idx.shape == (len(latent), 15) and idx.dtype == np.int32
    np.testing.assert_array_equal(idx[:, 0], np.arange(len(latent)))  # itself first
    rows = np.random.default_rng(1).choice(len(latent), 300, replace=False)
    truth = _exact(latent, rows, 15, metric)
    recall = np.mean([len(set(a) & set(b)) / 15 for a, b in zip(idx[rows], truth, strict=True)])
    assert recall >= 0.95, recall
    # distances are the metric's own (cosine: 1 - cos), sorted
    from sklearn.metrics import pairwise_distances

    row = rows[0]
    want = pairwise_distances(latent[[row]], latent[idx[row]], metric=metric)[0]
    np.testing.assert_allclose(dist[row], want, rtol=1e-3, atol=1e-3)
    assert np.all(np.diff(dist, axis=1) >= -1e-5)


def test_hnsw_is_deterministic_and_reports_progress_by_chunks(latent: np.ndarray) -> None:
    phases: list[str] = []
    first = ann.hnsw_knn(latent, 10, "euclidean", lambda f, phase: phases.append(phase))
    again = ann.hnsw_knn(latent, 10, "euclidean", lambda f, phase: None)
    np.testing.assert_array_equal(first[0], again[0])
    indexing = [p for p in phases if "indexing" in p]
    assert len(indexing) == -(-len(latent) // ann.ADD_ROWS)  # one per fixed batch
    assert any("searching" in p for p in phases)


def test_a_cancel_is_answered_between_chunks(latent: np.ndarray) -> None:
    calls: list[int] = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        knn.nearest_neighbors(latent, 15, "euclidean", Reporter(should_stop=stop))
    assert len(calls) == 4  # stopped at the fourth chunk, not at the end


def test_missing_neighbours_are_filled_with_real_rows() -> None:
    idx = np.array([[0, 5, -1, -1], [1, -1, -1, -1], [-1, -1, -1, -1]])
    dist = np.array([[0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], dtype=np.float32)
    filled, d = ann.filled(idx, dist)
    np.testing.assert_array_equal(filled, [[0, 5, 5, 5], [1, 1, 1, 1], [2, 2, 2, 2]])
    np.testing.assert_array_equal(d[0], [0, 1, 1, 1])


def test_the_users_faiss_thread_count_is_given_back(latent: np.ndarray) -> None:
    """faiss's OpenMP setting is process-wide: the user's own faiss calls keep theirs."""
    import faiss

    faiss.omp_set_num_threads(1)
    try:
        seen: list[int] = []
        report = lambda f, p: seen.append(faiss.omp_get_max_threads())  # noqa: E731
        ann.hnsw_knn(latent[:3_000], 5, "euclidean", report)
        assert set(seen) == {1, ann.CORES}  # ours while indexing (1) and searching (all cores)
        assert faiss.omp_get_max_threads() == 1
    finally:
        faiss.omp_set_num_threads(ann.CORES)


def test_an_index_above_the_threshold_stores_half_floats(
    latent: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    import faiss

    part = latent[:2_000]

    def bytes_per_row(metric: str = "euclidean", scale: float = 1, offset: float = 0) -> int:
        index = ann.hnsw_index(part * scale + offset, metric)
        return int(faiss.downcast_index(index.storage).code_size)

    monkeypatch.setattr(ann, "HALF_ABOVE_BYTES", part.size * 4)  # at the threshold: float32
    assert bytes_per_row() == 48 * 4
    monkeypatch.setattr(ann, "HALF_ABOVE_BYTES", part.size * 4 - 1)
    assert bytes_per_row() == 48 * 2
    # faiss has no half-float L1 index (it would abort the process); values too large or too
    # alike for ~3 significant digits keep float32
    assert bytes_per_row("manhattan") == 48 * 4
    assert bytes_per_row(scale=1e5) == 48 * 4
    assert bytes_per_row(offset=1e3) == 48 * 4
