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
    deadline = time.monotonic() + 60
    while view._clusters.get("seq") != view._layout.get("seq") and view.labels:
        assert time.monotonic() < deadline, "the clusters never came"
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


def test_the_page_holds_thumbnails_small_and_spread_within_its_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    import PIL.Image

    from embed_widget import Image
    from embed_widget.widget import share

    rng = np.random.default_rng(2)
    digits = [Image(rng.integers(0, 255, (8, 8), dtype=np.uint8)) for _ in range(150)]
    photos = [Image(rng.integers(0, 255, (200, 300, 3), dtype=np.uint8)) for _ in range(150)]
    pairs = zip(digits, photos, strict=True)
    assert all(len(d.png) <= share.SMALL_PNG < len(p.png) for d, p in pairs)
    frame = pd.DataFrame({"emb": list(rng.normal(size=(300, 8)).astype("f4"))})
    frame["picture"] = [c for pair in zip(digits, photos, strict=True) for c in pair]
    view = shown_view(frame, algorithm="pca")
    assert view.image_column == "picture"
    images = share.snapshot(view)["images"]
    rows = np.frombuffer(images["rows"], dtype=np.uint32)
    offsets = np.frombuffer(images["offsets"], dtype=np.uint32)
    assert rows.tolist() == list(range(300)) and offsets[-1] == len(images["data"])
    for row in (0, 1, 299):
        data = images["data"][offsets[row] : offsets[row + 1]]
        if row % 2 == 0:  # a digit: its own PNG, kept as it is
            assert data == digits[row // 2].png
        else:  # a photo: made smaller
            thumb = PIL.Image.open(io.BytesIO(data))
            assert thumb.format == "WEBP" and max(thumb.size) == share.THUMB_SIDE

    monkeypatch.setattr(share, "THUMB_BUDGET", 40_000)
    snap = share.snapshot(view)
    images = snap["images"]
    rows = np.frombuffer(images["rows"], dtype=np.uint32)
    assert 0 < len(rows) < 300 and len(images["data"]) <= 40_000
    assert rows.max() > 200 and rows.min() < 100  # a sample over the table, not its first rows
    assert snap["about"]["thumbnails"] == f"{len(rows):,} of 300 rows"
    view.close()


# -- SVG -----------------------------------------------------------------------------------------


def test_the_svg_draws_each_shown_point_in_its_colour_with_the_legend() -> None:
    import xml.etree.ElementTree as ET

    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"emb": list(rng.normal(size=(200, 4)).astype(np.float32))})
    frame["kind"] = [[HOSTILE, "b & c"][i % 2] for i in range(200)]
    frame["n"] = np.arange(200)
    view = shown_view(frame, algorithm="pca", embedding=["emb"], color_by="kind")
    svg = ET.fromstring(view.to_svg())  # well-formed: every string escaped
    ns = {"s": "http://www.w3.org/2000/svg"}
    groups = svg.findall("s:g", ns)
    palette = dict(zip(view._colors["categories"], view._colors["palette"], strict=True))
    by_fill = {g.get("fill"): len(g.findall("s:circle", ns)) for g in groups}
    assert by_fill == {palette[HOSTILE]: 100, palette["b & c"]: 100}
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert HOSTILE in texts and "b & c" in texts and "kind" in texts
    assert "PCA · x_component 1 · y_component 2 · 200 points" in texts  # the caption

    view.filter = "n < 50"  # hidden rows are not drawn
    assert len(ET.fromstring(view.to_svg()).findall(".//s:circle", ns)) == 50 + 2  # + 2 swatches
    view.filter = ""
    view.color_by = "n"  # a colormap: its ends are the first and last stops
    svg = ET.fromstring(view.to_svg())
    fills = [g.get("fill") for g in svg.findall("s:g", ns)]
    assert fills[0] == "#440154" and "#fde725" in fills
    view.close()


def test_the_svg_refuses_more_points_than_it_can_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    from embed_widget.widget import svg

    monkeypatch.setattr(svg, "MAX_POINTS", 100)
    frame = pd.DataFrame({"a": np.arange(150.0), "b": np.arange(150.0) ** 0.5})
    view = shown_view(frame, algorithm="pca")
    with pytest.raises(ValueError, match="at most 100 points, and 150 are shown"):
        view.to_svg()
    view.filter = "a < 80"
    assert view.to_svg().count("<circle") == 80
    view.close()


def test_a_subsets_page_hides_the_other_rows_and_keeps_every_row_aligned() -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"emb": list(rng.normal(size=(300, 6)).astype(np.float32))})
    frame["kind"] = [f"k{i % 3}" for i in range(300)]
    frame["score"] = np.where(np.arange(300) == 7, np.inf, np.arange(300.0))
    view = shown_view(frame, algorithm="pca", embedding=["emb"], subset=np.arange(100, 200))
    view.search = "k1"
    snapshot = saved_data(view.to_html())["snapshot"]
    state = snapshot["state"]
    assert state["_layout"]["n"] == 300 and len(state["_layout"]["coords16"]) == 300 * 4
    hidden = np.frombuffer(state["_filter"]["hidden"], dtype=np.uint8).astype(bool)
    np.testing.assert_array_equal(np.flatnonzero(~hidden), np.arange(100, 200))
    assert state["search"] == "k1" and state["_search"] == {}  # the page searches again
    scores = {c["name"]: c for c in snapshot["rows"]}["score"]["values"]
    assert np.isinf(np.frombuffer(scores, dtype=np.float32)[7])
    assert state["_clusters"]["seq"] == state["_layout"]["seq"]
    view.close()


def test_a_page_saved_while_a_new_projection_runs_shows_the_finished_one() -> None:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"emb": list(rng.normal(size=(400, 6)).astype(np.float32))})
    view = shown_view(frame, algorithm="pca")
    before = saved_data(view.to_html())["snapshot"]["state"]
    view.status = {**view.status, "state": "running", "seq": 99}  # as if a new request ran
    view._layout = {**view._layout, "final": False, "seq": 99}
    state = saved_data(_page_now(view))["snapshot"]["state"]
    assert state["status"]["state"] == "done" and state["_layout"]["final"] is True
    assert state["_layout"]["seq"] == before["_layout"]["seq"]
    view.close()


def _page_now(view) -> str:  # type: ignore[no-untyped-def]
    from embed_widget.widget.share import to_html

    return to_html(view, wait=False)
