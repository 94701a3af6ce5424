"""Image: inputs, thumbnail size and crispness, PNG and data URL."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
import PIL.Image
import pytest

from embed_widget.data import Image


def decode(img: Image) -> np.ndarray:
    return np.asarray(PIL.Image.open(io.BytesIO(img.png)))


def test_seed_digit_object_array_upscaled_crisp() -> None:
    # the seed's call: row[1:].values is an object array when the row mixes str and numbers
    row = np.array(["3", *range(64)], dtype=object)
    img = Image(row[1:].reshape(8, 8) / 64.0)
    assert (img.width, img.height) == (128, 128)
    px = decode(img)
    assert px.shape == (128, 128)
    # nearest-neighbour: each source pixel is a flat 16x16 block, no blur between them
    assert np.all(px[:16, :16] == px[0, 0]) and px[0, 0] == 0
    assert px[0, 16] == round(1 / 64 * 255) and px[127, 127] == round(63 / 64 * 255)


@pytest.mark.parametrize(
    ("array", "mode"),
    [
        (np.zeros((20, 30), dtype=np.uint8), "L"),
        (np.ones((20, 30, 1)), "L"),
        (np.full((20, 30, 3), 0.5), "RGB"),
        (np.zeros((20, 30, 4), dtype=np.uint8), "RGBA"),
        (np.zeros((20, 30), dtype=bool), "L"),
        (np.zeros((20, 30), dtype=np.int64), "L"),
    ],
)
def test_array_inputs(array: np.ndarray, mode: str) -> None:
    img = Image(array, caption="c")
    pil = PIL.Image.open(io.BytesIO(img.png))
    assert pil.mode == mode
    assert (img.width, img.height) == (120, 80)  # upscaled x4: long side 30 -> 120
    assert img.caption == "c"


def test_large_image_downscaled_keeps_aspect() -> None:
    img = Image(np.zeros((600, 1200, 3), dtype=np.uint8))
    assert (img.width, img.height) == (256, 128)
    mid = Image(np.zeros((200, 150), dtype=np.uint8))
    assert (mid.width, mid.height) == (150, 200)  # between 128 and 256: left as is


def test_pil_and_path_inputs(tmp_path: Path) -> None:
    pil = PIL.Image.new("RGB", (300, 100), (255, 0, 0))
    assert (Image(pil).width, Image(pil).height) == (256, 85)
    png = tmp_path / "a.png"
    pil.save(png)
    jpg = tmp_path / "a.jpg"
    pil.save(jpg)
    for path in (png, str(jpg)):
        img = Image(path)
        assert (img.width, img.height) == (256, 85)
        assert tuple(decode(img)[40, 100][:3]) in ((255, 0, 0), (254, 0, 0))
    pal = PIL.Image.new("P", (10, 10))
    assert PIL.Image.open(io.BytesIO(Image(pal).png)).mode == "RGB"


def test_png_data_url_repr_and_equality() -> None:
    img = Image(np.eye(4), caption="eye")
    assert img.png.startswith(b"\x89PNG")
    assert img._repr_png_() == img.png
    url = img.to_data_url()
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == img.png
    assert img == Image(np.eye(4), caption="eye") and img != Image(np.eye(4))
    assert len({img, Image(np.eye(4), caption="eye")}) == 1
    assert repr(img) == "Image(128x128, caption='eye')"


def test_bad_inputs_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"shape \(64,\).*H x W grey"):
        Image(np.zeros(64))
    with pytest.raises(ValueError, match=r"shape \(2, 8, 8, 3\)"):
        Image(np.zeros((2, 8, 8, 3)))
    with pytest.raises(ValueError, match=r"float pixels must be in \[0, 1\], got \[0, 16\]"):
        Image(np.full((8, 8), 16.0) * np.eye(8))
    with pytest.raises(ValueError, match="NaN"):
        Image(np.full((8, 8), np.nan))
    with pytest.raises(ValueError, match=r"integer pixels must be in \[0, 255\]"):
        Image(np.full((8, 8), 300))
    with pytest.raises(TypeError, match="must be numbers"):
        Image(np.array([["a", "b"], ["c", "d"]], dtype=object))
    with pytest.raises(TypeError, match="unsupported input int"):
        Image(5)
    with pytest.raises(TypeError, match="caption"):
        Image(np.zeros((2, 2)), caption=3)  # type: ignore[arg-type]
    bad = tmp_path / "x.png"
    bad.write_text("not an image")
    with pytest.raises(ValueError, match="cannot read"):
        Image(bad)
    with pytest.raises(FileNotFoundError):
        Image(tmp_path / "missing.png")
