"""Colour encodings for the scatter: category codes or continuous values, as bytes, with the
palette that draws them (the frontend restates no colour rule)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

import numpy as np

from .protocol import CategoricalColors, Colors, ColumnInfo, ContinuousColors, NoColors, Role, Scale

if TYPE_CHECKING:
    from ..data import Table

#: 48 colours far apart in perception: colorcet's glasbey_category10 (CC-BY 4.0; Category10
#: first, then colours chosen for maximal CIELAB distance), without its near-white and near-black
#: ones. Any two of the first 40 differ by a CIE76 delta E of at least 18.9 (Tableau 20: 4.0).
CATEGORICAL = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#004301", "#bcbcff", "#d8afa2", "#b80080", "#004e53", "#6b6500",
    "#7d0200", "#6126ff", "#574964", "#8cb894", "#028268", "#8300a0", "#ad8944", "#5b3400",
    "#ffc0f3", "#ff6f76", "#798cff", "#dd00ff", "#515646", "#00458a", "#ffbf60", "#ff018d",
    "#bec9cf", "#af98b5", "#b75700", "#027000", "#cd88ff", "#1dd646", "#7a98b5", "#a56089",
    "#6f8957", "#bd7d76", "#8b2945", "#00adff", "#8fd4ff", "#4b6d77", "#00d4b1", "#9300f3",
]  # fmt: skip
#: Viridis at 9 stops; the frontend interpolates between them.
VIRIDIS = [
    "#440154", "#472c7a", "#3b518b", "#2c718e", "#21908d", "#27ad81", "#5cc863", "#aadc32",
    "#fde725",
]  # fmt: skip
#: Colour of the points when no column colours them.
DEFAULT_POINT = "#1f77b4"
#: Categories with a colour of their own; above this many, the rarest share "(other)".
MAX_CATEGORIES = 40
OTHER_LABEL = "(other)"
OTHER_COLOR = "#b0b0b0"
#: "(other)" lists at most this many of its members (on hover in the legend).
MAX_OTHER_LISTED = 200
#: What each kind of column can be used for.
ROLES: dict[str, list[Role]] = {
    "embedding": ["embedding"],
    "numeric": ["embedding", "color", "label"],
    "categorical": ["color", "label"],
    "text": ["label"],  # mostly unique strings: a legend of them would mean nothing
    "image": ["image"],
}


def column_infos(kinds: Mapping[str, str]) -> list[ColumnInfo]:
    """The ``_columns`` trait: each column with its kind and roles."""
    return [{"name": n, "kind": k, "roles": list(ROLES.get(k, []))} for n, k in kinds.items()]


def color_encoding(table: Table, column: str | None, scale: str = "auto") -> Colors:
    """Encode ``column`` for colouring: the ``_colors`` trait's value.

    Categorical columns become uint8 codes with their labels and counts (at most
    ``MAX_CATEGORIES``, the most frequent kept, the rest lumped into "(other)"); numeric columns
    become positions in [0, 1] on the colormap (NaN: missing) by ``scale`` ("linear", "log",
    "quantile" or "auto": log or quantile for strongly skewed values), with labelled ticks.
    """
    if column is None:
        return no_colors()
    kinds = table.column_kinds
    if column not in kinds:
        raise ValueError(f"color_by: no column {column!r}; columns are {list(kinds)}")
    kind = kinds[column]
    if "color" not in ROLES.get(kind, []):
        colorable = [name for name, k in kinds.items() if "color" in ROLES.get(k, [])]
        raise ValueError(
            f"color_by: column {column!r} holds {kind} cells, which cannot colour points; "
            f"choose one of {colorable} or None"
        )
    if kind == "numeric":
        return continuous_colors(column, table.numeric_values(column), scale)
    codes, labels, counts = table.category_codes(column)
    return categorical_colors(column, np.asarray(codes), list(labels), list(counts))


class LastEncoding:
    """The last colour encoding made, reused while the table, column and scale stay the same."""

    def __init__(self) -> None:
        self._last: tuple[tuple[int, str | None, str], Colors] | None = None

    def encode(self, table: Table, column: str | None, scale: str = "auto") -> Colors:
        key = (table.version, column, scale)
        if self._last is None or self._last[0] != key:
            self._last = (key, color_encoding(table, column, scale))
        return self._last[1]


def no_colors() -> NoColors:
    return {"kind": "none", "column": None, "color": DEFAULT_POINT}


def continuous_colors(column: str, values: np.ndarray, scale: str) -> ContinuousColors:
    """Positions of ``values`` on the colormap by ``scale``, with the colorbar's ticks."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.sort(values[np.isfinite(values)])
    low = float(finite[0]) if finite.size else 0.0
    high = float(finite[-1]) if finite.size else 1.0
    chosen = cast(Scale, auto_scale(finite) if scale == "auto" else scale)
    positions, ticks = SCALES[chosen](values, finite)
    return {
        "kind": "continuous",
        "column": column,
        "positions": np.ascontiguousarray(positions, dtype=np.float32).tobytes(),
        "min": low,
        "max": high,
        "scale": chosen,
        "scales": [c for c in COLOR_SCALES if c != "log" or low > 0],
        "ticks": ticks,
        "colormap": list(VIRIDIS),
    }


