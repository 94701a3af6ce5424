"""Projector: PCA / UMAP / t-SNE results, caches, reuse paths, errors."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_blobs
from sklearn.manifold import trustworthiness

from embed_widget.projection import Cancelled, Projector


def make_epochs_per_sample(weights: np.ndarray, n_epochs: int) -> np.ndarray:
    """umap-learn's schedule (the references use it, not ours)."""
    from umap.umap_ import make_epochs_per_sample as umaps

    return np.asarray(umaps(weights, n_epochs))


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    return load_digits().data.astype(np.float32)


@pytest.fixture(scope="module")
def blobs() -> np.ndarray:
    x, _ = make_blobs(200, 12, centers=4, random_state=0)
    return x.astype(np.float32)


def _check_coords(coords: np.ndarray, n: int) -> None:
    assert coords.dtype == np.float32 and coords.shape == (n, 2)
    assert coords.flags.c_contiguous and np.isfinite(coords).all()
    assert coords.std(axis=0).min() > 0  # never a silent all-zero / collapsed result


def test_import_does_not_load_umap_or_opentsne() -> None:
    code = (
        "import sys, embed_widget.projection as p; p.param_schema(); "
        "bad = [m for m in ('umap', 'openTSNE', 'pynndescent', 'numba') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("in_kernel", [True, False])
def test_the_widget_is_imported_in_the_background_only_in_a_kernel(in_kernel: bool) -> None:
    # In a kernel the cell that first shows a table should not pay anywidget's import; a script
    # that only builds tables should not load it at all.
    code = (
        "import sys, threading, types\n"
        + ("sys.modules['ipykernel'] = types.ModuleType('ipykernel')\n" if in_kernel else "")
        + "import embed_widget\n"
        "for t in threading.enumerate():\n"
        "    if t.name == 'embed_widget import': t.join(60)\n"
        "print('embed_widget.widget' in sys.modules, 'anywidget' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(in_kernel), str(in_kernel)], out.stdout + out.stderr


# ---------------------------------------------------------------- PCA


def test_pca_quality_variance_and_component_switch(digits: np.ndarray) -> None:
    p = Projector()
    r = p.project("d", digits, "pca", {})
    _check_coords(r.coords, len(digits))
    assert trustworthiness(digits, r.coords, n_neighbors=10) >= 0.80
    ratio = r.info["explained_variance_ratio"]
    assert len(ratio) == 10 and ratio == sorted(ratio, reverse=True) and 0 < sum(ratio) <= 1
    assert r.info["reused"] == []

    r34 = p.project("d", digits, "pca", {"x_component": 3, "y_component": 4})
    assert r34.info["reused"] == ["decomposition"]
    from sklearn.decomposition import PCA

    ref = PCA(4).fit_transform(digits.astype(np.float64))[:, 2:4]
    np.testing.assert_allclose(np.abs(r34.coords), np.abs(ref), atol=1e-2)
    swapped = p.project("d", digits, "pca", {"x_component": 4, "y_component": 3})
    np.testing.assert_array_equal(swapped.coords, r34.coords[:, ::-1])


def test_pca_matches_scikit_learn(digits: np.ndarray) -> None:
    from sklearn.decomposition import PCA

    result = Projector().project("k", digits, "pca", {"x_component": 1, "y_component": 3})
    reference = PCA(n_components=3, svd_solver="full").fit(digits)
    expected = reference.transform(digits)[:, [0, 2]]
    np.testing.assert_allclose(result.coords, expected, atol=1e-3 * np.abs(expected).max())
    np.testing.assert_allclose(
        result.info["explained_variance_ratio"][:3], reference.explained_variance_ratio_, rtol=1e-4
    )
    # a large offset (no centring in float32 before the sum) must not cost accuracy
    shifted = Projector().project("k", digits + 1000, "pca", {"x_component": 1, "y_component": 3})
    np.testing.assert_allclose(shifted.coords, expected, atol=1e-3 * np.abs(expected).max())


def test_pca_is_precise_over_many_blocks_of_sorted_offset_data() -> None:
    from sklearn.decomposition import PCA

    # rows sorted by cluster, so the first rows' mean (the shift) is far from the true mean
    rng = np.random.default_rng(0)
    centers = rng.normal(0, 20, (3, 16))
    x = np.concatenate([c + rng.normal(0, 1, (4_000, 16)) for c in centers]) + 1000
    x = x.astype(np.float32)
    result = Projector().project("k", x, "pca", {"x_component": 2, "y_component": 3})
    expected = PCA(n_components=3, svd_solver="full").fit_transform(x.astype(np.float64))[:, 1:]
    np.testing.assert_allclose(result.coords, expected, atol=1e-3 * np.abs(expected).max())


def test_finite_values_whose_sum_overflows_float32_are_accepted() -> None:
    x = np.full((50, 3), 3e38, dtype=np.float32)
    x[:, 1] = np.arange(50)
    assert Projector().project("k", x, "pca", {}).coords.shape == (50, 2)
    x[49, 2] = np.nan
    with pytest.raises(ValueError, match="first at row 49"):
        Projector().project("k", x, "pca", {})


def test_pca_one_dimensional_embedding_clamps() -> None:
    x = np.arange(20, dtype=np.float32).reshape(-1, 1)
    r = Projector().project("k", x, "pca", {})
    assert r.params["y_component"] == 1 and r.notices
    assert r.coords.shape == (20, 2)


def test_results_cache_and_key_change() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(50, 6)).astype(np.float32), rng.normal(size=(50, 6)).astype(np.float32)
    p = Projector(max_keys=1, max_results=3)
    first = p.project("a", a, "pca", {})
    again = p.project("a", a, "pca", {"x_component": 1})
    assert again.info["cached"] and again.coords is first.coords
    assert not first.coords.flags.writeable
    p.project("b", b, "pca", {})  # the table changed: caches for "a" are dropped
    assert p.cache_sizes()["keys"] == 1
    refit = p.project("a", a, "pca", {})
    assert not refit.info["cached"] and refit.info["reused"] == []
    for i in range(1, 6):
        p.project("a", a, "pca", {"x_component": i})
    assert p.cache_sizes()["results"] == 3
    # same key but a different shape is treated as new data
    assert p.project("a", a[:30], "pca", {}).coords.shape == (30, 2)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (np.array([[0.0, 1.0], [np.nan, 1.0], [2.0, 3.0], [1.0, 1.0]]), "first at row 1"),
        (np.array([[0.0, 1.0], [1.0, np.inf], [2.0, 3.0], [1.0, 1.0]]), "NaN or infinite"),
        (np.ones((10, 3)), "all 10 embedding rows are identical"),
        (np.ones((1, 3)), r"at least \d rows"),
        (np.ones((10, 0)), "at least 1"),
        (np.ones(10), "2-D"),
    ],
)
@pytest.mark.parametrize("algo", ["pca", "umap", "tsne"])
def test_bad_data_is_a_clear_error(algo: str, data: np.ndarray, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Projector().project("k", data, algo, {})


@pytest.mark.parametrize("algo", ["umap", "tsne"])
def test_neighbourhood_methods_need_four_rows(algo: str) -> None:
    data = np.arange(15, dtype=np.float32).reshape(3, 5) ** 2
    with pytest.raises(ValueError, match="at least 4 rows"):
        Projector().project("k", data, algo, {})


def test_pca_lays_out_three_rows() -> None:
    # The seed's Hello World: three 5-d embeddings.
    data = np.array(
        [[0.2, 0.4, 0.1, 0.7, 0.5], [0.3, 0.1, 0.9, 0.2, 0.7], [0.4, 0.5, 0.2, 0.2, 0.1]],
        dtype=np.float32,
    )
    coords = Projector().project("k", data, "pca", {}).coords
    assert coords.shape == (3, 2)
    assert np.isfinite(coords).all() and coords.std(axis=0).min() > 0


def test_non_numeric_matrix_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="dtype"):
        Projector().project("k", np.array([["a", "b"]] * 5), "pca", {})
    with pytest.raises(TypeError, match="numpy array"):
        Projector().project("k", [[1.0, 2.0]] * 5, "pca", {})  # type: ignore[arg-type]


