"""Colour encodings (issue 10, items 3 and 4): a palette for 40 classes, and colour scales."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_widget import blobs

from embed_widget import InvalidSetting, Table
from embed_widget.widget.encodings import (
    CATEGORICAL,
    MAX_CATEGORIES,
    OTHER_COLOR,
    color_encoding,
)


def lab(color: str) -> np.ndarray:
    """CIELAB (D65) of a hex sRGB colour."""
    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    rgb = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ rgb / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_forty_classes_get_colours_far_apart() -> None:
    colours = np.array([lab(c) for c in CATEGORICAL[:MAX_CATEGORIES]])
    assert MAX_CATEGORIES >= 40 and len(set(CATEGORICAL)) == len(CATEGORICAL)
    distance = np.linalg.norm(colours[:, None] - colours[None], axis=2)
    np.fill_diagonal(distance, np.inf)
    assert distance.min() > 15  # the Tableau 20 palette had pairs at 4.0, 6.9 and 9.7
    assert colours[:, 0].min() >= 20 and colours[:, 0].max() <= 90  # visible on white and dark


def table_with_classes(n_classes: int, rows: int = 2000) -> Table:
    frame = blobs(rows)
    frame["group"] = [f"g{i % n_classes}" for i in range(rows)]
    return Table(dataframe=frame)


def test_twenty_two_classes_are_not_merged() -> None:
    colors = color_encoding(table_with_classes(22), "group")
    assert colors["kind"] == "categorical"
    assert len(colors["categories"]) == 22 and "(other)" not in colors["categories"]
    assert colors["other_count"] == 0 and colors["palette"] == CATEGORICAL[:22]


def test_beyond_forty_the_rarest_merge_into_other_and_are_named() -> None:
    frame = blobs(2000)
    frame["group"] = [f"g{i % 40}" for i in range(1990)] + [f"rare{i}" for i in range(10)]
    colors = color_encoding(Table(dataframe=frame), "group")
    assert colors["kind"] == "categorical"
    assert len(colors["categories"]) == 41 and colors["categories"][-1] == "(other)"
    assert colors["other_count"] == 10 and sorted(colors["other"]) == sorted(
        f"rare{i}" for i in range(10)
    )
    assert colors["palette"][-1] == OTHER_COLOR and colors["counts"][-1] == 10
    codes = np.frombuffer(colors["codes"], dtype=np.uint8)
    assert (codes[-10:] == 40).all() and (codes[:1990] < 40).all()


def lengths(n: int = 2131, seed: int = 0) -> np.ndarray:
    """Like the paragraph lengths users coloured by: 5 to ~5,000, median ~100."""
    return np.clip(np.random.default_rng(seed).lognormal(4.6, 1.0, n), 5, 5206).round()


def encode(values: np.ndarray, scale: str = "auto") -> dict:
    frame = pd.DataFrame({"a": np.arange(len(values), dtype=float), "value": values})
    colors = color_encoding(Table(dataframe=frame), "value", scale)
    assert colors["kind"] == "continuous"
    return dict(colors)


def positions(colors: dict) -> np.ndarray:
    return np.frombuffer(colors["positions"], dtype=np.float32)


def test_skewed_positive_values_get_a_log_scale() -> None:
    linear, auto = encode(lengths(), "linear"), encode(lengths())
    assert (positions(linear) < 0.1).mean() > 0.75  # most points in the colormap's first tenth
    assert auto["scale"] == "log" and auto["scales"] == ["auto", "linear", "log", "quantile"]
    assert (positions(auto) < 0.1).mean() < 0.1
    assert auto["ticks"][0] == (0.0, "5") and auto["ticks"][-1][0] == 1.0
    assert "100" in [label for _, label in auto["ticks"]]  # a decade between the ends


def test_skewed_values_with_negatives_get_quantiles() -> None:
    values = np.concatenate([-lengths(1000), [1e6]])
    auto = encode(values)
    assert auto["scale"] == "quantile" and "log" not in auto["scales"]
    spread = positions(auto)
    order = np.argsort(values)
    assert (np.diff(spread[order]) >= 0).all()  # monotone in the values
    assert np.histogram(spread, bins=10, range=(0, 1))[0].min() > 80  # equal shares
    assert [t for t, _ in auto["ticks"]] == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_even_values_stay_linear_and_missing_stay_missing() -> None:
    values = np.linspace(0, 10, 101)
    values[3] = np.nan
    auto = encode(values)
    assert auto["scale"] == "linear"
    assert np.isnan(positions(auto)[3])
    np.testing.assert_allclose(positions(auto)[[0, 50, 100]], [0, 0.5, 1], atol=1e-6)


def test_a_log_scale_of_negative_values_is_refused_from_python() -> None:
    frame = blobs(50)  # "a" holds negative values
    view = Table(dataframe=frame).view
    view.color_by = "a"
    with pytest.raises(InvalidSetting, match="log colour scale needs positive values"):
        view.color_scale = "log"
    assert view.color_scale == "auto" and view._colors["kind"] == "continuous"
    view.color_scale = "quantile"
    assert view._colors["scale"] == "quantile"
    view.close()
