"""The real widget in JupyterLab / Notebook 7 (issue 4): what the user sees and what Python holds.

Most tests show the digits with PCA (milliseconds) instead of the default UMAP, to stay fast.
"""

from __future__ import annotations

import numpy as np
import pytest
from ew_cases import digits_cell, notebook_code_cells, status_seq, to_screen, wait_done
from ew_jupyter import KernelError
from ew_notebook import OpenNotebook, OpenNotebookFn
from ew_page import background_color, count_non_background, distinct_hues, wait_for
from ew_widget import LEGEND, EmbedView, pixels_changed
from scipy import ndimage

DIGITS_COUNTS = {"0": 178, "1": 182, "2": 177, "3": 183, "4": 181}  # load_digits, first five


def legend(view: EmbedView) -> list[tuple[str, int]]:
    """(label, count) of each legend entry, in order."""
    labels = view.at(".ew-legend-item .ew-legend-label").all_inner_texts()
    counts = view.at(".ew-legend-item .ew-legend-count").all_inner_texts()
    return [(a.strip(), int(b)) for a, b in zip(labels, counts, strict=True)]


def xy(nb: OpenNotebook) -> np.ndarray:
    """``t.projection``'s x, y."""
    return np.array(nb.eval_in_kernel("t.projection[['x', 'y']].values.tolist()"))


def open_digits(open_notebook: OpenNotebookFn, algorithm: str | None = "pca") -> OpenNotebook:
    return open_notebook([digits_cell(algorithm)])


def test_hello_world_renders(open_notebook: OpenNotebookFn) -> None:
    nb = open_notebook(notebook_code_cells("hello_world.ipynb"))
    view = EmbedView(nb.page)
    px = wait_done(nb, view, "pca")
    assert view.root.get_attribute("data-points") == "3"

    # three dots, each where Python's projection puts it
    blobs, n = ndimage.label(np.abs(px.astype(int) - background_color(px)).max(axis=2) > 40)
    assert n == 3, f"{n} blobs painted"
    centres = np.array(ndimage.center_of_mass(blobs > 0, blobs, range(1, 4)))[:, ::-1]
    frame = nb.eval_in_kernel("[len(t.projection), t.projection.attrs['algorithm']]")
    assert frame == [3, "pca"]
    expected = to_screen(xy(nb), px.shape[1], px.shape[0])
    for point in expected:
        assert np.linalg.norm(centres - point, axis=1).min() < 3, (centres, expected)


def test_digits_renders_coloured_by_target(open_notebook: OpenNotebookFn) -> None:
    nb = open_digits(open_notebook)
    view = EmbedView(nb.page)
    px = wait_done(nb, view, "pca")
    assert view.root.get_attribute("data-points") == "1797"
    entries = legend(view)
    assert [label for label, _ in entries] == [str(d) for d in range(10)]
    python_counts = nb.eval_in_kernel("t.to_dataframe()['target'].value_counts().to_dict()")
    assert dict(entries) == python_counts
    assert dict(entries[:5]) == DIGITS_COUNTS
    assert nb.eval_in_kernel("t.view.color_by") == "target"
    assert count_non_background(px) > 20_000
    assert distinct_hues(px) >= 6  # Tableau 10: blue, orange, red, teal, green, yellow, ...


def test_choosing_tsne_recomputes(open_notebook: OpenNotebookFn) -> None:
    nb = open_digits(open_notebook)
    view = EmbedView(nb.page)
    before_px = wait_done(nb, view, "pca")
    before_xy, seq = xy(nb), status_seq(nb)

    view.watch_progress()
    view.choose("algorithm", "tsne")
    wait_for(lambda: nb.eval_in_kernel("t.view.algorithm") == "tsne", 10, message="algorithm")
    after_px = wait_done(nb, view, "tsne", after_seq=seq, timeout=90)

    assert view.progress_seen()
    assert not view.at(".ew-progress").first.is_visible()  # hidden again once done
    assert nb.eval_in_kernel("t.projection.attrs['algorithm']") == "tsne"
    after_xy = xy(nb)
    assert after_xy.shape == before_xy.shape == (1797, 2)
    assert not np.allclose(after_xy, before_xy)
    assert pixels_changed(before_px, after_px) > 2000
    assert view.root.get_attribute("data-points") == "1797"

    # "start from: previous": the next perplexity continues from the layout on screen
    seq = status_seq(nb)
    view.at('select[data-param="start"]').first.select_option(label="previous")
    wait_for(
        lambda: nb.eval_in_kernel("t.view.params.get('start')") == "previous", 10, message="start"
    )
    continued = wait_done(nb, view, "tsne", after_seq=seq, timeout=90)
    seq = status_seq(nb)
    view.set_param("perplexity", 15)
    warm_px = wait_done(nb, view, "tsne", after_seq=seq, timeout=90)
    assert nb.eval_in_kernel("t.view.status['info']['started_from']") == "previous"
    assert nb.eval_in_kernel("t.projection.attrs['params']['perplexity']") == 15
    assert pixels_changed(continued, warm_px) > 500


