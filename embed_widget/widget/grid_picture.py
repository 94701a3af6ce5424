"""The saved picture of a comparison: its views' pictures side by side, two a row, as the grid
shows them (each view's picture is the PNG export's figure of its final layout)."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from PIL import Image

from .picture import BLANK_PNG, MAX_PICTURE_BYTES

#: Views a row, and the gap between them (pixels), as the grid lays them out.
COLUMNS, GAP = 2, 8


def grid_picture(pictures: Sequence[bytes]) -> bytes | None:
    """One PNG of ``pictures`` (a blank cell for a view with none yet), or None when no view has
    a picture or the result is too large to keep."""
    images = [None if p == BLANK_PNG else _opened(p) for p in pictures]
    drawn = [image for image in images if image is not None]
    if not drawn:
        return None
    width = max(image.width for image in drawn)
    height = max(image.height for image in drawn)
    rows = math.ceil(len(images) / COLUMNS)
    background = drawn[0].getpixel((0, 0))  # (the figure's theme)
    size = (COLUMNS * width + (COLUMNS - 1) * GAP, rows * height + (rows - 1) * GAP)
    grid = Image.new("RGB", size, background)
    for index, image in enumerate(images):
        if image is not None:
            row, column = divmod(index, COLUMNS)
            grid.paste(image, (column * (width + GAP), row * (height + GAP)))
    out = io.BytesIO()
    grid.save(out, format="PNG", optimize=True)
    png = out.getvalue()
    return png if len(png) <= MAX_PICTURE_BYTES else None


def _opened(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")
