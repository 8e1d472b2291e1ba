"""The PNG's own text renderer and writer draw what stock matplotlib draws."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontProperties, fontManager, get_font
from PIL import Image

from bot.demo.sample import sample_map
from renderers import glyphs
from renderers.content import build
from renderers.draw import draw
from renderers.image import full_dpi
from renderers.layout import layout_prepared, prepare
from renderers.png import write_png
from renderers.text import FAMILY

LINES = [
    "Клиент сравнивает тарифы «Здоровье» — чек-ап 2026",
    "Zażółć gęślą jaźń, AVA To Ty? Wały",
    "fi fl ffi office — ligatures",  # shaped by matplotlib's own shaper
    "",
    " ",
    "+3 ещё · −1.5 … ⚠",
]


@pytest.mark.skipif(not glyphs.SUPPORTED, reason="needs matplotlib's FreeType entry points")
@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize(("size", "dpi"), [(8.0, 104.3), (8.5, 200.0), (22.0, 144.0)])
def test_glyph_positions_and_metrics_match_matplotlib(bold: bool, size: float, dpi: float) -> None:
    prop = FontProperties(family=FAMILY, weight="bold" if bold else "normal", size=size)
    stock, ours = RendererAgg(10, 10, dpi), glyphs.GlyphRenderer(10, 10, dpi)
    font = get_font(fontManager._find_fonts_by_props(prop))
    for line in LINES:
        font.set_size(size, dpi)
        shaped = [(i.glyph_index, i.x) for i in font._layout(line, flags=get_hinting_flag())]
        assert glyphs.face(prop, dpi).run(line) == shaped, line
        expected = stock.get_text_width_height_descent(line, prop, False)
        assert ours.get_text_width_height_descent(line, prop, False) == expected, line


def _pixels(canvas_class: type[FigureCanvasAgg], n: int) -> np.ndarray:
    lay = layout_prepared(prepare(build(sample_map(n), "ru")))
    canvas = canvas_class(draw(lay, full_dpi(lay) / 2))
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].astype(int)


def test_the_map_looks_as_stock_matplotlib_draws_it() -> None:
    stock, ours = _pixels(FigureCanvasAgg, 3), _pixels(glyphs.GlyphCanvas, 3)
    assert stock.shape == ours.shape
    diff = np.abs(stock - ours).max(axis=2)
    # baselines snap to whole pixels and glyphs to quarter pixels: antialiased edges move
    assert (diff > 0).mean() < 0.08
    assert (diff > 96).mean() < 0.002


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (300, 200), (700, 7000)])
def test_png_writer_round_trips(tmp_path: Path, shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(5)
    rgba = np.full((*shape, 4), 255, np.uint8)
    rgba[..., :3] = rng.integers(0, 256, (*shape, 3), dtype=np.uint8) // 32 * 32
    path = write_png(rgba, tmp_path / "x.png", 144.0, {"Software": "cjm-workshop-bot"})
    with Image.open(path) as im:
        assert im.mode == "RGB" and im.size == (shape[1], shape[0])
        assert im.info["Software"] == "cjm-workshop-bot"
        assert round(im.info["dpi"][0]) == 144
        assert (np.asarray(im) == rgba[..., :3]).all()
