"""Text for the Agg PNG without re-rasterising every glyph of every line.

Matplotlib (3.11) shapes each line with HarfBuzz and renders each glyph with FreeType
anew: on a big map that is most of the render time, far more than the pixels. This
renderer draws the same glyphs of the same font files with the same hinting, placed where
HarfBuzz places them (hinted advances plus pair kerning; ligatures shaped by matplotlib's
own shaper), but rasterises each (glyph, size, quarter-pixel phase) once and composes a
line from the cached bitmaps, drawn in one call. Baselines snap to whole pixels (as
matplotlib did before 3.11), which keeps hinted horizontal stems crisp.

Anything else — math text, rotated text, a character the font lacks — goes to
matplotlib's own ``RendererAgg``. The private matplotlib names this relies on
(:data:`PRIVATE`) are checked at import; when one is missing, or a call to one fails at
run time (a matplotlib upgrade that changed them), drawing falls back to stock
matplotlib for the rest of the process, with one warning in the log.
"""

from __future__ import annotations

import logging
import math
import threading
from typing import Any

import numpy as np
from matplotlib import ft2font as _ft2font
from matplotlib.backends import backend_agg
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font

RenderMode: Any = getattr(_ft2font, "RenderMode", None)  # matplotlib >= 3.10
_log = logging.getLogger(__name__)

PHASES = 4  # horizontal sub-pixel positions per pixel (error at most 1/8 px)
# every private (or version-dependent) matplotlib name used here: (owner, attribute)
PRIVATE: tuple[tuple[str, str], ...] = (
    ("ft2font", "RenderMode"),
    ("FT2Font", "_layout"),
    ("FT2Font", "_render_glyph"),
    ("FT2Font", "_set_transform"),
    ("FigureCanvasAgg", "_lastKey"),
    ("backend_agg", "get_hinting_flag"),
    ("RendererAgg", "draw_text"),
    ("RendererAgg", "get_text_width_height_descent"),
)


def _owners() -> dict[str, Any]:
    return {
        "ft2font": _ft2font,
        "FT2Font": FT2Font,
        "FigureCanvasAgg": FigureCanvasAgg,
        "backend_agg": backend_agg,
        "RendererAgg": RendererAgg,
    }


def missing() -> list[str]:
    """The private names this matplotlib lacks (``[]``: the glyph cache can run)."""
    owners = _owners()
    names = [f"{owner}.{name}" for owner, name in PRIVATE if not hasattr(owners[owner], name)]
    if not names and not hasattr(RenderMode, "NORMAL"):
        names.append("ft2font.RenderMode.NORMAL")
    return names


SUPPORTED = not missing()
_failed: list[str] = []  # what failed at run time; once set, stock drawing for good


def available() -> bool:
    return SUPPORTED and not _failed


def _give_up(error: Exception) -> None:
    if not _failed:
        _log.warning("glyph cache off, stock matplotlib text drawing: %r", error)
    _failed.append(repr(error))


def get_hinting_flag() -> Any:
    return backend_agg.get_hinting_flag()


_IDENTITY = np.array([[0x10000, 0], [0, 0x10000]])

Run = list[tuple[int, float]]  # (glyph index, pen x in pixels) per glyph of a line


class Face:
    """One font file at one size and dpi, with its glyph metrics, kerning and bitmaps."""

    def __init__(self, path: str, index: int, size: float, dpi: float) -> None:
        # Any: the private FT2Font methods used here are not in matplotlib's stubs
        self.font: Any = FT2Font(path, face_index=index)
        self.font.set_size(size, dpi)
        self.flags = get_hinting_flag()
        self.charmap: dict[int, Any] = self.font.get_charmap()
        self._metrics: dict[int, tuple[float, float, float, float, float]] = {}
        self._pairs: dict[str, float | None] = {}
        self._bitmaps: dict[tuple[int, int], tuple[np.ndarray, int, int]] = {}

    def metrics(self, glyph: int) -> tuple[float, float, float, float, float]:
        """(hinted advance, xmin, ymin, xmax, ymax) in pixels, y up from the baseline."""
        found = self._metrics.get(glyph)
        if found is None:
            self.font._set_transform(_IDENTITY, [0, 0])
            g = self.font.load_glyph(glyph, flags=self.flags)
            x0, y0, x1, y1 = g.bbox
            found = (g.horiAdvance / 64, x0 / 64, y0 / 64, x1 / 64, y1 / 64)
            self._metrics[glyph] = found
        return found

    def _pair(self, pair: str) -> float | None:
        """Kerning of two characters as HarfBuzz shapes them; None when shaping does more
        than kern them (a ligature, a substituted glyph)."""
        if pair not in self._pairs:
            self.font._set_transform(_IDENTITY, [0, 0])
            items = self.font._layout(pair, flags=self.flags)
            plain = len(items) == 2 and all(
                it.glyph_index == self.charmap.get(ord(c)) and it.y == 0
                for it, c in zip(items, pair, strict=True)
            )
            kern = items[1].x - self.metrics(items[0].glyph_index)[0] if plain else None
            self._pairs[pair] = kern
        return self._pairs[pair]

    def run(self, text: str) -> Run | None:
        """Where each glyph of a line goes, or None when this font lacks a character."""
        charmap = self.charmap
        try:
            glyphs = [charmap[ord(c)] for c in text]
        except KeyError:
            return None
        out: Run = []
        pen = 0.0
        for i, glyph in enumerate(glyphs):
            if i:
                kern = self._pair(text[i - 1 : i + 1])
                if kern is None:
                    return self._shaped(text)
                pen += self.metrics(glyphs[i - 1])[0] + kern
            out.append((glyph, pen))
        return out

    def _shaped(self, text: str) -> Run | None:
        self.font._set_transform(_IDENTITY, [0, 0])
        items = self.font._layout(text, flags=self.flags)
        if any(it.ft_object is not self.font or it.y for it in items):
            return None
        return [(it.glyph_index, it.x) for it in items]

    def extent(self, run: Run) -> tuple[float, float, float]:
        """Advance width, ink height and ink descent, as ``FT2Font.set_text`` reports."""
        if not run:
            return 0.0, 0.0, 0.0
        bottom, top = math.inf, -math.inf
        for glyph, _ in run:
            _, _, y0, _, y1 = self.metrics(glyph)
            bottom, top = min(bottom, y0), max(top, y1)
        last, pen = run[-1]
        return pen + self.metrics(last)[0], top - bottom, -bottom

    def bitmap(self, glyph: int, phase: int) -> tuple[np.ndarray, int, int]:
        """The glyph's coverage, its left column and top row (up) from the pen's pixel."""
        key = (glyph, phase)
        found = self._bitmaps.get(key)
        if found is None:
            self.font._set_transform(_IDENTITY, [round(0x40 * phase / PHASES), 0])
            bm = self.font._render_glyph(glyph, self.flags, RenderMode.NORMAL)
            found = (np.array(bm.buffer, dtype=np.uint8), bm.left, bm.top)
            self._bitmaps[key] = found
        return found