def test_should_stop_cancels() -> None:
    x = np.random.default_rng(1).normal(size=(300, 5)).astype(np.float32)
    with pytest.raises(Cancelled):
        Projector().project("k", x, "umap", {"n_epochs": 500}, should_stop=lambda: True)
    calls: list[int] = []

    def stop_later() -> bool:
        calls.append(1)
        return len(calls) > 20

    with pytest.raises(Cancelled):
        Projector().project("k", x, "tsne", {"n_iter": 5000}, should_stop=stop_later)


# ---------------------------------------------------------------- UMAP


def _graph_and_start(x: np.ndarray, n_epochs: int) -> tuple[Any, np.ndarray, np.ndarray]:
    from embed_widget.projection import fuzzy, umap_layout
    from embed_widget.projection.knn import nearest_neighbors
    from embed_widget.projection.result import Reporter

    idx, dist, _ = nearest_neighbors(x, 10, "euclidean", Reporter())
    graph = umap_layout._pruned(fuzzy.fuzzy_simplicial_set(idx, dist, 10), n_epochs).tocsr()
    rng = np.random.RandomState(0)
    start = rng.uniform(0, 10, (len(x), 2)).astype(np.float32)
    state = rng.randint(-(2**31) + 1, 2**31 - 2, 3).astype(np.int64)
    return graph, start, state


