"""A large image is drawn in horizontal bands (renderers.image) and written band by band
(renderers.png.PngStream), so no canvas of the whole map is held: the picture is the one
drawn at once, and the PNG is every row once, in order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bot.demo.sample import sample_map
from renderers import image
from renderers.png import PngStream


def _pixels(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB")).astype(int)


@pytest.mark.parametrize(("stages", "lang"), [(9, "ru"), (4, "pl")])
def test_a_map_drawn_in_bands_is_the_map_drawn_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stages: int, lang: str
) -> None:
    jm = sample_map(stages, density=0.8)
    monkeypatch.setattr(image, "BANDED_ABOVE", float("inf"))
    whole = _pixels(image.render_png(jm, tmp_path / "whole.png", lang=lang))
    monkeypatch.setattr(image, "BANDED_ABOVE", 0.0)
    monkeypatch.setattr(image, "BAND_PIXELS", whole.shape[0] * whole.shape[1] / 7.5)
    bands = _pixels(image.render_png(jm, tmp_path / "bands.png", lang=lang))
    assert bands.shape == whole.shape
    diff = np.abs(bands - whole).max(axis=2)
    # antialiasing at a band's edge may differ by one level of 255; nothing more
    assert diff.max() <= 1
    assert (diff > 0).mean() < 1e-3


def test_the_stream_writes_every_row_once_in_order(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    rgba = rng.integers(0, 256, (301, 77, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    with PngStream(tmp_path / "s.png", 77, 301, 96.0, {"Software": "test"}) as png:
        for start in (0, 1, 130, 200):
            png.add(rgba[start : {0: 1, 1: 130, 130: 200, 200: 301}[start]])
    assert (_pixels(tmp_path / "s.png") == rgba[..., :3]).all()


def test_the_stream_refuses_what_does_not_fit_and_a_short_image(tmp_path: Path) -> None:
    rgba = np.full((10, 5, 4), 255, np.uint8)
    png = PngStream(tmp_path / "a.png", 5, 15, 72.0, {})
    with pytest.raises(ValueError, match="does not fit"):
        png.add(np.full((10, 6, 4), 255, np.uint8))
    png.add(rgba)
    with pytest.raises(ValueError, match="does not fit"):
        png.add(rgba)  # 20 rows of 15
    with pytest.raises(ValueError, match="10 of 15 rows"):
        png.close()
