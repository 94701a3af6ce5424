"""The picture as SVG, for publications: one circle per visible point in its colour, the legend
(categories with their swatches, or the colorbar's ends) and a caption. Up to ``MAX_POINTS``
points: above that a vector file is heavier than useful (the PNG or HTML export serve better).
All text from the data is escaped.
"""

from __future__ import annotations

import math
import re
from typing import Any
from xml.sax.saxutils import escape as escape_xml
from xml.sax.saxutils import quoteattr

import numpy as np

from .encodings import DEFAULT_POINT, OTHER_COLOR

#: Characters XML 1.0 cannot hold (a name with one would make the file unreadable).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """``text`` as XML character data."""
    return escape_xml(_NOT_XML.sub("", text))


#: The most points an SVG holds.
MAX_POINTS = 50_000
#: The plot's side, in SVG units (px), and the room beside it for the legend.
SIDE = 600
LEGEND_WIDTH = 220
MARGIN = 12


def point_radius(n: int) -> float:
    """As the widget sizes points (``js/plot/layout.ts`` ``pointSize``, a diameter)."""
    diameter = 8.0 if n <= 1 else min(8.0, max(1.5, 8 - 1.6 * math.log10(n / 100)))
    return diameter / 2


def svg_document(xy: np.ndarray, visible: np.ndarray, colors: dict[str, Any], caption: str) -> str:
    """The SVG text of layout ``xy`` (N x 2) with the colour encoding ``colors`` (the view's
    ``_colors``); only rows where ``visible`` holds are drawn."""
    shown = np.flatnonzero(visible & np.isfinite(xy).all(axis=1))
    if len(shown) > MAX_POINTS:
        raise ValueError(
            f"SVG export draws at most {MAX_POINTS:,} points, and {len(shown):,} are shown; "
            "filter or hide some, or save a PNG or an HTML page instead"
        )
    fill = point_fills(colors, len(xy))
    px = _fit(xy[shown])
    radius = point_radius(len(shown))
    parts = [_header(caption)]
    for color in dict.fromkeys(fill[shown]):  # one group per colour, in first-seen order
        mine = fill[shown] == color
        circles = "".join(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.2g}"/>' for x, y in px[mine]
        )
        parts.append(f'<g fill="{color}" fill-opacity="0.9">{circles}</g>')
    parts.append(_legend(colors))
    parts.append("</svg>\n")
    return "".join(parts)


def point_fills(colors: dict[str, Any], n: int) -> np.ndarray:
    """Each row's colour as "#rrggbb" (categorical: its palette entry; continuous: the colormap
    at its position, missing in grey; none: the single colour)."""
    kind = colors.get("kind")
    if kind == "categorical":
        palette = np.array(colors["palette"], dtype=object)
        codes = np.frombuffer(colors["codes"], dtype=np.uint8)
        return np.asarray(palette[codes], dtype=object)
    if kind == "continuous":
        positions = np.frombuffer(colors["positions"], dtype=np.float32)
        return _colormap(colors["colormap"], positions)
    return np.full(n, colors.get("color") or DEFAULT_POINT, dtype=object)


def _colormap(stops: list[str], positions: np.ndarray) -> np.ndarray:
    rgb = np.array([[int(s[i : i + 2], 16) for i in (1, 3, 5)] for s in stops], dtype=float)
    at = np.clip(np.nan_to_num(positions, nan=0.0), 0, 1) * (len(stops) - 1)
    low = np.minimum(at.astype(int), len(stops) - 2)
    mixed = rgb[low] + (rgb[low + 1] - rgb[low]) * (at - low)[:, None]
    hexes = np.array([f"#{r:02x}{g:02x}{b:02x}" for r, g, b in np.rint(mixed).astype(int)])
    return np.where(np.isnan(positions), OTHER_COLOR, hexes).astype(object)


def _fit(xy: np.ndarray) -> np.ndarray:
    """Into the plot square with a margin, keeping the aspect ratio, y up."""
    if not len(xy):
        return xy
    low, high = xy.min(axis=0), xy.max(axis=0)
    span = float((high - low).max()) or 1.0
    inner = SIDE - 2 * MARGIN
    centre = (low + high) / 2
    out = (xy - centre) / span * inner
    return np.column_stack([SIDE / 2 + out[:, 0], SIDE / 2 - out[:, 1]])


def _header(caption: str) -> str:
    width, height = SIDE + LEGEND_WIDTH, SIDE + 28
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
        f'<text x="{MARGIN}" y="{SIDE + 18}" fill="#5f6b7a">{escape(caption)}</text>'
    )


def _legend(colors: dict[str, Any]) -> str:
    x, parts = SIDE + MARGIN, []
    column = colors.get("column")
    if column:
        parts.append(f'<text x="{x}" y="24" font-weight="bold">{escape(str(column))}</text>')
    if colors.get("kind") == "categorical":
        for i, (label, color) in enumerate(
            zip(colors["categories"], colors["palette"], strict=False)
        ):
            y = 44 + 18 * i
            parts.append(f'<circle cx="{x + 5}" cy="{y - 4}" r="5" fill={quoteattr(color)}/>')
            parts.append(f'<text x="{x + 16}" y="{y}">{escape(str(label))}</text>')
    elif colors.get("kind") == "continuous":
        stops = colors["colormap"]
        offsets = "".join(
            f'<stop offset="{i / (len(stops) - 1):.3f}" stop-color={quoteattr(c)}/>'
            for i, c in enumerate(stops)
        )
        parts.append(f'<defs><linearGradient id="ew-colormap">{offsets}</linearGradient></defs>')
        parts.append(f'<rect x="{x}" y="34" width="160" height="10" fill="url(#ew-colormap)"/>')
        low, high, scale = colors["min"], colors["max"], colors.get("scale")
        parts.append(f'<text x="{x}" y="60">{escape(f"{low:.4g}")}</text>')
        parts.append(f'<text x="{x + 160}" y="60" text-anchor="end">{escape(f"{high:.4g}")}</text>')
        parts.append(f'<text x="{x}" y="76" fill="#5f6b7a">{escape(str(scale))} scale</text>')
    return "".join(parts)


#: Parameters named in the caption (as the PNG's caption names them).
KEY_PARAMS = ("x_component", "y_component", "n_neighbors", "min_dist", "metric", "perplexity")
NAMES = {"pca": "PCA", "umap": "UMAP", "tsne": "t-SNE"}


def caption(status: dict[str, Any], points: int) -> str:
    """ "UMAP · n_neighbors 15 · min_dist 0.1 · 1,797 points" from a finished status."""
    algorithm = str(status.get("algorithm") or "")
    params = status.get("params") or {}
    named = [f"{k} {params[k]}" for k in KEY_PARAMS if params.get(k) is not None]
    return " · ".join([NAMES.get(algorithm, algorithm), *named, f"{points:,} points"])