def categorical_colors(
    column: str, codes: np.ndarray, labels: list[str], counts: list[int]
) -> CategoricalColors:
    """Category ``codes`` (indices into ``labels``) with their palette; above
    ``MAX_CATEGORIES`` the rarest share "(other)"."""
    other: list[str] = []
    if len(labels) > MAX_CATEGORIES:
        codes, labels, counts, other = _lump_rare(codes, labels, counts)
    palette = CATEGORICAL[: len(labels)]
    if other:
        palette[-1] = OTHER_COLOR
    return {
        "kind": "categorical",
        "column": column,
        "codes": np.ascontiguousarray(codes, dtype=np.uint8).tobytes(),
        "categories": labels,
        "counts": [int(c) for c in counts],
        "palette": palette,
        "other": other[:MAX_OTHER_LISTED],
        "other_count": len(other),
    }


def _lump_rare(
    codes: np.ndarray, labels: list[str], counts: list[int]
) -> tuple[np.ndarray, list[str], list[int], list[str]]:
    """Keep the MAX_CATEGORIES most frequent categories (in their order); the rest share one,
    whose members are returned last (most frequent first)."""
    order = np.argsort(-np.asarray(counts), kind="stable")
    keep = sorted(order[:MAX_CATEGORIES])
    remap = np.full(len(labels), len(keep), dtype=np.uint8)
    remap[keep] = np.arange(len(keep), dtype=np.uint8)
    new_codes = remap[codes]
    kept_counts = [int(counts[i]) for i in keep]
    other = int(sum(counts)) - sum(kept_counts)
    members = [labels[i] for i in order[MAX_CATEGORIES:]]
    return new_codes, [labels[i] for i in keep] + [OTHER_LABEL], [*kept_counts, other], members


#: Scales a numeric colour can take ("auto" picks one of the others).
COLOR_SCALES = ("auto", "linear", "log", "quantile")
#: Values are skewed when more than this share of them sits in one tenth of the linear range.
SKEWED_SHARE = 0.6

Ticks = list[tuple[float, str]]


def auto_scale(finite: np.ndarray) -> str:
    """ "linear", or for strongly skewed values (most of them in one end tenth of the range)
    "log" when all are positive, else "quantile". ``finite`` is sorted."""
    if finite.size < 3 or finite[-1] == finite[0]:
        return "linear"
    tenth = (finite[-1] - finite[0]) / 10
    low_share = np.searchsorted(finite, finite[0] + tenth, side="right") / finite.size
    high_share = 1 - np.searchsorted(finite, finite[-1] - tenth, side="left") / finite.size
    if max(low_share, high_share) <= SKEWED_SHARE:
        return "linear"
    return "log" if finite[0] > 0 else "quantile"


def _label(value: float) -> str:
    return f"{value:.4g}"


def _linear(values: np.ndarray, finite: np.ndarray) -> tuple[np.ndarray, Ticks]:
    low, high = (finite[0], finite[-1]) if finite.size else (0.0, 1.0)
    span = high - low if high > low else 1.0
    ticks = [(0.0, _label(low)), (0.5, _label((low + high) / 2)), (1.0, _label(high))]
    return np.clip((values - low) / span, 0, 1), ticks


def _log(values: np.ndarray, finite: np.ndarray) -> tuple[np.ndarray, Ticks]:
    if not finite.size or finite[0] <= 0:
        least = _label(finite[0]) if finite.size else "none"
        raise ValueError(f"a log colour scale needs positive values; the smallest is {least}")
    low, high = np.log10(finite[0]), np.log10(finite[-1])
    span = high - low if high > low else 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        positions = np.clip((np.log10(values) - low) / span, 0, 1)
    decades = [10.0**k for k in range(int(np.ceil(low)), int(np.floor(high)) + 1)]
    inner = [(float((np.log10(d) - low) / span), _label(d)) for d in decades]
    ends = [(0.0, _label(finite[0])), (1.0, _label(finite[-1]))]
    ticks = sorted({*ends, *(t for t in inner if 0.08 < t[0] < 0.92)})
    return positions, ticks


def _quantile(values: np.ndarray, finite: np.ndarray) -> tuple[np.ndarray, Ticks]:
    if not finite.size:
        return np.full(values.shape, np.nan), [(0.0, "none")]
    # each value's share of the values below it: ties share the middle of their run
    below = np.searchsorted(finite, values, side="left")
    upto = np.searchsorted(finite, values, side="right")
    positions = ((below + upto - 1) / 2) / max(1, finite.size - 1)
    positions[~np.isfinite(values)] = np.nan
    ticks = [(q, _label(float(np.quantile(finite, q)))) for q in (0.0, 0.25, 0.5, 0.75, 1.0)]
    return positions, ticks


SCALES = {"linear": _linear, "log": _log, "quantile": _quantile}