def _pushes(positions: np.ndarray, at: np.ndarray, j: int, n_neg: int, a: float, b: float,
            state: np.ndarray) -> np.ndarray:  # fmt: skip
    """umap_sgd's repulsion in plain Python: n_neg rows drawn from umap's generator by the top of
    its 32 bits times N, each pushing from where the vertex stood before them; pushes summed."""
    from umap.utils import tau_rand_int

    push = np.zeros(2)
    for _ in range(n_neg):
        k = ((int(tau_rand_int(state)) & 0xFFFFFFFF) * len(positions)) >> 32
        d = at - positions[k]
        d2 = np.float32(d @ d)
        if k != j and d2 > 0:
            g = 2.0 * b / ((0.001 + d2) * (a * float(d2 ** np.float32(b)) + 1.0))
            push += np.clip(g * d.astype(np.float64), -4, 4)
    return push


def _pull(d: np.ndarray, a: float, b: float) -> np.ndarray:
    """umap's clipped attraction along d, its power in float32."""
    d2 = np.float32(d @ d)
    if d2 <= 0:
        return np.zeros(2)
    p = float(d2 ** np.float32(b - 1.0))
    return np.clip(-2.0 * a * b * p / (a * p * d2 + 1.0) * d.astype(np.float64), -4, 4)


def _add(row: np.ndarray, step: np.ndarray) -> None:
    row[:] = (row.astype(np.float64) + step).astype(np.float32)  # as numba: in float64, stored f32


def _umap_pull(d: np.ndarray, a: float, b: float) -> np.ndarray:
    """umap-learn's clipped attraction: float32 squares summed in float64, float64 powers."""
    d2 = float(np.sum((d * d).astype(np.float64)))
    if d2 <= 0:
        return np.zeros(2)
    g = -2.0 * a * b * d2 ** (b - 1.0) / (a * d2**b + 1.0)
    return np.clip(g * d.astype(np.float64), -4, 4)


def _umap_negatives(emb: np.ndarray, j: int, n_neg: int, a: float, b: float, alpha: float,
                    state: np.ndarray) -> None:  # fmt: skip
    """umap-learn's own repulsion: each negative sample (a row by modulo of umap's random int)
    moves the vertex before the next is drawn; float64 powers."""
    from umap.utils import tau_rand_int

    for _ in range(n_neg):
        k = int(tau_rand_int(state)) % len(emb)
        d = emb[j] - emb[k]
        d2 = float(np.sum((d * d).astype(np.float64)))
        if d2 > 0:
            g = 2.0 * b / ((0.001 + d2) * (a * d2**b + 1.0))
            _add(emb[j], alpha * np.clip(g * d.astype(np.float64), -4, 4))


