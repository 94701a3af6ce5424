"""While a layout computes (issue 10, items 7 and 8): streamed frames look like a layout forming,
never the points squeezed onto a line, and the status names each wait."""

from __future__ import annotations

import re
import time

import numpy as np
from ew_cases import digits_cell, status_seq, wait_done
from ew_notebook import OpenNotebook, OpenNotebookFn
from ew_page import background_color
from ew_widget import EmbedView

MIN_SPREAD = 0.3  # the painted area's minor / major axis (a line: ~0; the digits' UMAP: ~0.8)


def spread(pixels: np.ndarray) -> float:
    """Ratio of the minor to the major axis of the painted pixels (their covariance's roots)."""
    bg = background_color(pixels).astype(np.int16)
    painted = np.abs(pixels.astype(np.int16) - bg).max(axis=2) > 8
    rows, cols = np.nonzero(painted)
    if len(rows) < 50:
        return float("nan")
    roots = np.sqrt(np.linalg.eigvalsh(np.cov(np.vstack([cols, rows]).astype(np.float64))))
    return float(roots[0] / roots[1])


def spreads_while(nb: OpenNotebook, view: EmbedView, change: str, timeout: float) -> list[float]:
    """Run ``change`` in the kernel and sample the canvas's :func:`spread` until the request it
    starts is done."""
    seq = status_seq(nb)
    nb.run_in_kernel(change)
    spreads: list[float] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = nb.eval_in_kernel("[t.view.status.get('state'), t.view.status.get('seq', 0)]")
        spreads.append(spread(view.pixels()))
        if state[0] == "done" and state[1] > seq:
            break
        time.sleep(0.1)
    assert len(spreads) >= 5, "too few frames sampled while computing"
    return spreads


def test_umap_frames_after_an_n_neighbors_change_are_never_a_line(
    open_notebook: OpenNotebookFn,
) -> None:
    nb = open_notebook([digits_cell("umap")])
    view = EmbedView(nb.page)
    wait_done(nb, view, "umap", timeout=120)
    seq = status_seq(nb)
    spreads = spreads_while(nb, view, "t.view.params = {**t.view.params, 'n_neighbors': 40}", 60)
    wait_done(nb, view, "umap", after_seq=seq)
    assert min(spreads) >= MIN_SPREAD, [round(s, 2) for s in spreads]


def test_tsne_frames_are_never_a_line(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook([digits_cell("pca")])
    view = EmbedView(nb.page)
    wait_done(nb, view, "pca")
    seq = status_seq(nb)
    spreads = spreads_while(nb, view, "t.view.algorithm = 'tsne'", 90)
    wait_done(nb, view, "tsne", after_seq=seq)
    assert min(spreads) >= MIN_SPREAD, [round(s, 2) for s in spreads]


_RECORD_STATUS_JS = """() => {
  const seen = window.__ewStatusTexts = [];
  const note = () => {
    for (const s of document.querySelectorAll('.embed-widget .ew-status')) {
      const text = s.textContent;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }
  };
  new MutationObserver(note).observe(document.body,
    {subtree: true, childList: true, characterData: true});
}"""


def test_the_status_names_each_wait(open_notebook: OpenNotebookFn) -> None:
    """In a new kernel the status names each UMAP phase while a PCA preview is shown (the UMAP
    kernel loads from numba's cache meanwhile: no wait is left to name); t-SNE names its
    early-exaggeration phase. Every text the status bar showed is recorded in the page."""
    nb = open_notebook([digits_cell("umap")], run=False)
    nb.page.evaluate(_RECORD_STATUS_JS)
    nb.run_all()
    view = EmbedView(nb.page)
    wait_done(nb, view, "umap", timeout=120)
    seq = status_seq(nb)
    nb.run_in_kernel("t.view.algorithm = 'tsne'")
    wait_done(nb, view, "tsne", after_seq=seq, timeout=120)
    texts: list[str] = nb.page.evaluate("() => window.__ewStatusTexts")
    for phase in ("nearest neighbours", "fuzzy graph", "initial layout", "layout "):
        assert any(t.startswith(f"UMAP · {phase}") for t in texts), (phase, texts)
    assert any(t.endswith("· showing a PCA preview") for t in texts), texts
    assert any(t.startswith("t-SNE · iteration") and "early exaggeration" in t for t in texts), (
        texts
    )
    assert re.fullmatch(r"t-SNE · [\d.]+ s · neighbours kept: \d+%", texts[-1]), texts[-1]
