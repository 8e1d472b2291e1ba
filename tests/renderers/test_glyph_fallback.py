"""The glyph cache survives a matplotlib upgrade: every private name it uses is checked at
import, and a failure at run time falls back to stock matplotlib drawing."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import matplotlib.ft2font
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from bot.demo.sample import sample_map
from renderers import glyphs
from renderers.content import build
from renderers.draw import draw
from renderers.layout import layout_prepared, prepare


class _OldFT2Font:
    """An FT2Font of a matplotlib that renamed its private entry points."""

    def _layout(self) -> None: ...


def test_every_private_name_used_is_checked() -> None:
    source = Path(glyphs.__file__).read_text(encoding="utf-8")
    own = {"_metrics", "_pairs", "_bitmaps", "_run", "_shaped", "_pair", "_draw_cached"}
    # matplotlib's private attributes reached through an object: font._x, self._x
    used = set(re.findall(r"(?:font|self)\.(_[a-zA-Z]\w*)", source)) - own
    assert used - {"_renderer"} <= {name for _, name in glyphs.PRIVATE}, used
    assert "_lastKey" in {name for _, name in glyphs.PRIVATE}


def test_a_missing_private_name_turns_the_cache_off_at_import(monkeypatch) -> None:
    monkeypatch.setattr(matplotlib.ft2font, "FT2Font", _OldFT2Font)
    try:
        module = importlib.reload(glyphs)  # imports the old FT2Font
        monkeypatch.undo()  # the rest of matplotlib keeps the real one
        assert "FT2Font._render_glyph" in module.missing()
        assert module.SUPPORTED is False and not module.available()
        fig = draw(layout_prepared(prepare(build(sample_map(1), "en"))), 40)
        canvas = module.GlyphCanvas(fig)
        assert type(canvas.get_renderer()) is not module.GlyphRenderer  # stock Agg
    finally:
        monkeypatch.undo()
        importlib.reload(glyphs)
    assert (glyphs.missing() == []) is glyphs.SUPPORTED


def _pixels(canvas_class) -> np.ndarray:
    lay = layout_prepared(prepare(build(sample_map(2), "ru")))
    canvas = canvas_class(draw(lay, 60))
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].astype(int)


@pytest.mark.skipif(not glyphs.SUPPORTED, reason="the cache is off on this matplotlib anyway")
def test_a_private_call_failing_at_run_time_falls_back_to_stock_drawing(monkeypatch) -> None:
    def renamed(self, glyph, phase):  # noqa: ANN001
        raise AttributeError("'FT2Font' object has no attribute '_render_glyph'")

    monkeypatch.setattr(glyphs.Face, "bitmap", renamed)
    monkeypatch.setattr(glyphs, "_failed", [])
    glyphs._faces.clear()
    glyphs._by_prop.clear()
    ours = _pixels(glyphs.GlyphCanvas)
    assert glyphs._failed and not glyphs.available()
    stock = _pixels(FigureCanvasAgg)
    assert ours.shape == stock.shape
    diff = np.abs(stock - ours).max(axis=2)
    assert (diff > 96).mean() < 0.002  # the text is there, drawn by matplotlib
    assert (ours.min(axis=2) < 80).mean() > 0.005  # dark ink: text was drawn