def _reference_epochs(emb: np.ndarray, graph: Any, epochs: np.ndarray, a: float, b: float,
                      rng: np.ndarray, n_epochs: int, *, by_vertex: bool,
                      umap_rule: bool = False) -> None:  # fmt: skip
    """The epochs as umap_sgd's docstring states them, in plain Python. Serial: the edges in
    order, both ends moved. By vertex: each vertex walks its edges in order, moves itself only
    (the attraction doubled), and reads the others as they were when the epoch began.
    ``umap_rule``: umap-learn's own serial epoch instead (``_umap_pull``, ``_umap_negatives``)."""
    next_sample, per_negative = epochs.copy(), epochs / 5.0
    next_negative = per_negative.copy()
    heads = np.repeat(np.arange(len(emb)), np.diff(graph.indptr))
    alpha = 1.0
    for n in range(n_epochs):
        before = emb.copy() if by_vertex else emb
        for i, (j, k) in enumerate(zip(heads, graph.indices, strict=True)):
            if next_sample[i] > n:
                continue
            step = (_umap_pull if umap_rule else _pull)(emb[j] - before[k], a, b) * alpha
            _add(emb[j], 2.0 * step if by_vertex else step)
            if not by_vertex:
                _add(emb[k], -step)
            next_sample[i] += epochs[i]
            n_neg = int((n - next_negative[i]) / per_negative[i])
            if umap_rule:
                _umap_negatives(emb, j, n_neg, a, b, alpha, rng[j])
            else:
                _add(emb[j], alpha * _pushes(before, emb[j].copy(), j, n_neg, a, b, rng[j]))
            next_negative[i] += n_neg * per_negative[i]
        alpha = 1.0 - n / n_epochs


# the serial epoch's large first steps amplify float32 rounding: 5e-7 apart after 2 epochs,
# 6e-5 after 3, ~1 after 6 (3 epochs check the rule: epoch 0 samples nothing, as in umap; the
# next two sample edges and negatives)
@pytest.mark.parametrize(("by_vertex", "n_epochs"), [(False, 3), (True, 6)])
def test_umap_epochs_follow_the_stated_rule(
    by_vertex: bool, n_epochs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both compiled epochs (serial up to PARALLEL_MIN_ROWS rows, by vertex above) against
    the plain-Python statement of their rule, same inputs."""
    from embed_widget.projection import fuzzy, umap_layout
    from embed_widget.projection.result import Reporter

    monkeypatch.setattr(umap_layout, "PARALLEL_MIN_ROWS", 10 if by_vertex else 10_001)
    x = make_blobs(60, 5, centers=3, random_state=0)[0].astype(np.float32)
    graph, start, state = _graph_and_start(x, n_epochs)
    a, b = fuzzy.find_ab_params(1.0, 0.1)
    ours = start.copy()
    umap_layout._sgd(ours, graph.tocoo(), n_epochs, a, b, state.copy(), Reporter())
    # _sgd's random state per vertex: the seed's, plus the bits of the vertex's start x
    rng = np.full((len(x), 3), state, dtype=np.int64)
    rng += start[:, 0].astype(np.float64).view(np.int64)[:, None]
    ref = start.copy()
    epochs = make_epochs_per_sample(graph.data, n_epochs)  # umap-learn's, not ours
    _reference_epochs(ref, graph, epochs, a, b, rng, n_epochs, by_vertex=by_vertex)
    assert np.abs(ours - start).max() > 0.1
    # float32 sums with fastmath differ in the last bits; a wrong rule differs by ~0.1-1
    np.testing.assert_allclose(ours, ref, rtol=0, atol=2e-3)


def test_the_reference_with_umaps_rule_is_umap_learns_epoch() -> None:
    """The plain-Python reference, switched to umap-learn's own rule (each negative sample moves
    the vertex before the next, a modulo index, float64 powers), against
    ``umap.layouts.optimize_layout_euclidean`` itself: the reference's other parts (edge order,
    sampling schedule, learning rate, random state) are umap's."""
    from umap.layouts import optimize_layout_euclidean

    from embed_widget.projection import fuzzy

    n_epochs = 3
    x = make_blobs(60, 5, centers=3, random_state=0)[0].astype(np.float32)
    graph, start, state = _graph_and_start(x, n_epochs)
    a, b = fuzzy.find_ab_params(1.0, 0.1)
    coo, epochs = graph.tocoo(), make_epochs_per_sample(graph.data, n_epochs)
    theirs = start.copy()
    optimize_layout_euclidean(theirs, theirs, coo.row, coo.col, n_epochs, len(x), epochs, a, b,
                              state.copy(), move_other=True)  # fmt: skip
    rng = np.full((len(x), 3), state, dtype=np.int64)
    rng += start[:, 0].astype(np.float64).view(np.int64)[:, None]
    ref = start.copy()
    _reference_epochs(ref, graph, epochs, a, b, rng, n_epochs, by_vertex=False, umap_rule=True)
    assert np.abs(theirs - start).max() > 0.1
    np.testing.assert_allclose(theirs, ref, rtol=0, atol=2e-3)


