"""Projecting on a Dask cluster (issue 15, item 4): a fit on a sample, the other rows placed in
chunks on a LocalCluster's workers, each chunk sent once, cancellation reaching the cluster."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

from embed_widget import InvalidSetting, Table
from embed_widget.projection import distributed
from embed_widget.projection.distributed import project_on_cluster, stratified_sample
from embed_widget.projection.result import Cancelled, ProjectionResult, Reporter
from embed_widget.session import session_for

dd = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    # two workers, as the issue asks; threads in this process keep the test's start-up short
    cluster = dd.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    with dd.Client(cluster) as c:
        yield c
    cluster.close()


def blobs(n: int, dims: int = 16, k: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 6, size=(k, dims))
    labels = rng.integers(0, k, size=n)
    return (centres[labels] + rng.normal(0, 1, size=(n, dims))).astype(np.float32), labels


def label_agreement(coords: np.ndarray, labels: np.ndarray, rows: np.ndarray, k: int = 10) -> float:
    """Share of ``rows``' k nearest points in 2-D that carry the same label."""
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=k + 1).fit(coords)
    _, idx = nn.kneighbors(coords[rows])
    return float((labels[idx[:, 1:]] == labels[rows, None]).mean())


def test_stratified_sample_keeps_every_stratum_in_proportion() -> None:
    strata = np.repeat(np.array(["a", "b", "c", "rare"]), [6000, 3000, 990, 10])
    rows = stratified_sample(len(strata), 1000, strata)
    assert np.all(np.diff(rows) > 0)  # sorted, no repeats
    counts = pd.Series(strata[rows]).value_counts().to_dict()
    assert counts == {"a": 600, "b": 300, "c": 99, "rare": 1}
    plain = stratified_sample(10_000, 1000)
    assert len(plain) == 1000 and len(np.unique(plain)) == 1000
    np.testing.assert_array_equal(stratified_sample(50, 100), np.arange(50))


def test_a_worker_searches_a_large_sample_with_one_hnsw_index_it_keeps() -> None:
    import gc

    from embed_widget.projection.placement import nearest_fitted

    x, _ = blobs(26_000, dims=32, seed=4)
    fitted, new = x[:25_000], x[25_000:]
    result = ProjectionResult(np.zeros((25_000, 2), np.float32), "umap", {"n_neighbors": 15})
    reference = distributed.Reference(fitted, result)
    search = distributed.worker_search(reference)
    for metric in ("euclidean",):
        idx, dist = search(fitted, new, 15, metric, Reporter())
        exact_idx, exact_dist = nearest_fitted(fitted, new, 15, metric, Reporter())
        recall = np.mean([len(set(a) & set(b)) / 15 for a, b in zip(idx, exact_idx, strict=True)])
        assert recall >= 0.95, recall
        np.testing.assert_allclose(np.sort(dist, axis=1)[:, 0], exact_dist[:, 0], rtol=1e-3)
    index = distributed._indexes[id(reference)]
    search(fitted, new[:10], 15, "euclidean", Reporter())
    assert distributed._indexes[id(reference)] is index  # built once, kept
    key = id(reference)
    del reference, search
    gc.collect()
    assert key not in distributed._indexes  # and dropped with its reference


def test_pca_on_a_cluster_places_every_row_by_the_samples_map(client: Any) -> None:
    x, labels = blobs(6000)
    t = Table(pd.DataFrame({"emb": list(x), "label": labels.astype(str)}))
    frame = t.project("pca", client=client, sample=1500)
    assert frame.attrs["distributed"]["fitted"] == 1500
    assert frame.attrs["distributed"]["placed"] == 4500
    coords = frame[["x", "y"]].to_numpy()
    # every row, fitted or placed, on one affine map of the embedding
    design = np.hstack([x.astype(np.float64), np.ones((len(x), 1))])
    _, residual, *_ = np.linalg.lstsq(design, coords, rcond=None)
    assert residual.sum() < 1e-6 * (coords**2).sum()
    # the fitted rows are where a PCA of the sample alone puts them
    rows = stratified_sample(len(x), 1500)
    alone = Table(pd.DataFrame({"emb": list(x[rows])})).project("pca")
    np.testing.assert_allclose(coords[rows], alone[["x", "y"]].to_numpy(), atol=1e-4)