_faces: dict[tuple[Any, ...], Face] = {}
_by_prop: dict[tuple[Any, ...], Face] = {}


def face(prop: FontProperties, dpi: float) -> Face:
    key = (prop, dpi, threading.get_ident())
    found = _by_prop.get(key)  # findfont itself is cached, but dear to call per line
    if found is None:
        if len(_faces) > 64:  # a long-lived worker renders many dpis; keep it bounded
            _faces.clear()
            _by_prop.clear()
        font = findfont(prop)
        path, index = getattr(font, "path", font), getattr(font, "face_index", 0)
        size = prop.get_size_in_points()
        face_key = (path, index, size, dpi, key[2])
        if face_key not in _faces:
            _faces[face_key] = Face(path, index, size, dpi)
        found = _by_prop[key] = _faces[face_key]
    return found


class GlyphRenderer(RendererAgg):
    """``RendererAgg`` with cached glyphs for plain horizontal text."""

    def _run(self, s: str, prop: FontProperties) -> tuple[Face, Run] | None:
        f = face(prop, self.dpi)
        run = f.run(s)
        return None if run is None else (f, run)

    def get_text_width_height_descent(self, s, prop, ismath):  # noqa: ANN001, ANN201
        if available() and ismath is False:
            try:
                found = self._run(s, prop)
                if found is not None:
                    return found[0].extent(found[1])
            except (AttributeError, TypeError, ValueError) as error:  # matplotlib changed
                _give_up(error)
        return super().get_text_width_height_descent(s, prop, ismath)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # noqa: ANN001, ANN201
        special = mtext is not None and (
            getattr(mtext, "get_fontfeatures", lambda: None)()
            or getattr(mtext, "get_language", lambda: None)()
        )
        if available() and not (ismath or angle % 360 or special) and gc.get_antialiased():
            try:
                if self._draw_cached(gc, x, y, s, prop):
                    return None
            except (AttributeError, TypeError, ValueError) as error:  # matplotlib changed
                _give_up(error)
        return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    def _draw_cached(self, gc, x, y, s, prop) -> bool:  # noqa: ANN001
        """Draw ``s`` from cached glyph bitmaps; False when it needs matplotlib's own."""
        found = self._run(s, prop)
        if found is None:
            return False
        f, run = found
        base = math.floor(y + 0.5)  # y is the baseline, in pixels down from the top
        pieces = []
        for glyph, pen in run:
            column = math.floor(x + pen)
            phase = round((x + pen - column) * PHASES)
            if phase == PHASES:
                column, phase = column + 1, 0
            buf, left, top = f.bitmap(glyph, phase)
            if buf.size:
                pieces.append((buf, column + left, base - top))
        if not pieces:
            return True
        c0 = min(c for _, c, _ in pieces)
        r0 = min(r for _, _, r in pieces)
        c1 = max(c + b.shape[1] for b, c, _ in pieces)
        r1 = max(r + b.shape[0] for b, _, r in pieces)
        line = np.zeros((r1 - r0, c1 - c0), np.uint8)
        for buf, c, r in pieces:
            h, w = buf.shape
            view = line[r - r0 : r - r0 + h, c - c0 : c - c0 + w]
            np.maximum(view, buf, out=view)
        self._renderer.draw_text_image(line, c0, r1, 0, gc)
        return True


class GlyphCanvas(FigureCanvasAgg):
    """``FigureCanvasAgg`` drawing with a :class:`GlyphRenderer` (when matplotlib has the
    FreeType entry points it needs; otherwise it is the plain Agg canvas)."""

    _lastKey: Any  # FigureCanvasAgg's cache key of its renderer (size and dpi)

    def get_renderer(self) -> RendererAgg:
        if not available():
            return super().get_renderer()
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = GlyphRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
