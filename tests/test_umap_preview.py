"""A large UMAP's preview (issue 15): a UMAP of a sample, the other rows placed beside their
nearest sample row, shown before the neighbours are searched and then the layout's start."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_blobs
from sklearn.manifold import trustworthiness

from embed_widget.projection import Cancelled, Projector, umap_preview
from embed_widget.projection.result import Reporter


@pytest.fixture
def small_preview(monkeypatch: pytest.MonkeyPatch) -> None:
    """Previews from 3,000 rows on samples of 600: the same path as at 50k, in test time."""
    monkeypatch.setattr(umap_preview, "PREVIEW_MIN_ROWS", 3_000)
    monkeypatch.setattr(umap_preview, "SAMPLE_ROWS", 600)


def _blobs(n: int) -> tuple[np.ndarray, np.ndarray]:
    x, label = make_blobs(n, 24, centers=8, cluster_std=1.5, random_state=0)
    return x.astype(np.float32), label


def _label_agreement(layout: np.ndarray, label: np.ndarray, k: int = 10) -> float:
    """Share of each point's k nearest points in the layout that carry its label."""
    from sklearn.neighbors import NearestNeighbors

    _, idx = NearestNeighbors(n_neighbors=k + 1).fit(layout).kneighbors(layout)
    return float((label[idx[:, 1:]] == label[:, None]).mean())


def test_the_preview_is_shown_before_the_neighbours_are_searched(small_preview: None) -> None:
    x, label = _blobs(6_000)
    events: list[tuple[str, Any]] = []
    r = Projector().project(
        "b", x, "umap", {},
        on_progress=lambda f, phase: events.append(("progress", phase)),
        on_frame=lambda c: events.append(("frame", c)),
    )  # fmt: skip
    phases = [p for kind, p in events if kind == "progress"]
    assert phases[0] == "preview of 600 rows"
    first_frame = next(i for i, (kind, _) in enumerate(events) if kind == "frame")
    first_search = next(i for i, (_, p) in enumerate(events) if str(p).startswith("nearest"))
    assert first_frame < first_search
    preview = events[first_frame][1]
    assert preview.shape == (6_000, 2)
    assert _label_agreement(preview, label) > 0.95  # already the blobs apart, every row placed
    searching = [p for p in phases if p.startswith("nearest")]
    assert searching and all(p.endswith(" · showing a preview of 600 rows") for p in searching)
    assert not any("preview" in p for p in phases[phases.index("initial layout") :])
    assert r.info["started_from"] == "preview"
    assert "preview" in r.info["timings"]


def test_the_preview_start_is_cached_and_changes_nothing_of_the_contract(
    small_preview: None,
) -> None:
    """Same seed and settings, the same coordinates whether the start was reused or not; the
    start does not depend on min_dist (the preview lays out with umap's default)."""
    x, _ = _blobs(4_000)
    p = Projector()
    p.project("b", x, "umap", {"n_epochs": 60})
    again = p.project("b", x, "umap", {"n_epochs": 60, "min_dist": 0.5})
    assert {"initial layout", "fuzzy graph"} <= set(again.info["reused"])
    fresh = Projector().project("b", x, "umap", {"n_epochs": 60, "min_dist": 0.5})
    assert fresh.info["reused"] == []
    np.testing.assert_array_equal(again.coords, fresh.coords)
    other_seed = Projector().project("b", x, "umap", {"n_epochs": 60, "random_state": 7})
    assert not np.array_equal(other_seed.coords, fresh.coords)


def test_a_preview_answers_a_cancel(small_preview: None) -> None:
    x, _ = _blobs(4_000)
    seen: list[str] = []
    frames: list[np.ndarray] = []
    with pytest.raises(Cancelled):
        Projector().project(
            "b", x, "umap", {},
            on_progress=lambda f, phase: seen.append(phase),
            on_frame=frames.append,
            should_stop=lambda: bool(seen),  # stop once the preview has begun
        )  # fmt: skip
    assert seen == ["preview of 600 rows"] and frames == []


def test_the_preview_start_lays_out_as_well_as_the_spectral_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Digits repeated with noise, 8,000 rows: trustworthiness and label agreement of the final
    layout from a preview (a sample of 1,000) against the spectral start of every row.
    (Measured at 60,000 rows, sample 5,000: trustworthiness 0.942 against 0.915.)"""
    digits = load_digits()
    rng = np.random.default_rng(0)
    pick = rng.integers(0, len(digits.data), 8_000)
    x = (digits.data[pick] + rng.normal(scale=3.0, size=(8_000, 64))).astype(np.float32)
    label = digits.target[pick]
    spectral = Projector().project("d", x, "umap", {}).coords
    monkeypatch.setattr(umap_preview, "PREVIEW_MIN_ROWS", 5_000)
    monkeypatch.setattr(umap_preview, "SAMPLE_ROWS", 1_000)
    r = Projector().project("d", x, "umap", {})
    assert r.info["started_from"] == "preview"
    rows = rng.permutation(len(x))[:2_000]
    ours, theirs = (trustworthiness(x[rows], y[rows], n_neighbors=10) for y in (r.coords, spectral))
    assert ours >= theirs - 0.01, (ours, theirs)
    assert _label_agreement(r.coords, label) >= _label_agreement(spectral, label) - 0.02


@pytest.mark.parametrize("dims", [8, 64])
def test_each_row_is_placed_beside_its_nearest_sample_row(dims: int) -> None:
    """With at most ``PLACE_DIMS`` dimensions the nearest sample row is exact: each row lands
    within half the distance from that row's position to its nearest laid-out neighbour. With
    more, the nearest in the sample's top principal components: on data of few directions (an
    8-dimensional set in 64, plus a little noise) the same row for nearly all."""
    rng = np.random.default_rng(1)
    z, _ = make_blobs(3_000, 8, centers=5, random_state=1)
    lift = np.eye(8) if dims == 8 else rng.normal(size=(8, dims))
    x = z @ lift + (0 if dims == 8 else rng.normal(scale=0.01, size=(3_000, dims)))
    x = x.astype(np.float32)
    sample = np.sort(rng.choice(len(x), 300, replace=False))
    layout = rng.uniform(0, 10, size=(300, 2)).astype(np.float32)
    out = umap_preview.place_on_sample(x, sample, layout, "euclidean", np.random.RandomState(0),
                                       Reporter())  # fmt: skip
    np.testing.assert_array_equal(out[sample], layout)
    gaps = ((x[:, None, :] - x[sample][None]) ** 2).sum(axis=2)
    nearest = gaps.argmin(axis=1)
    spacing = np.sort(np.linalg.norm(layout[:, None] - layout[None], axis=2), axis=1)[:, 1] / 2
    offset = np.abs(out - layout[nearest]).max(axis=1)
    beside = offset <= spacing[nearest] + 1e-5
    assert beside.mean() == 1.0 if dims <= umap_preview.PLACE_DIMS else beside.mean() > 0.98


def test_cosine_places_rows_by_their_direction() -> None:
    """Under cosine a row's length is not a distance: scaling rows changes nothing."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2_000, 16)).astype(np.float32)
    sample = np.arange(0, 2_000, 10)
    layout = rng.uniform(0, 10, size=(len(sample), 2)).astype(np.float32)
    scaled = x * rng.uniform(0.1, 10.0, size=(2_000, 1)).astype(np.float32)
    placed = [
        umap_preview.place_on_sample(
            v, sample, layout, "cosine", np.random.RandomState(0), Reporter()
        )
        for v in (x, scaled)
    ]
    np.testing.assert_allclose(placed[0], placed[1], atol=1e-5)
