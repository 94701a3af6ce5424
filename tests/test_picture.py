"""The saved picture (issue 14): a view displays with an output of its own for the picture, and
keeps there the PNG the frontend drew of the final layout on screen, and nothing else."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np
import pandas as pd
import pytest

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
