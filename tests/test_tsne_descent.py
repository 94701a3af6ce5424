"""Our t-SNE gradient descent: openTSNE's arithmetic, bit for bit, on any thread count."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from openTSNE import TSNEEmbedding, affinity, initialization
from sklearn.datasets import make_blobs

from embed_widget.projection import tsne_fft
from embed_widget.projection.tsne_descent import Descent


def _problem(n: int) -> tuple[np.ndarray, Any]:
    x, _ = make_blobs(n, 10, centers=5, random_state=0)
    aff = affinity.PerplexityBasedNN(x, perplexity=20, method="exact", random_state=0)
    return initialization.pca(x, 2, random_state=0), aff


@pytest.mark.parametrize(("n", "method"), [(400, "bh"), (1_500, "fft")])
def test_descent_equals_opentsne_optimize_bit_for_bit(n: int, method: str) -> None:
    init, aff = _problem(n)
    P = aff.P.copy()  # before openTSNE scales aff.P in place (and rounds it) for its phases
    theirs = TSNEEmbedding(init.copy(), aff, negative_gradient_method=method, n_jobs=1)
    with tsne_fft.fft_on_every_core():  # the FFTs ours runs (next test: the same numbers)
        theirs = theirs.optimize(40, exaggeration=12, momentum=0.5, learning_rate=n / 12)
        theirs = theirs.optimize(30, momentum=0.8, learning_rate=n)

    ours = Descent(init, P, method=method)
    ours.n_jobs = 1
    heard: list[int] = []
    ours.run(40, 12, 0.5, n / 12, heard.append)
    ours.run(30, None, 0.8, n)
    assert heard == list(range(1, 41))
    np.testing.assert_array_equal(ours.embedding, np.asarray(theirs))
    assert ours.kl_divergence() == pytest.approx(theirs.kl_divergence, rel=1e-9)


def _counted(fn: Any, calls: list[int]) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return fn(*args, **kwargs)

    return wrapper


def test_the_threaded_ffts_give_opentsnes_gradient_and_are_put_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import scipy.fft
    from openTSNE import _tsne
    from openTSNE._matrix_mul import matrix_mul

    rng = np.random.default_rng(0)
    layout = rng.normal(scale=10, size=(5_000, 2))  # ~70 boxes a side: a ~420 x 420 FFT
    plain, threaded = np.zeros_like(layout), np.zeros_like(layout)
    assert matrix_mul.np is np
    sum_q = _tsne.estimate_negative_gradient_fft_2d(layout, plain, 3, 50, 1, 1)
    calls: list[int] = []
    monkeypatch.setattr(scipy.fft, "rfft2", _counted(scipy.fft.rfft2, calls))
    with tsne_fft.fft_on_every_core():
        sum_q_threaded = _tsne.estimate_negative_gradient_fft_2d(layout, threaded, 3, 50, 1, 1)
    assert len(calls) == 5  # the kernel's and the four terms' forward transforms went to scipy
    assert matrix_mul.np is np
    np.testing.assert_allclose(threaded, plain, rtol=0, atol=1e-12 * np.abs(plain).max())
    assert sum_q_threaded == pytest.approx(sum_q, rel=1e-12)


@pytest.mark.parametrize("method", ["bh", "fft"])
def test_gradients_give_the_same_layout_on_one_or_two_threads(
    method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    init, aff = _problem(1_500)
    layouts = []
    for threads in (1, 2):
        d = Descent(init, aff.P.copy(), method=method)
        d.n_jobs = threads
        monkeypatch.setattr(tsne_fft, "CORES", threads)
        d.run(30, 12, 0.5, 125.0)
        d.run(20, None, 0.8, 1_500.0)
        layouts.append(d.embedding)
    np.testing.assert_array_equal(layouts[0], layouts[1])


def test_a_stop_inside_a_phase_leaves_p_as_it_was() -> None:
    init, aff = _problem(400)
    P = aff.P.copy()
    before = P.data.copy()
    d = Descent(init, P)

    def stop(iteration: int) -> None:
        if iteration == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        d.run(10, 12, 0.5, 100.0, stop)
    np.testing.assert_allclose(P.data, before, rtol=1e-12)


def test_affinities_are_the_same_on_one_thread_or_two() -> None:
    from openTSNE.affinity import joint_probabilities_nn

    from embed_widget.projection.knn import nearest_neighbors
    from embed_widget.projection.result import Reporter

    x, _ = make_blobs(2_000, 10, centers=5, random_state=0)
    idx, dist, _ = nearest_neighbors(x.astype(np.float32), 61, "euclidean", Reporter())
    ps = [
        joint_probabilities_nn(
            np.ascontiguousarray(idx[:, 1:], dtype=np.int64),
            np.ascontiguousarray(dist[:, 1:], dtype=np.float64),
            [20.0],
            symmetrize=True,
            n_jobs=threads,
        )
        for threads in (1, 2)
    ]
    assert (ps[0] != ps[1]).nnz == 0 and ps[0].nnz > 0
