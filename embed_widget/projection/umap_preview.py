"""A large UMAP's first picture in about two seconds, which is then where its layout starts.

At 100k x 128 the neighbours of every row take half of a UMAP's 21 s here, and the spectral start
another 1.7 s: until both are done there is nothing to show. From ``PREVIEW_MIN_ROWS`` rows,
:mod:`.umap_layout` first lays out a UMAP of ``SAMPLE_ROWS`` rows drawn at random (exact
neighbours, spectral start, ``PREVIEW_EPOCHS`` epochs) and puts every other row near its
nearest sample row (:func:`place_on_sample`). That picture is
shown at once, and the full layout starts from it instead of from a spectral layout of all rows
(as openTSNE advises for large data: initialise from a sample's embedding). This module holds
the sampling and the placing; the sample's UMAP is :mod:`.umap_layout`'s own steps.
"""

from __future__ import annotations

import numpy as np

from .knn import prepare
from .result import F32, Reporter

#: From this many rows a UMAP starts from a preview (below, the neighbours take under ~3 s).
PREVIEW_MIN_ROWS = 50_000
SAMPLE_ROWS = 5_000
PREVIEW_EPOCHS = 200
#: Rows are placed in the sample's top principal components (of the rows as the metric sees
#: them: unit rows for cosine): a start needs the right neighbourhood, not exact distances.
PLACE_DIMS = 32
CHUNK_ROWS = 4096


def sample_rows(n_rows: int, rs: np.random.RandomState) -> np.ndarray:
    """``SAMPLE_ROWS`` row numbers drawn without replacement, in increasing order."""
    return np.sort(rs.choice(n_rows, size=SAMPLE_ROWS, replace=False))


def place_on_sample(
    x: np.ndarray, sample: np.ndarray, layout: np.ndarray, metric: str, rs: np.random.RandomState,
    rep: Reporter,
) -> F32:  # fmt: skip
    """Every row of ``x`` near its nearest row of ``x[sample]`` (laid out at ``layout``): at a
    uniform offset of at most half the distance to that row's nearest laid-out neighbour; the
    sample rows at their own positions. Works in chunks (no copy of ``x``), checking for
    cancellation between them."""
    import faiss

    reference, _ = prepare(x[sample], metric)
    mean = reference.mean(axis=0)
    axes = _top_axes(reference - mean)
    index = faiss.IndexFlatL2(axes.shape[1])
    index.add(np.ascontiguousarray((reference - mean) @ axes, dtype=np.float32))
    nearest = np.empty(len(x), dtype=np.int64)
    for start in range(0, len(x), CHUNK_ROWS):
        rep.check()
        rows, _ = prepare(x[start : start + CHUNK_ROWS], metric)
        query = np.ascontiguousarray((rows - mean) @ axes, dtype=np.float32)
        nearest[start : start + CHUNK_ROWS] = index.search(query, 1)[1][:, 0]
    spread = _spacing(layout)[nearest, None]
    out: F32 = layout[nearest] + rs.uniform(-1.0, 1.0, size=(len(x), 2)).astype(np.float32) * spread
    out[sample] = layout
    return out


def _top_axes(centred: np.ndarray) -> np.ndarray:
    """The top ``PLACE_DIMS`` principal axes of ``centred`` rows, as columns (float32)."""
    if centred.shape[1] <= PLACE_DIMS:
        return np.eye(centred.shape[1], dtype=np.float32)
    _, _, vt = np.linalg.svd(centred.astype(np.float32), full_matrices=False)
    return np.ascontiguousarray(vt[:PLACE_DIMS].T)


def _spacing(layout: np.ndarray) -> F32:
    """Half the distance from each laid-out sample row to its nearest other one: how far the rows
    placed on it may spread without reaching its neighbours' share."""
    import faiss

    points = np.ascontiguousarray(layout, dtype=np.float32)
    index = faiss.IndexFlatL2(2)
    index.add(points)
    squared, _ = index.search(points, 2)
    half: F32 = (0.5 * np.sqrt(np.maximum(squared[:, 1], 0.0))).astype(np.float32)
    return half