def test_umap_layout_is_the_same_on_one_thread_or_two(
    blobs: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numba

    from embed_widget.projection import umap_layout

    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("one core: numba cannot run two threads")
    monkeypatch.setattr(umap_layout, "PARALLEL_MIN_ROWS", 100)  # the vertex-parallel epoch

    layouts = []
    for threads in (1, 2):
        before = numba.get_num_threads()
        numba.set_num_threads(threads)
        try:
            r = Projector().project("b", blobs, "umap", {"n_epochs": 150, "random_state": 3})
        finally:
            numba.set_num_threads(before)
        layouts.append(r.coords)
    np.testing.assert_array_equal(layouts[0], layouts[1])


def test_umap_graph_and_start_match_umap_learn(blobs: np.ndarray) -> None:
    """The numpy fuzzy graph, curve fit and spectral start against umap-learn's numba ones."""
    import umap.umap_ as uu
    from umap.spectral import spectral_layout as umap_spectral

    from embed_widget.projection import fuzzy, spectral
    from embed_widget.projection.knn import nearest_neighbors
    from embed_widget.projection.result import Reporter

    x = np.concatenate([blobs, blobs[:40] + 50])  # two connected components as well
    idx, dist, _ = nearest_neighbors(x, 10, "euclidean", Reporter())
    ref, _, _ = uu.fuzzy_simplicial_set(x, 10, None, "euclidean", knn_indices=idx, knn_dists=dist)
    ref = ref.tocoo()
    ref.sum_duplicates()
    ours = fuzzy.fuzzy_simplicial_set(idx, dist, 10)
    np.testing.assert_array_equal(ours.row, ref.row)
    np.testing.assert_array_equal(ours.col, ref.col)
    # float32 rounding in the binary search moves a few sigmas by ~1e-6
    np.testing.assert_allclose(ours.data, ref.data, rtol=1e-4, atol=1e-6)
    assert fuzzy.find_ab_params(1.0, 0.1) == pytest.approx(uu.find_ab_params(1.0, 0.1))
    for graph in (ref, ref.tocsr()[:240, :240].tocoo()):  # several components, then one
        theirs = umap_spectral(x, graph, 2, np.random.RandomState(1), metric="euclidean")
        mine = spectral.spectral_layout(x, graph, "euclidean", np.random.RandomState(1))
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("data", ["digits", "blobs10k", "blobs10k-parallel"])
def test_umap_quality_matches_umap_learn(
    data: str, digits: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    """We are not bit-identical to umap.UMAP (the graph's float32 rounding, faiss's neighbours
    above 20k rows, the summed negative samples, the vertex-parallel epoch above 10k): the layout
    must be as good as umap.UMAP's."""
    import warnings

    import umap

    from embed_widget.projection import umap_layout

    if data.endswith("parallel"):
        monkeypatch.setattr(umap_layout, "PARALLEL_MIN_ROWS", 1_000)

    if data == "digits":
        x = digits
    else:
        x = make_blobs(10_000, 32, centers=12, cluster_std=3.0, random_state=0)[0]
        x = x.astype(np.float32)
    ours = Projector().project("q", x, "umap", {"random_state": 0}).coords
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = umap.UMAP(random_state=0).fit_transform(x)
    sample = np.random.default_rng(0).choice(len(x), min(len(x), 3000), replace=False)
    t_ours = trustworthiness(x[sample], ours[sample], n_neighbors=10)
    t_ref = trustworthiness(x[sample], ref[sample], n_neighbors=10)
    assert t_ours >= t_ref - 0.01, (t_ours, t_ref)


@pytest.mark.slow
def test_umap_trustworthiness_and_determinism(digits: np.ndarray) -> None:
    r = Projector().project("d", digits, "umap", {})
    _check_coords(r.coords, len(digits))
    assert trustworthiness(digits, r.coords, n_neighbors=10) >= 0.95
    again = Projector().project("d", digits, "umap", {})
    np.testing.assert_array_equal(r.coords, again.coords)


def test_umap_reuse_paths_equal_fresh_fits(blobs: np.ndarray) -> None:
    p = Projector()
    base = {"n_neighbors": 30, "n_epochs": 100}
    p.project("b", blobs, "umap", base)
    cases = [
        ({**base, "min_dist": 0.5}, {"fuzzy graph", "initial layout"}),
        ({**base, "spread": 2.0}, {"fuzzy graph", "initial layout"}),
        ({**base, "random_state": 7}, {"fuzzy graph"}),
        ({**base, "n_epochs": 200}, {"fuzzy graph"}),
        ({**base, "n_neighbors": 8}, {"nearest neighbours"}),  # kNN at k=30, sliced
    ]
    for params, reused in cases:
        r = p.project("b", blobs, "umap", params)
        assert reused <= set(r.info["reused"]), (params, r.info["reused"])
        fresh = Projector().project("b", blobs, "umap", params)
        assert fresh.info["reused"] == []
        np.testing.assert_array_equal(r.coords, fresh.coords)


def test_every_umap_parameter_changes_the_result(blobs: np.ndarray) -> None:
    p = Projector()
    base = {"n_epochs": 60}
    ref = p.project("b", blobs, "umap", base).coords
    for change in [
        {"n_neighbors": 5},
        {"min_dist": 0.8},
        {"spread": 2.5},
        {"metric": "cosine"},
        {"metric": "manhattan"},
        {"metric": "correlation"},
        {"n_epochs": 120},
        {"random_state": 1},
        {"pca_dims": 3},
    ]:
        r = p.project("b", blobs, "umap", {**base, **change})
        _check_coords(r.coords, len(blobs))
        assert not np.allclose(r.coords, ref), change


def test_umap_unseeded_runs_and_is_not_cached(blobs: np.ndarray) -> None:
    p = Projector()
    r = p.project("b", blobs, "umap", {"random_state": None, "n_epochs": 50})
    _check_coords(r.coords, len(blobs))
    again = p.project("b", blobs, "umap", {"random_state": None, "n_epochs": 50})
    assert not again.info["cached"]


def test_umap_clamps_on_tiny_data() -> None:
    x = np.random.default_rng(2).normal(size=(6, 3)).astype(np.float32)
    r = Projector().project("t", x, "umap", {"n_neighbors": 50})
    assert r.params["n_neighbors"] == 5 and "only 6 rows" in r.notices[0]
    _check_coords(r.coords, 6)


def test_umap_handles_duplicate_rows() -> None:
    x = np.repeat(np.random.default_rng(3).normal(size=(20, 4)), 3, axis=0).astype(np.float32)
    r = Projector().project("t", x, "umap", {"n_epochs": 50})
    _check_coords(r.coords, 60)


# ---------------------------------------------------------------- t-SNE


@pytest.mark.slow
def test_tsne_trustworthiness_and_determinism(digits: np.ndarray) -> None:
    r = Projector().project("d", digits, "tsne", {})
    _check_coords(r.coords, len(digits))
    assert trustworthiness(digits, r.coords, n_neighbors=10) >= 0.95
    assert r.params["pca_dims"] == 50
    again = Projector().project("d", digits, "tsne", {})
    np.testing.assert_array_equal(r.coords, again.coords)


def test_tsne_reuse_paths_equal_fresh_fits(blobs: np.ndarray) -> None:
    p = Projector()
    base = {"n_iter": 300, "perplexity": 20}
    p.project("b", blobs, "tsne", base)
    for params, reused in [
        ({**base, "learning_rate": 100}, "affinities"),
        ({**base, "n_iter": 350}, "affinities"),
        ({**base, "early_exaggeration": 20}, "affinities"),
        ({**base, "perplexity": 10}, "nearest neighbours"),
    ]:
        r = p.project("b", blobs, "tsne", params)
        assert reused in r.info["reused"], (params, r.info["reused"])
        fresh = Projector().project("b", blobs, "tsne", params)
        np.testing.assert_array_equal(r.coords, fresh.coords)


def test_every_tsne_parameter_changes_the_result(blobs: np.ndarray) -> None:
    p = Projector()
    base = {"n_iter": 300, "perplexity": 10}
    ref = p.project("b", blobs, "tsne", base).coords
    for change in [
        {"perplexity": 25},
        {"learning_rate": 50},
        {"n_iter": 400},
        {"early_exaggeration": 24},
        {"metric": "cosine"},
        {"metric": "manhattan"},
        {"metric": "correlation"},
        {"random_state": 5},
        {"pca_dims": 4},
    ]:
        r = p.project("b", blobs, "tsne", {**base, **change})
        _check_coords(r.coords, len(blobs))
        assert not np.allclose(r.coords, ref), change


def test_tsne_perplexity_clamped_on_small_data() -> None:
    x = np.random.default_rng(4).normal(size=(20, 5)).astype(np.float32)
    r = Projector().project("t", x, "tsne", {"n_iter": 250})
    assert r.params["perplexity"] == 6.33 and "perplexity clamped" in r.notices[0]
    _check_coords(r.coords, 20)


def test_umap_start_previous_continues_the_last_layout(digits: np.ndarray) -> None:
    projector = Projector()
    first = projector.project("k", digits, "umap", {"min_dist": 0.1})
    assert first.info["started_from"] == "spectral"
    fresh = Projector().project("k", digits, "umap", {"min_dist": 0.5})
    warm = projector.project("k", digits, "umap", {"min_dist": 0.5, "start": "previous"})
    assert warm.info["started_from"] == "previous"
    assert warm.info["n_epochs"] == 100
    assert "previous layout" in warm.info["reused"]
    t_fresh = trustworthiness(digits, fresh.coords, n_neighbors=10)
    t_warm = trustworthiness(digits, warm.coords, n_neighbors=10)
    assert t_warm >= 0.95 and abs(t_warm - t_fresh) <= 0.01

    # the warm start keeps the picture where it was: far closer to the first layout than a fresh fit
    def spread(a: np.ndarray, b: np.ndarray) -> float:
        a = (a - a.mean(0)) / a.std(0)
        b = (b - b.mean(0)) / b.std(0)
        return float(np.abs(a - b).mean())

    assert spread(warm.coords, first.coords) < spread(fresh.coords, first.coords)


def test_tsne_start_previous_continues_the_last_layout(digits: np.ndarray) -> None:
    projector = Projector()
    first = projector.project("k", digits, "tsne", {"perplexity": 30})
    assert first.info["started_from"] == "pca"
    fresh = Projector().project("k", digits, "tsne", {"perplexity": 15})
    warm = projector.project("k", digits, "tsne", {"perplexity": 15, "start": "previous"})
    assert warm.info["started_from"] == "previous" and warm.info["n_iter"] == 100
    assert "previous layout" in warm.info["reused"]
    t_fresh = trustworthiness(digits, fresh.coords, n_neighbors=10)
    t_warm = trustworthiness(digits, warm.coords, n_neighbors=10)
    assert t_warm >= 0.95 and abs(t_warm - t_fresh) <= 0.01
    # continued, not restarted: the warm layout stays closer to the one it started from
    moved = np.linalg.norm(warm.coords - first.coords, axis=1).mean()
    assert moved < np.linalg.norm(fresh.coords - first.coords, axis=1).mean()


def test_start_previous_continues_from_the_layout_last_returned(digits: np.ndarray) -> None:
    # A -> B -> A (from the result cache) -> warm start: continues from A, the one on screen
    p = Projector()
    x = digits[:400]
    a = p.project("k", x, "tsne", {"perplexity": 10, "n_iter": 300}).coords
    b = p.project("k", x, "tsne", {"perplexity": 20, "n_iter": 300, "random_state": 1}).coords
    assert p.project("k", x, "tsne", {"perplexity": 10, "n_iter": 300}).info["cached"]
    warm = p.project("k", x, "tsne", {"perplexity": 12, "start": "previous", "n_iter": 300})
    assert warm.info["started_from"] == "previous"

    def apart(u: np.ndarray, v: np.ndarray) -> float:  # t-SNE keeps expanding: compare shapes
        return float(np.abs((u - u.mean(0)) / u.std(0) - (v - v.mean(0)) / v.std(0)).mean())

    assert apart(warm.coords, a) < 0.5 * apart(warm.coords, b)


def test_umap_start_previous_without_a_previous_layout_starts_fresh(digits: np.ndarray) -> None:
    result = Projector().project("k", digits[:300], "umap", {"start": "previous", "n_epochs": 200})
    assert result.info["started_from"] == "spectral"
    assert result.info["n_epochs"] == 200


def test_frames_of_many_points_are_streamed_further_apart() -> None:
    from embed_widget.projection.result import Reporter, frame_interval

    assert frame_interval(1_797) == 0.1  # up to ~10 frames per second for small data
    assert frame_interval(100_000) == pytest.approx(2.0)  # a browser draw per frame is not free
    assert frame_interval(10_000_000) == 10.0
    sent: list[int] = []
    rep = Reporter(on_frame=lambda c: sent.append(len(c)))
    big = np.zeros((100_000, 2), dtype=np.float32)
    rep.frame(big)
    rep.frame(big)  # within 2 s of the last: dropped
    rep.frame(big, force=True)
    assert sent == [100_000, 100_000]


def test_pca_preview_of_many_rows_matches_the_full_pca() -> None:
    from embed_widget.projection.pca import PREVIEW_ROWS, preview

    x, _ = make_blobs(3 * PREVIEW_ROWS, 16, centers=6, random_state=0)
    x = x.astype(np.float32)
    quick = preview(x)  # axes from every third row
    full = Projector().project("k", x, "pca", {}).coords
    assert quick.shape == full.shape == (len(x), 2)
    for axis in range(2):
        assert abs(np.corrcoef(quick[:, axis], full[:, axis])[0, 1]) > 0.999
    small = x[:500]
    np.testing.assert_allclose(preview(small), Projector().project("s", small, "pca", {}).coords,
                               atol=1e-4 * np.abs(small).max())  # fmt: skip


def test_pca_is_precise_when_the_first_rows_are_unlike_the_rest() -> None:
    from sklearn.decomposition import PCA

    # a table sorted so that its first rows sit near 0 and the bulk far away (seen in review)
    rng = np.random.default_rng(1)
    scale = np.linspace(0.2, 3.0, 8)
    x = np.concatenate([rng.normal(0, scale, (2_000, 8)), rng.normal(3000, scale, (60_000, 8))])
    x = x.astype(np.float32)
    ours = Projector().project("k", x, "pca", {"x_component": 3, "y_component": 4}).coords
    expected = PCA(n_components=4, svd_solver="full").fit_transform(x.astype(np.float64))[:, 2:]
    for axis in range(2):
        assert abs(np.corrcoef(ours[:, axis], expected[:, axis])[0, 1]) > 0.999


def test_every_job_waiting_for_a_failed_import_gets_its_error() -> None:
    import threading

    from embed_widget.projection._lazy import wait_for_import

    release, attempts = threading.Event(), []

    def failing_import() -> Any:
        attempts.append(1)
        release.wait(10)
        raise ImportError("no such module here")

    errors: list[BaseException] = []
    waiting: set[int] = set()

    def waiter() -> None:
        try:
            wait_for_import(failing_import, lambda: waiting.add(threading.get_ident()))
        except ImportError as error:
            errors.append(error)

    threads = [threading.Thread(target=waiter) for _ in range(3)]
    for t in threads:
        t.start()
    for _ in range(1000):  # all three wait for the one attempt before it fails
        if len(waiting) == 3:
            break
        threading.Event().wait(0.01)
    release.set()
    for t in threads:
        t.join(20)
    assert len(errors) == 3 and len(attempts) == 1  # one attempt, its error to every waiter
    with pytest.raises(ImportError):
        wait_for_import(failing_import, lambda: None)
    assert len(attempts) == 2  # a later call tries again


def test_clustered_data_lays_out_without_a_warning() -> None:
    """Many far-apart blobs: the graph has a component per blob, whose centroids' affinities
    underflow; scikit-learn's warning about it is not passed on to the user's notebook."""
    import warnings

    x = make_blobs(3_000, 16, centers=12, cluster_std=0.5, center_box=(-60, 60),
                   random_state=0)[0].astype(np.float32)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = Projector().project("b", x, "umap", {"n_epochs": 50})
    _check_coords(r.coords, len(x))
