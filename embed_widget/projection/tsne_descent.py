"""openTSNE's gradient descent (momentum and gains), run by us so nothing is computed twice.

The same arithmetic as ``openTSNE.TSNEEmbedding.optimize`` (a test checks it bit for bit), calling
openTSNE's own gradients, but:

- the KL divergence is computed once, at the end. openTSNE computes it at every callback, which
  cost ~45% of an iteration at 50k rows (0.23 s against 0.16 s), and once more after every
  ``optimize`` call;
- ``after(iteration)`` runs after every iteration, at no cost: the caller throttles its frames
  and progress by time, so the result never depends on how fast the machine is;
- the gradients use every core: the attraction is split by rows, each row written by one
  thread, and Barnes-Hut's repulsion keeps a term per point and sums them in order afterwards,
  so the layout is the same for any thread count (a test checks both methods). The
  interpolation repulsion's FFTs run on every core too (:mod:`.tsne_fft`); the rest of it runs
  on one thread inside openTSNE.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import numpy as np

from .ann import CORES
from .tsne_fft import fft_on_every_core

#: openTSNE's switch from Barnes-Hut to the interpolation gradient ("auto")
FFT_MIN_ROWS = 10_000
#: openTSNE's defaults for ``gradient_descent``
MIN_GAIN, MAX_STEP_NORM = 0.01, 5.0
_BH = {"theta": 0.5}
_FFT = {"n_interpolation_points": 3, "min_num_intervals": 50, "ints_in_interval": 1}


class Descent:
    """A layout being optimised: its coordinates and openTSNE's per-coordinate update and gains,
    kept across phases (early exaggeration, then the main phase)."""

    def __init__(self, init: np.ndarray, P: Any, method: str | None = None) -> None:
        self.embedding = np.array(init, dtype=np.float64, order="C")
        self.P = P
        n = self.embedding.shape[0]
        self.method = method or ("fft" if n >= FFT_MIN_ROWS else "bh")
        self.n_jobs = CORES
        self.update = np.zeros_like(self.embedding)
        self.gains = np.ones_like(self.embedding)

    def _objective(self, should_eval_error: bool, n_jobs: int) -> tuple[float, np.ndarray]:
        from openTSNE.tsne import kl_divergence_bh, kl_divergence_fft

        if self.method == "fft":
            return kl_divergence_fft(  # type: ignore[no-any-return]
                self.embedding, self.P, dof=1, fft_params=_FFT, n_jobs=n_jobs,
                should_eval_error=should_eval_error,
            )  # fmt: skip
        return kl_divergence_bh(  # type: ignore[no-any-return]
            self.embedding, self.P, dof=1, bh_params=_BH, n_jobs=n_jobs,
            should_eval_error=should_eval_error,
        )  # fmt: skip

    def run(
        self, n_iter: int, exaggeration: float | None, momentum: float, learning_rate: float,
        after: Callable[[int], None] = lambda _it: None,
    ) -> None:  # fmt: skip
        """``n_iter`` iterations of one phase; ``after`` hears each iteration's number (from 1)
        and may raise to stop (P is left as it was)."""
        ex = 1.0 if exaggeration is None else exaggeration
        if ex != 1:  # in place, as openTSNE, so P rounds exactly as there
            self.P *= ex
        try:
            with fft_on_every_core() if self.method == "fft" else contextlib.nullcontext():
                for iteration in range(n_iter):
                    self._step(momentum, learning_rate)
                    after(iteration + 1)
        finally:
            if ex != 1:
                self.P /= ex

    def _step(self, momentum: float, learning_rate: float) -> None:
        # openTSNE's update, elementwise the same operations, without its boolean-mask copies
        _, gradient = self._objective(should_eval_error=False, n_jobs=self.n_jobs)
        flipped = np.sign(self.update) != np.sign(gradient)
        self.gains = np.where(flipped, self.gains + 0.2, self.gains * 0.8 + MIN_GAIN)
        self.update *= momentum
        self.update -= learning_rate * self.gains * gradient
        norms = np.linalg.norm(self.update, axis=1)
        too_long = norms > MAX_STEP_NORM
        if too_long.any():
            self.update[too_long] /= norms[too_long, None]
            self.update[too_long] *= MAX_STEP_NORM
        self.embedding += self.update
        self.embedding -= np.mean(self.embedding, axis=0)

    def kl_divergence(self) -> float:
        """The KL divergence of the current layout (costs about one iteration). On one thread:
        summed over threads, its last digits would depend on the machine's core count."""
        return float(self._objective(should_eval_error=True, n_jobs=1)[0])