def test_n_neighbors_slider_recomputes_umap(open_notebook: OpenNotebookFn) -> None:
    nb = open_digits(open_notebook, algorithm=None)  # the default for 1,797 rows: UMAP
    view = EmbedView(nb.page)
    before_px = wait_done(nb, view, "umap", timeout=90)
    before_xy, seq = xy(nb), status_seq(nb)
    assert nb.eval_in_kernel("t.view.params.get('n_neighbors')") in (None, 15)

    view.set_param("n_neighbors", 30)
    wait_for(
        lambda: nb.eval_in_kernel("t.view.params.get('n_neighbors')") == 30,
        10,
        message="t.view.params['n_neighbors'] == 30",
    )
    after_px = wait_done(nb, view, "umap", after_seq=seq, timeout=90)
    assert nb.eval_in_kernel("t.projection.attrs['params']['n_neighbors']") == 30
    assert not np.allclose(xy(nb), before_xy)
    assert pixels_changed(before_px, after_px) > 2000
    readout = view.at('input[data-param="n_neighbors"] ~ .ew-param-value').first.inner_text()
    assert readout.strip() == "30"


def test_color_by_from_python(open_notebook: OpenNotebookFn) -> None:
    nb = open_digits(open_notebook)
    view = EmbedView(nb.page)
    coloured = wait_done(nb, view, "pca")
    assert distinct_hues(coloured) >= 6

    nb.run_in_kernel("t.view.color_by = None")
    wait_for(lambda: not view.at(LEGEND).first.is_visible(), 10, message="legend hidden")
    assert view.at(".ew-legend-item").count() == 0
    assert view.at('select[data-control="color_by"]').first.input_value() == ""
    plain = view.wait_pixels_change(coloured, min_changed=2000)
    assert distinct_hues(plain) <= 2  # one colour (its hue may straddle two 10-degree bins)

    nb.run_in_kernel("t.view.color_by = 'pixel_5_2'")  # numeric: colormap and colorbar
    graded = view.wait_pixels_change(plain, min_changed=2000)
    wait_for(lambda: view.at(".ew-colorbar").count() == 1, 10, message="colorbar")
    assert view.at(".ew-legend-title").first.inner_text() == "pixel_5_2"
    assert view.at('select[data-control="color_by"]').first.input_value() == "pixel_5_2"
    assert distinct_hues(graded) >= 3  # viridis: purple, blue, teal, green, yellow
    assert nb.eval_in_kernel("t.view.color_by") == "pixel_5_2"


def test_invalid_setting_shows_error_and_keeps_points(open_notebook: OpenNotebookFn) -> None:
    nb = open_digits(open_notebook)
    view = EmbedView(nb.page)
    shown = wait_done(nb, view, "pca")
    assert view.error() is None
    columns = nb.eval_in_kernel("t.view.embedding")
    assert len(columns) == 64

    nb.run_in_kernel("t.view.embedding = []")
    message = wait_for(view.error, 10, message="error box shown")
    assert "embedding" in message
    assert pixels_changed(shown, view.pixels()) == 0  # the previous points stay drawn
    assert nb.eval_in_kernel("len(t.projection)") == 1797  # kernel alive, last projection kept

    seq = status_seq(nb)
    nb.run_in_kernel(f"t.view.embedding = {columns!r}")  # a valid setting clears the error
    wait_done(nb, view, "pca", after_seq=seq)
    assert view.error() is None

    # set from Python, an invalid parameter raises in the cell and changes nothing
    with pytest.raises(KernelError, match=r"InvalidSetting.*'x_component' got 99"):
        nb.run_in_kernel('t.view.params = {"x_component": 99}')
    assert nb.eval_in_kernel("t.view.params") == {}
    assert view.error() is None
    assert pixels_changed(shown, view.pixels()) == 0
    params = nb.eval_in_kernel("t.projection.attrs['params']")
    assert params == {"x_component": 1, "y_component": 2, "preprocess": "none"}


@pytest.mark.parametrize("ui", ["notebook"])
def test_digits_notebook_renders_in_notebook7(open_notebook: OpenNotebookFn, ui: str) -> None:
    nb = open_notebook(notebook_code_cells("digits.ipynb"), ui=ui)  # verbatim: UMAP
    assert "/notebooks/" in nb.page.url
    view = EmbedView(nb.page)
    px = wait_done(nb, view, "umap", timeout=90)
    assert count_non_background(px) > 5000  # UMAP packs each digit tight
    assert distinct_hues(px) >= 6
    assert [label for label, _ in legend(view)] == [str(d) for d in range(10)]
    assert nb.eval_in_kernel("[len(t.projection), t.projection.attrs['algorithm']]") == [
        1797,
        "umap",
    ]
