"""``Image``: a table cell holding pixels, encoded once to a small PNG thumbnail."""

from __future__ import annotations

import base64
import io
import os
from typing import Any

import numpy as np
import PIL.Image

#: Longest side of a thumbnail, in pixels.
MAX_SIDE = 256
#: Images smaller than this on their long side are upscaled by a whole factor (nearest neighbour),
#: so an 8x8 digit becomes a crisp 128x128 thumbnail instead of a blur.
MIN_SIDE = 128

_ACCEPTED = (
    "a numpy array (H x W grey, H x W x 3 RGB or H x W x 4 RGBA; uint8, or float in [0, 1]), "
    "a PIL image, or a path to a PNG/JPEG file"
)


class Image:
    """An image cell, kept as a PNG thumbnail (at most 256 px on its long side).

    Parameters
    ----------
    data
        A numpy array (``H x W`` grey, ``H x W x 3`` RGB or ``H x W x 4`` RGBA; ``uint8`` in
        [0, 255] or float in [0, 1]), a ``PIL.Image.Image``, or a path to a PNG/JPEG file.
        Object arrays of numbers (e.g. ``df.iloc[i, 1:].values``) are accepted.
    caption
        Optional text shown with the image.

    Attributes
    ----------
    caption : str or None
    width, height : int
        Size of the thumbnail in pixels.
    png : bytes
        The thumbnail, PNG-encoded. Images smaller than 128 px are upscaled with
        nearest-neighbour by a whole factor (8x8 -> 128x128) so they stay crisp.
    """

    __slots__ = ("caption", "height", "png", "width")

    caption: str | None
    width: int
    height: int
    png: bytes

    def __init__(self, data: Any, caption: str | None = None) -> None:
        if caption is not None and not isinstance(caption, str):
            raise TypeError(f"Image: caption must be a str or None, got {type(caption).__name__}")
        thumb = _thumbnail(_to_pil(data))
        buf = io.BytesIO()
        thumb.save(buf, format="PNG")
        self.caption = caption
        self.width, self.height = thumb.size
        self.png = buf.getvalue()

    def to_data_url(self) -> str:
        """The thumbnail as a ``data:image/png;base64,...`` URL."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        cap = f", caption={self.caption!r}" if self.caption is not None else ""
        return f"Image({self.width}x{self.height}{cap})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Image):
            return NotImplemented
        return self.png == other.png and self.caption == other.caption

    def __hash__(self) -> int:
        return hash((self.png, self.caption))


def _to_pil(data: Any) -> PIL.Image.Image:
    """Any accepted input -> a PIL image in mode L, RGB or RGBA."""
    if isinstance(data, Image):
        return PIL.Image.open(io.BytesIO(data.png))
    if isinstance(data, PIL.Image.Image):
        return _normalise_mode(data)
    if isinstance(data, (str, os.PathLike)):
        try:
            with PIL.Image.open(data) as img:
                img.load()
                return _normalise_mode(img)
        except FileNotFoundError:
            raise
        except (OSError, ValueError) as exc:
            raise ValueError(f"Image: cannot read {str(data)!r} as an image ({exc})") from exc
    if isinstance(data, (np.ndarray, list, tuple)):
        return PIL.Image.fromarray(_to_uint8(np.asarray(data)))
    raise TypeError(f"Image: unsupported input {type(data).__name__}; accepted: {_ACCEPTED}")


def _normalise_mode(img: PIL.Image.Image) -> PIL.Image.Image:
    if img.mode in ("L", "RGB", "RGBA"):
        return img
    has_alpha = img.mode in ("LA", "PA", "La") or "transparency" in img.info
    return img.convert("RGBA" if has_alpha else "RGB")


def _to_uint8(arr: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.uint8]]:
    shape = arr.shape
    if arr.ndim == 3 and shape[2] == 1:
        arr = arr[:, :, 0]
    if not (arr.ndim == 2 or (arr.ndim == 3 and arr.shape[2] in (3, 4))) or 0 in arr.shape:
        raise ValueError(
            f"Image: unsupported array shape {shape}; accepted: H x W grey, "
            "H x W x 3 RGB or H x W x 4 RGBA (a flat vector must be reshaped first)"
        )
    if arr.dtype == object:
        # e.g. df.iloc[i, 1:].values: a row that mixed str and numbers is an object array
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"Image: array cells must be numbers ({exc})") from exc
    if arr.dtype == np.uint8:
        return np.ascontiguousarray(arr)
    if arr.dtype.kind == "b":
        return arr.astype(np.uint8) * np.uint8(255)
    if arr.dtype.kind in "iu":
        lo, hi = int(arr.min()), int(arr.max())
        if lo < 0 or hi > 255:
            raise ValueError(
                f"Image: integer pixels must be in [0, 255], got [{lo}, {hi}]; "
                "accepted: uint8 in [0, 255] or float in [0, 1]"
            )
        return arr.astype(np.uint8)
    if arr.dtype.kind == "f":
        if not np.isfinite(arr).all():
            raise ValueError("Image: float pixels contain NaN or inf; accepted: float in [0, 1]")
        lo_f, hi_f = float(arr.min()), float(arr.max())
        if lo_f < 0.0 or hi_f > 1.0:
            raise ValueError(
                f"Image: float pixels must be in [0, 1], got [{lo_f:g}, {hi_f:g}]; "
                "divide by the maximum (e.g. / 16.0 for the digits, / 255 for 8-bit data)"
            )
        return np.round(arr * 255.0).astype(np.uint8)
    raise TypeError(f"Image: unsupported array dtype {arr.dtype}; accepted: {_ACCEPTED}")


def _thumbnail(img: PIL.Image.Image) -> PIL.Image.Image:
    w, h = img.size
    long_side = max(w, h)
    if long_side > MAX_SIDE:
        scale = MAX_SIDE / long_side
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        return img.resize(size, PIL.Image.Resampling.LANCZOS)
    if long_side < MIN_SIDE:
        factor = MIN_SIDE // long_side
        return img.resize((w * factor, h * factor), PIL.Image.Resampling.NEAREST)
    return img
