"""The saved HTML page (issue 14): opened from file:// with the network off, it paints, hovers,
searches, hides legend entries and labels clusters, and the data's strings stay text."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from ew_cases import to_screen
from ew_notebook import OpenNotebook, OpenNotebookFn
from ew_page import count_non_background, hover, screenshot_pixels, wait_for
from ew_widget import CANVAS, LEGEND_ITEM, EmbedView
from nbformat.sign import NotebookNotary
from playwright.sync_api import BrowserContext, Page
from sklearn.datasets import make_blobs
from test_interactions import wait_tooltip
from test_map_labels import GROUPS

from embed_widget import Image, Table

PAYLOAD = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """A PCA view of 1,200 rows in six groups, saved; one group and every text are HTML."""
    points, groups = make_blobs(1200, n_features=8, centers=6, random_state=3)
    frame = pd.DataFrame(points, columns=[f"d{i}" for i in range(8)])
    frame["group"] = [PAYLOAD if k == 0 else f"group {k}" for k in groups]
    frame["text"] = [f"</script><b>row {i}</b>" for i in range(1200)]
    frame["score"] = np.arange(1200) * 1234.5678
    grey = np.random.default_rng(3).integers(0, 255, (1200, 8, 8), dtype=np.uint8)
    frame["digit"] = [Image(g) for g in grey]  # the hover's thumbnails are saved too
    table = Table(dataframe=frame)
    view = table.view
    view.algorithm = "pca"
    view.embedding = [f"d{i}" for i in range(8)]
    view._start()
    view.wait()
    deadline = time.monotonic() + 20
    while view._clusters.get("seq") != view._layout.get("seq") and time.monotonic() < deadline:
        time.sleep(0.05)  # the labels are saved too
    path = tmp_path_factory.mktemp("share") / "plot.html"
    view.to_html(path)
    projection = table.projection
    view.close()
    return path, projection


class OfflinePage:
    """A page that opens files with the network off, recording any request that is not for a
    local file and any dialog (an ``alert`` from the data would be one)."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.page = context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        local = ("file:", "data:", "blob:")
        self.page.on(
            "request", lambda r: None if r.url.startswith(local) else self.requests.append(r.url)
        )
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, path: Path) -> EmbedView:
        self.context.set_offline(True)
        self.page.goto(path.as_uri())
        return EmbedView(self.page)


@pytest.fixture
def offline(browser_context: BrowserContext) -> Iterator[OfflinePage]:
    opened = OfflinePage(browser_context)
    try:
        yield opened
    finally:
        browser_context.set_offline(False)
        opened.page.close()


def test_the_saved_page_paints_hovers_and_searches_offline(
    saved: tuple[Path, pd.DataFrame], offline: OfflinePage
) -> None:
    path, projection = saved
    view = offline.open(path)
    page = view.page
    before = view.wait_painted(min_pixels=2000)
    assert view.root.get_attribute("data-points") == "1200"
    assert "PCA of 1,200 rows" in page.locator(".ew-about summary").inner_text()

    # hover the point farthest from any other: its saved values, as text
    canvas = view.at(CANVAS).first.bounding_box()
    assert canvas is not None
    xy = projection[["x", "y"]].to_numpy()
    screen = to_screen(xy, canvas["width"], canvas["height"])
    gaps = np.linalg.norm(screen[:, None] - screen[None], axis=2) + np.eye(len(screen)) * 1e9
    row = int(np.argmax(gaps.min(axis=1)))
    hover(page, canvas["x"] + screen[row, 0], canvas["y"] + screen[row, 1])
    shown = wait_tooltip(view, row)
    assert shown["group"] == projection["group"].iloc[row]
    assert shown["text"] == f"</script><b>row {row}</b>"
    assert "d0" not in shown  # the embedding's own columns are not saved
    assert shown["score"] == f"{projection['score'].iloc[row]:.4g}"  # as the kernel writes it
    thumbnail = view.at(".ew-tooltip img.ew-tooltip-image").first
    wait_for(lambda: thumbnail.evaluate("i => i.complete && i.naturalWidth") == 128, 10)

    box = view.at(".ew-search").first
    box.fill("group 3")
    count = view.at(".ew-search-count").first
    expected = int((projection["group"] == "group 3").sum())
    wait_for(lambda: count.inner_text() == f"{expected} of 1,200", 10, message="searched")
    box.fill("/row 1[0-9]{3}</")  # a regex over the text column: rows 1000-1199
    wait_for(lambda: count.inner_text() == "200 of 1,200", 10, message="regex searched")
    box.fill("")

    labels = page.locator(".ew-cluster-labels .ew-label")
    wait_for(lambda: labels.count() >= 3, 10, message="cluster labels")
    assert f"{PAYLOAD} 100%" in labels.all_inner_texts()
    view.at(LEGEND_ITEM).first.click()  # hide the first group
    view.wait_pixels_change(before, min_changed=200)
    assert count_non_background(view.pixels()) < count_non_background(before)

    assert page.locator("img:not(.ew-tooltip-image)").count() == 0  # none made of the data's HTML
    assert page.locator("b").count() == 0
    assert offline.dialogs == [] and offline.requests == []