def test_umap_on_a_cluster_sends_each_chunk_once_and_places_rows_among_their_class(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    x, labels = blobs(8000, seed=1)
    t = Table(pd.DataFrame({"emb": list(x), "label": labels.astype(str)}))
    scattered: list[int] = []
    submitted: list[tuple[Any, ...]] = []
    scatter, submit = client.scatter, client.submit

    def counting_scatter(data: Any, **kwargs: Any) -> Any:
        scattered.append(len(data))
        return scatter(data, **kwargs)

    def recording_submit(fn: Any, *args: Any, **kwargs: Any) -> Any:
        submitted.append(args)
        return submit(fn, *args, **kwargs)

    monkeypatch.setattr(client, "scatter", counting_scatter)
    monkeypatch.setattr(client, "submit", recording_submit)
    monkeypatch.setattr(distributed, "CHUNK_ROWS", 1500)
    frame = t.project("umap", client=client, sample=2000, stratify="label", n_epochs=100)

    info = frame.attrs["distributed"]
    assert info == {**info, "fitted": 2000, "placed": 6000, "chunks": 4, "stratified": True}
    assert len(scattered) == 1 + 4  # the sample once (broadcast), then each chunk once
    assert len(submitted) == 4
    assert all(isinstance(a, dd.Future) for args in submitted for a in args)  # no array inline
    coords = frame[["x", "y"]].to_numpy()
    assert np.isfinite(coords).all()
    placed = np.setdiff1d(np.arange(len(x)), stratified_sample(len(x), 2000, labels.astype(str)))
    assert label_agreement(coords, labels, placed) > 0.9


def test_stopping_cancels_the_chunks_still_on_the_cluster(client: Any) -> None:
    x, _ = blobs(9000, seed=2)

    def fit(rows: np.ndarray, _rep: Reporter) -> Any:
        sample = Table(pd.DataFrame({"emb": list(rows)}))  # (a session holds its table weakly)
        return session_for(sample).project("umap")[0]

    frames: list[np.ndarray] = []
    cancelled: list[Any] = []
    cancel = client.cancel

    def recording_cancel(futures: list[Any], **kwargs: Any) -> Any:
        cancelled.extend(futures)
        return cancel(futures, **kwargs)

    client.cancel = recording_cancel
    try:
        with pytest.raises(Cancelled):
            project_on_cluster(
                x, fit, client, sample=1000, chunk_rows=250,
                rep=Reporter(on_frame=frames.append, should_stop=lambda: len(frames) >= 2),
            )  # fmt: skip
    finally:
        client.cancel = cancel
    assert len(frames) == 2  # every row (the unplaced ones guessed), then one chunk placed
    assert all(f.shape == (9000, 2) and np.isfinite(f).all() for f in frames)
    assert (frames[0] != frames[1]).any(axis=1).sum() == 250  # the chunk's rows moved
    assert cancelled, "nothing was cancelled on the cluster"
    deadline = time.monotonic() + 30
    while any(f.status == "pending" for f in cancelled) and time.monotonic() < deadline:
        time.sleep(0.05)
    statuses = [f.status for f in cancelled]
    assert set(statuses) <= {"cancelled", "finished"}, statuses
    assert statuses.count("cancelled") >= len(statuses) // 2  # most never ran


def test_a_view_of_a_table_on_a_cluster_streams_the_placed_chunks(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    x, labels = blobs(6000, seed=3)
    t = Table(pd.DataFrame({"emb": list(x), "label": labels.astype(str)}))
    monkeypatch.setattr(distributed, "CHUNK_ROWS", 1000)
    t.use_cluster(client, sample=1500)
    view = t.view
    layouts: list[dict[str, Any]] = []
    view.observe(lambda change: layouts.append(change["new"]), names="_layout")
    view.algorithm = "umap"
    assert view.wait(180)
    frame = t.projection
    assert frame.attrs["distributed"]["fitted"] == 1500
    assert frame.attrs["distributed"]["placed"] == 4500
    assert label_agreement(frame[["x", "y"]].to_numpy(), labels, np.arange(6000)) > 0.9
    # the PCA preview, the sample's layout with the other rows guessed, chunk by chunk, the end
    assert len(layouts) >= 4, [(lay.get("final"), lay.get("seq")) for lay in layouts]
    t.use_cluster(None)  # back to the kernel: the view is fitted again, on every row
    assert view.wait(180)
    assert t.projection.attrs["distributed"] is None


def test_a_view_made_with_a_client_projects_on_the_cluster(client: Any) -> None:
    """``EmbeddingView(t, client=...)``: the default sample (100,000 rows) fitted here, the rest
    placed on the workers, for the view and for the table's other projections."""
    from embed_widget import EmbeddingView

    x, labels = blobs(100_600, dims=8, seed=4)
    t = Table(pd.DataFrame({"emb": list(x), "label": labels.astype(str)}))
    view = EmbeddingView(t, client=client, algorithm="pca")
    assert view.wait(180)
    frame = view.projection_frame()
    assert frame.attrs["distributed"]["fitted"] == distributed.SAMPLE_ROWS
    assert frame.attrs["distributed"]["placed"] == 600
    assert label_agreement(frame[["x", "y"]].to_numpy(), labels, np.arange(0, 100_600, 50)) > 0.9
    assert t.project("pca").attrs["distributed"]["placed"] == 600  # the table's session's too
    view.close()
    t.use_cluster(client, sample=100_200)  # a view on the same client keeps the table's sample
    again = EmbeddingView(t, client=client, algorithm="pca")
    assert again.wait(180)
    assert again.projection_frame().attrs["distributed"]["placed"] == 400
    again.close()


def test_cluster_settings_are_checked(client: Any) -> None:
    t = Table(pd.DataFrame({"a": np.arange(50.0), "b": np.arange(50.0) ** 2}))
    with pytest.raises(InvalidSetting, match="sample"):
        t.project("pca", client=client, sample=1)
    with pytest.raises(InvalidSetting, match="cluster"):
        t.project("pca", sample=10)
    with pytest.raises(InvalidSetting, match="algorithm"):
        t.project("mds", client=client)
