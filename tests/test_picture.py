"""The saved picture (issue 14): a view displays with an output of its own for the picture, and
keeps there the PNG the frontend drew of the final layout on screen, and nothing else."""

from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from embed_widget import Table
from embed_widget.widget import picture
from embed_widget.widget.picture import BLANK_PNG, MAX_PICTURE_BYTES, PNG_SIGNATURE

PNG = PNG_SIGNATURE + b"a picture"


class Published:
    """What the view displayed and updated, in order: (kind, data, display_id)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, dict[str, Any], str | None]] = []
        monkeypatch.setattr(picture, "display", self._call("display"))
        monkeypatch.setattr(picture, "update_display", self._call("update"))

    def _call(self, kind: str) -> Any:
        def record(data: dict[str, Any], **kwargs: Any) -> None:
            assert kwargs["raw"] is True
            self.calls.append((kind, data, kwargs.get("display_id")))

        return record

    def pictures(self) -> list[bytes]:
        return [base64.b64decode(d["image/png"]) for _, d, _ in self.calls if "image/png" in d]


@pytest.fixture
def table() -> Table:
    rng = np.random.default_rng(0)
    return Table(dataframe=pd.DataFrame(rng.normal(size=(200, 4)), columns=list("abcd")))


def test_a_view_displays_with_an_output_for_its_picture(
    table: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = Published(monkeypatch)
    view = table.view
    view._ipython_display_()
    (_, widget, _), (_, saved, display_id) = published.calls
    assert widget["application/vnd.jupyter.widget-view+json"]["model_id"] == view.model_id
    assert display_id == f"embed-widget-picture-{view.model_id}"
    assert published.pictures() == [BLANK_PNG]  # nothing drawn yet
    assert "run the cell" in saved["text/plain"]
    table._ipython_display_()  # the table displays its view the same way, with its summary
    assert published.calls[2][1]["text/plain"] == repr(table)
    assert published.calls[3][2] == display_id
    view.close()


def test_the_picture_of_the_final_layout_is_kept_and_nothing_else(
    table: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = table.view
    view.algorithm = "pca"
    view._ipython_display_()
    view.wait()
    published = Published(monkeypatch)
    seq = view.final_seq()

    def send(content: dict[str, Any], png: bytes) -> None:
        view._picture_message(view, content, [memoryview(png)])

    send({"type": "picture", "seq": seq - 1}, PNG)  # an older layout's
    send({"type": "picture", "seq": seq}, b"GIF89a" + PNG)  # not a PNG
    send({"type": "picture", "seq": seq}, PNG + bytes(MAX_PICTURE_BYTES))  # too large
    send({"type": "row", "seq": seq}, PNG)  # another message
    assert published.calls == []
    send({"type": "picture", "seq": seq}, PNG)
    assert published.pictures() == [PNG]
    assert published.calls[0][0] == "update"
    assert published.calls[0][2] == f"embed-widget-picture-{view.model_id}"
    published.calls.clear()
    view._ipython_display_()  # displayed again: with the picture it has
    assert published.pictures() == [PNG]
    view.close()


def real_png(width: int, height: int, color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def test_a_comparison_keeps_its_views_pictures_side_by_side(
    table: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = Published(monkeypatch)
    pair = table.compare([["a", "b"], ["c", "d"]], algorithm="pca")
    pair._ipython_display_()  # the grid, then an output for the grid's picture
    (_, grid, _), (_, _, display_id) = published.calls
    assert grid["application/vnd.jupyter.widget-view+json"]["model_id"] == pair.model_id
    assert display_id == f"embed-widget-picture-{pair.model_id}"
    assert pair.wait(30)
    published.calls.clear()
    left, right = pair.views
    left._picture_message(left, {"type": "picture", "seq": left.final_seq()},
                          [real_png(300, 200, (250, 0, 0))])  # fmt: skip
    grid_updates = [c for c in published.calls if c[2] == display_id]
    first = Image.open(io.BytesIO(base64.b64decode(grid_updates[-1][1]["image/png"])))
    assert first.size == (608, 200)  # two cells a row, the right one blank for now
    assert first.getpixel((10, 10)) == (250, 0, 0)
    assert first.getpixel((500, 10)) != (0, 0, 250)
    right._picture_message(right, {"type": "picture", "seq": right.final_seq()},
                           [real_png(300, 240, (0, 0, 250))])  # fmt: skip
    grid_updates = [c for c in published.calls if c[2] == display_id]
    both = Image.open(io.BytesIO(base64.b64decode(grid_updates[-1][1]["image/png"])))
    assert both.size == (608, 240)
    assert both.getpixel((500, 10)) == (0, 0, 250)
    assert both.getpixel((10, 10)) == (250, 0, 0)
    pair.close()
    for view in (left, right):
        view.close()
