"""The saved HTML page (issue 14): self-contained, the data's strings inert, the picture's data
round-tripping, and small (bytes a point)."""

from __future__ import annotations

import base64
import json
import re
import time

import numpy as np
import pandas as pd
import pytest

from embed_widget import Table
from embed_widget.widget.share import STATIC

HOSTILE = "</script><script>alert(1)</script>"


def shown_view(frame: pd.DataFrame, **settings: object):  # type: ignore[no-untyped-def]
    view = Table(dataframe=frame).view
    for name, value in settings.items():
        setattr(view, name, value)
    view._start()
    view.wait()
    deadline = time.monotonic() + 20
    while view._clusters.get("seq") != view._layout.get("seq") and time.monotonic() < deadline:
        time.sleep(0.02)
    return view


def saved_data(page: str) -> dict:  # type: ignore[type-arg]
    """The page's data, parsed, with each buffer decoded back at its path."""
    found = re.search(r'<script id="ew-data" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None
    packed = json.loads(found.group(1))
    snapshot = packed["snapshot"]
    for path, data in zip(packed["buffer_paths"], packed["buffers"], strict=True):
        at = snapshot
        for key in path[:-1]:
            at = at[key]
        at[path[-1]] = base64.b64decode(data)
    return {"snapshot": snapshot, "raw": found.group(1)}


@pytest.fixture(scope="module")
def hostile() -> tuple[str, pd.DataFrame]:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"emb": list(rng.normal(size=(300, 8)).astype(np.float32))})
    frame[HOSTILE] = [f"<img src=x onerror=alert({i})>" for i in range(300)]  # a column name
    frame["kind"] = [["a&b", "</style>", '"q"'][i % 3] for i in range(300)]
    view = shown_view(frame, algorithm="pca")
    page = view.to_html()
    projection = view.projection_frame()
    view.close()
    return page, projection


def test_the_page_loads_nothing_from_elsewhere(hostile: tuple[str, pd.DataFrame]) -> None:
    page, _ = hostile
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(https?:)?//|@import|<link\b|<iframe\b""", page, re.I)
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert len(re.findall(r"<script\b", page)) == 3  # the data, the bundle, the call: no more


def test_the_datas_strings_stay_text(hostile: tuple[str, pd.DataFrame]) -> None:
    page, _ = hostile
    data = saved_data(page)
    assert "<" not in data["raw"] and ">" not in data["raw"] and "&" not in data["raw"]
    columns = {c["name"]: c for c in data["snapshot"]["rows"]}
    assert columns[HOSTILE]["texts"][7] == "<img src=x onerror=alert(7)>"  # intact, as data
    assert columns["kind"]["categories"] == sorted(["a&b", "</style>", '"q"'])
    assert "</style>" not in page.split("<body>")[0].split("<style>", 1)[1].rsplit("</style>", 1)[0]


def test_the_picture_round_trips(hostile: tuple[str, pd.DataFrame]) -> None:
    page, projection = hostile
    snapshot = saved_data(page)["snapshot"]
    layout = snapshot["state"]["_layout"]
    codes = np.frombuffer(layout["coords16"], dtype=np.uint16).reshape(-1, 2)
    low, high = np.array(layout["low"]), np.array(layout["high"])
    xy = low + codes / 65535 * (high - low)
    np.testing.assert_allclose(xy, projection[["x", "y"]], atol=float((high - low).max()) / 65535)
    assert layout["final"] is True
    about = snapshot["about"]
    assert about["algorithm"] == "pca" and about["embedding"] == ["emb"]
    assert "numpy" in about["versions"] and re.match(r"\d{4}-\d\d-\d\dT", about["date"])
    assert snapshot["state"]["_clusters"]["seq"] == layout["seq"]


def test_a_page_costs_at_most_12_bytes_a_point_beside_the_bundle() -> None:
    rng = np.random.default_rng(1)
    n = 10_000
    centres = rng.normal(scale=5, size=(10, 16))
    labels = rng.integers(0, 10, n)
    frame = pd.DataFrame({"emb": list((centres[labels] + rng.normal(size=(n, 16))).astype("f4"))})
    frame["label"] = [f"class {k}" for k in labels]
    view = shown_view(frame, algorithm="pca")
    page = view.to_html()
    view.close()
    fixed = len((STATIC / "standalone.js").read_text()) + len((STATIC / "widget.css").read_text())
    assert (len(page.encode()) - fixed) / n <= 12