def test_a_saved_notebook_shows_the_last_picture_without_running(
    open_notebook: OpenNotebookFn,
) -> None:
    nb = open_notebook([GROUPS])
    view = EmbedView(nb.page)
    view.wait_painted(min_pixels=1000)
    wait_for(lambda: view.at(".ew-cluster-labels .ew-label").count() >= 3, 20, message="labels")
    time.sleep(6)  # past the wait for the kernel's answer: a live view says nothing
    assert view.at(".ew-saved-notice").count() == 0
    view.at(".ew-button.ew-density").first.click()  # and takes clicks
    wait_for(lambda: nb.eval_in_kernel("t.view.density") is True, 10, message="clicked")
    nb.page.locator(".jp-Notebook").first.click()
    nb.page.keyboard.press("Control+s")
    wait_for(lambda: "widget-state+json" in nb.path.read_text(), 20, message="saved with state")

    reopened = open_notebook([], copy_of=nb.path, run=False)
    again = EmbedView(reopened.page)
    again.wait_painted(min_pixels=1000)
    assert again.root.get_attribute("data-points") == "1200"
    labels = again.at(".ew-cluster-labels .ew-label")
    wait_for(lambda: labels.count() >= 3, 10, message="labels from the saved state")
    notice = again.at(".ew-saved-notice").first
    wait_for(notice.is_visible, 15, message="the saved-picture notice")
    assert "run the cell" in notice.inner_text()
    assert again.at(".ew-density-layer").first.is_visible()  # saved with density on
    assert picture_width(reopened.page, PICTURE) > 300  # the saved picture is there, and
    assert not reopened.page.locator(PICTURE).is_visible()  # hidden beside the view


PICTURE = ".jp-OutputArea-child.ew-picture-owner + .jp-OutputArea-child img"
SAVED_PICTURE = ".jp-OutputArea-child:has(.jp-RenderedImage) img"


def saved_without_widget_state(nb: OpenNotebook) -> nbformat.NotebookNode:
    """Save the notebook (Ctrl+S) and read it back without its widget state, as JupyterLab saves
    it by default ("save widget state" off)."""
    nb.page.locator(".jp-Notebook").first.click()
    nb.page.keyboard.press("Control+s")
    wait_for(lambda: "widget-state+json" in nb.path.read_text(), 20, message="saved")
    notebook = nbformat.read(nb.path, as_version=4)
    del notebook.metadata["widgets"]
    return notebook


def picture_width(page: Page, selector: str) -> int:
    return int(page.evaluate(f"document.querySelector({selector!r})?.naturalWidth ?? 0"))


@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "untrusted"])
def test_a_notebook_saved_without_widget_state_shows_the_saved_picture(
    open_notebook: OpenNotebookFn, trusted: bool
) -> None:
    nb = open_notebook([GROUPS])
    view = EmbedView(nb.page)
    view.wait_painted(min_pixels=1000)
    wait_for(lambda: picture_width(nb.page, PICTURE) > 300, 30, message="the picture drawn")
    assert not nb.page.locator(PICTURE).is_visible()  # beside the live view: hidden
    notebook = saved_without_widget_state(nb)
    outputs = notebook.cells[0].outputs
    assert [sorted(o.data) for o in outputs][-1] == ["image/png", "text/plain"]
    if trusted:  # the user's own notebook; else a colleague's copy, where no widget renders
        NotebookNotary(data_dir=str(nb.server.base / "data")).sign(notebook)
    copy = nb.path.with_name(f"no_state_{trusted}.ipynb")
    nbformat.write(notebook, copy)

    reopened = open_notebook([], copy_of=copy, run=False)
    page = reopened.page
    wait_for(lambda: picture_width(page, SAVED_PICTURE) > 300, 20, message="the saved picture")
    picture = page.locator(SAVED_PICTURE).first
    assert picture.is_visible()
    assert count_non_background(screenshot_pixels(page, picture)) > 1000  # points and legend
    assert page.locator(".embed-widget").count() == 0  # no view: only the picture shows
    widget_text = page.locator(".jp-OutputArea-child").first.inner_text()
    # trusted: the widget manager's "Loading widget..." or "model not found"; else the summary
    assert ("widget" in widget_text) == trusted, widget_text


def test_the_html_button_saves_the_picture_and_the_page_opens_offline(
    open_notebook: OpenNotebookFn, offline: OfflinePage, tmp_path: Path
) -> None:
    nb = open_notebook([GROUPS])
    view = EmbedView(nb.page)
    view.wait_painted(min_pixels=1000)
    with nb.page.expect_download(timeout=20_000) as info:
        view.at(".ew-html").first.click()
    download = info.value
    assert download.suggested_filename == "embedding-pca.html"
    saved = tmp_path / "saved.html"
    download.save_as(saved)
    with nb.page.expect_download(timeout=20_000) as info:
        view.at(".ew-svg").first.click()
    assert info.value.suggested_filename == "embedding-pca.svg"
    svg = info.value.path().read_text()
    assert svg.count("<circle") == 1200 + 6  # the points and the legend's six swatches
    nb.run_in_kernel("import embed_widget.widget.svg as svg; svg.MAX_POINTS = 100")
    view.at(".ew-svg").first.click()
    error = view.at(".ew-action-error").first
    wait_for(lambda: "at most 100 points" in error.inner_text(), 10, message="the reason shown")

    legend = view.legend_items()
    nb.page.close()  # (its kernel connection would fail once the network is off)
    opened = offline.open(saved)
    opened.wait_painted(min_pixels=1000)
    assert opened.root.get_attribute("data-points") == "1200"
    assert opened.legend_items() == legend
    assert not opened.at(".ew-html").first.is_visible()  # no kernel to make another
    assert offline.requests == []
