"""While a layout computes (issue 10, items 7 and 8): streamed frames look like a layout forming,
never the points squeezed onto a line, and the status names each wait."""

from __future__ import annotations

import re
import time

import numpy as np
from ew_cases import digits_cell, painted_centroids, status_seq, wait_done, wait_still
from ew_notebook import OpenNotebook, OpenNotebookFn
from ew_page import background_color, wait_for
from ew_widget import EmbedView
from scipy.spatial import procrustes

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
    # (1,000 epochs: the digits' UMAP now takes ~1.5 s, too short to sample five frames of)
    change = "t.view.params = {**t.view.params, 'n_neighbors': 40, 'n_epochs': 1000}"
    spreads = spreads_while(nb, view, change, 60)
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


BLOBS_CELL = """
import numpy as np, pandas as pd
from embed_widget import Table
rng = np.random.default_rng(0)
centres = rng.normal(scale=8, size=(8, 32))
label = rng.integers(0, 8, 12_000)
vectors = (centres[label] + rng.normal(size=(12_000, 32))).astype(np.float32)
df = pd.DataFrame({"label": [f"blob {i}" for i in label], "embedding": list(vectors)})
t = Table(dataframe=df)
t.view.algorithm = "umap"
t
"""


def test_a_umap_above_10k_rows_is_drawn_where_the_kernel_put_it(
    open_notebook: OpenNotebookFn,
) -> None:
    """12,000 rows: UMAP's epochs run split by vertex on every core (``PARALLEL_MIN_ROWS``). The
    canvas shows that layout: the eight blobs apart, each painted in its own colour where its
    points are."""
    from embed_widget.projection.umap_layout import PARALLEL_MIN_ROWS

    assert PARALLEL_MIN_ROWS <= 12_000
    nb = open_notebook([BLOBS_CELL])
    view = EmbedView(nb.page)
    pixels = wait_done(nb, view, "umap", timeout=240)
    assert nb.eval_in_kernel("t.view.color_by") == "label"
    xy = np.array(nb.eval_in_kernel("t.projection[['x', 'y']].values.tolist()"))
    labels = np.array(nb.eval_in_kernel("t.projection['label'].tolist()"))
    assert xy.shape == (12_000, 2)
    names = sorted(set(labels))
    centroids = np.array([np.median(xy[labels == name], axis=0) for name in names])
    nearest = np.argmin(((xy[:, None, :] - centroids[None]) ** 2).sum(axis=2), axis=1)
    assert np.mean(np.array(names)[nearest] == labels) > 0.99  # the blobs lie apart

    # The frontend turns a new layout to match the one before (the PCA preview), so compare the
    # blobs' arrangement up to a rotation, reflection, scale and shift (Procrustes).
    legend, on_canvas = painted_centroids(view, pixels)
    assert legend == names
    disparity = procrustes(centroids, on_canvas)[2]
    assert disparity < 0.01, disparity  # (the PCA preview's arrangement: 0.96)


def test_a_large_umap_shows_its_preview_while_the_neighbours_are_searched(
    open_notebook: OpenNotebookFn,
) -> None:
    """60,000 rows (from ``PREVIEW_MIN_ROWS``): a UMAP of a 5,000-row sample, every other row
    beside its nearest sample row, is drawn before the neighbours of every row are searched, and
    the status says it is a preview. (What is drawn is checked against the first frame of the
    same UMAP run again in the kernel and stopped there.)"""
    from embed_widget.projection import umap_preview

    assert umap_preview.PREVIEW_MIN_ROWS <= 60_000
    nb = open_notebook([BLOBS_CELL.replace("12_000", "60_000")])
    view = EmbedView(nb.page)
    wait_for(lambda: "showing a preview of 5,000 rows" in view.status(), 180, 0.1, "the preview")
    shown = wait_still(view)
    assert "showing a preview" in view.status()  # (the neighbours take seconds at 60k)
    legend, on_canvas = painted_centroids(view, shown)  # the eight blobs, each in its colour
    wait_done(nb, view, "umap", timeout=240)
    nb.run_in_kernel(FIRST_FRAME)
    preview = np.array(nb.eval_in_kernel("first.tolist()"))
    labels = np.array(nb.eval_in_kernel("t.projection['label'].tolist()"))
    expected = np.array([np.median(preview[labels == name], axis=0) for name in legend])
    assert procrustes(expected, on_canvas)[2] < 0.01, procrustes(expected, on_canvas)[2]


FIRST_FRAME = """
from embed_widget.projection import Cancelled, Projector
frames = []
try:
    Projector().project("again", vectors, "umap", t.view.params, on_frame=frames.append,
                        should_stop=lambda: bool(frames))
except Cancelled:
    pass
first = frames[0]
"""
