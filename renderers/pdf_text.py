"""Text for the PDF pages, each line shaped once per file.

Matplotlib's PDF renderer (3.11) shapes a line of text with HarfBuzz to measure it, shapes
it again to draw it, loads every glyph of it from FreeType while drawing (the PDF needs
only the glyph's index and position) and writes the same bytes anew for a line each page
repeats (the header, the persona card, the legend). :class:`PdfCanvas` draws with a
renderer that shapes each (line, font) once per file, measures it from per-glyph metrics
(the same unhinted numbers ``FT2Font.set_text`` reports), and writes the line's text
object (``BT … ET``: fonts, positions, glyph codes; its place on the page is set before
it) once and reuses its bytes. The file is the one stock matplotlib writes.

Math text, rotated text, font features, languages, links and the PDF core fonts go to
matplotlib's own ``RendererPdf``. The private matplotlib names this relies on
(:data:`PRIVATE`) are checked at import; when one is missing, or a call to one fails at
run time, drawing falls back to stock matplotlib for the rest of the process, with one
warning in the log.
"""

from __future__ import annotations

import itertools
import logging
import math
from dataclasses import dataclass, field
from typing import Any

import matplotlib as mpl
from matplotlib.backends import backend_pdf
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_pdf import FigureCanvasPdf, PdfPages, RendererPdf
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font, LoadFlags

_log = logging.getLogger(__name__)

# every private matplotlib name used here: (owner, attribute)
PRIVATE: tuple[tuple[str, str], ...] = (
    ("backend_pdf", "_fill"),
    ("backend_pdf", "pdfRepr"),
    ("backend_pdf", "Op"),
    ("backend_pdf", "FontPath"),
    ("PdfPages", "_ensure_file"),
    ("RendererPdf", "_get_font_ttf"),
    ("RendererPdf", "_encode_glyphs"),
    ("FT2Font", "_layout"),
)


def missing() -> list[str]:
    """The private names this matplotlib lacks (``[]``: the line cache can run)."""
    owners: dict[str, Any] = {
        "backend_pdf": backend_pdf,
        "PdfPages": PdfPages,
        "RendererPdf": RendererPdf,
        "FT2Font": FT2Font,
    }
    return [f"{owner}.{name}" for owner, name in PRIVATE if not hasattr(owners[owner], name)]


SUPPORTED = not missing()
_failed: list[str] = []  # what failed at run time; once set, stock drawing for good


def available() -> bool:
    return SUPPORTED and not _failed


def _give_up(error: Exception) -> None:
    if not _failed:
        _log.warning("PDF line cache off, stock matplotlib text drawing: %r", error)
    _failed.append(repr(error))


Extent = tuple[float, float, float]  # width, height, descent in points


@dataclass
class Lines:
    """What one PDF file has shaped, measured and written: by (line, font)."""

    shaped: dict[tuple[str, int], tuple[list[Any], Extent]] = field(default_factory=dict)
    written: dict[tuple[str, int, int], bytes] = field(default_factory=dict)
    glyphs: dict[tuple[str, int, float, int], tuple[float, tuple[int, int, int, int]]] = field(
        default_factory=dict
    )

    def shape(
        self, renderer: RendererPdf, s: str, prop: FontProperties
    ) -> tuple[list[Any], Extent]:
        key = (s, hash(prop))
        found = self.shaped.get(key)
        if found is None:
            font = renderer._get_font_ttf(prop)  # sized to prop, with its fallbacks
            items = list(font._layout(s, LoadFlags.NO_HINTING))
            found = self.shaped[key] = (items, self._extent(items, prop.get_size_in_points()))
        return found

    def _extent(self, items: list[Any], size: float) -> Extent:
        """As ``FT2Font.set_text`` (unhinted) and ``get_width_height``/``get_descent``
        report it: the advance to the end of the last glyph, the ink's height and descent
        (in 26.6 fixed point, as FreeType gives them, then in points)."""
        if not items:
            return 0.0, 0.0, 0.0
        bottom, top = math.inf, -math.inf
        advance = 0.0
        for item in items:
            advance, (_, y0, _, y1) = self._glyph(item, size)
            bottom, top = min(bottom, y0), max(top, y1)
        end = items[-1].x * 64 + advance
        return end / 64, (top - bottom) / 64, -bottom / 64

    def _glyph(self, item: Any, size: float) -> tuple[float, tuple[int, int, int, int]]:
        font = item.ft_object
        key = (font.fname, font.face_index, size, item.glyph_index)
        found = self.glyphs.get(key)
        if found is None:
            glyph = font.load_glyph(item.glyph_index, flags=LoadFlags.NO_HINTING)
            found = self.glyphs[key] = (glyph.horiAdvance, glyph.bbox)
        return found


class LineRenderer(RendererPdf):
    """``RendererPdf`` shaping, measuring and writing each line of text once per file."""

    def __init__(self, file: Any, image_dpi: float, height: float, width: float, lines: Lines):
        super().__init__(file, image_dpi, height, width)
        self.lines = lines

    @staticmethod
    def _plain(ismath: Any) -> bool:
        return available() and ismath is False and not mpl.rcParams["pdf.use14corefonts"]

    def get_text_width_height_descent(self, s, prop, ismath):  # noqa: ANN001, ANN201
        if self._plain(ismath):
            try:
                return self.lines.shape(self, s, prop)[1]
            except (AttributeError, TypeError, ValueError) as error:  # matplotlib changed
                _give_up(error)
        return super().get_text_width_height_descent(s, prop, ismath)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # noqa: ANN001, ANN201
        special = mtext is not None and (mtext.get_fontfeatures() or mtext.get_language())
        if self._plain(ismath) and not special and gc.get_url() is None:
            try:
                body = self._text_object(s, prop)
            except (AttributeError, TypeError, ValueError) as error:  # matplotlib changed
                _give_up(error)
            else:
                self.check_gc(gc, gc._rgb)
                op = backend_pdf.Op
                a = math.radians(angle)
                self.file.output(op.gsave)
                cos, sin = math.cos(a), math.sin(a)
                self.file.output(cos, sin, -sin, cos, x, y, op.concat_matrix)
                self.file.write(body)
                self.file.output(op.grestore)
                return None
        return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    def _text_object(self, s: str, prop: FontProperties) -> bytes:
        """``BT … ET`` of a line, as stock ``RendererPdf.draw_text`` writes it."""
        fonttype = mpl.rcParams["pdf.fonttype"]
        key = (s, hash(prop), fonttype)
        found = self.lines.written.get(key)
        if found is not None:
            return found
        items, _ = self.lines.shape(self, s, prop)
        fontsize = prop.get_size_in_points()
        out: list[bytes] = []
        fill, pdf_repr, op = backend_pdf._fill, backend_pdf.pdfRepr, backend_pdf.Op

        def output(*data: Any) -> None:
            out.append(fill([pdf_repr(x) for x in data]))
            out.append(b"\n")

        def chunk(kerns_or_chars: list[Any]) -> None:
            if not kerns_or_chars:
                return
            output(
                [
                    (-1000 * next(group) / fontsize)
                    if tp is float
                    else self._encode_glyphs(group, fonttype)
                    for tp, group in itertools.groupby(kerns_or_chars, type)
                ],
                op.showkern,
            )
            kerns_or_chars.clear()

        pending: list[Any] = []
        prev_font: tuple[Any, int] | None = None
        prev_start_x = 0.0
        tracker = self.file._character_tracker
        output(op.begin_text)
        for item in items:
            subset, charcode = tracker.track_glyph(item.ft_object, item.char, item.glyph_index)
            if (item.ft_object, subset) != prev_font:
                chunk(pending)
                path = backend_pdf.FontPath(item.ft_object.fname, item.ft_object.face_index)
                output(self.file.fontName(path, subset), fontsize, op.selectfont)
                output(item.x - prev_start_x, 0, op.textpos)
                prev_font = (item.ft_object, subset)
                prev_start_x = item.x
            if item.y:
                chunk(pending)
                output(item.y, op.textrise)
            if item.prev_kern:
                pending.append(item.prev_kern)
            pending.append(charcode)
            if item.y:
                chunk(pending)
                output(0, op.textrise)
        chunk(pending)
        output(op.end_text)
        found = self.lines.written[key] = b"".join(out)
        return found


class PdfCanvas(FigureCanvasPdf):
    """``FigureCanvasPdf`` drawing pages of a :class:`PdfPages` with a :class:`LineRenderer`
    whose :class:`Lines` the pages of one file share."""

    def __init__(self, figure: Any, lines: Lines) -> None:
        super().__init__(figure)
        self.lines = lines

    def print_pdf(self, filename, *, bbox_inches_restore=None, metadata=None, **_):  # noqa: ANN001, ANN003, ANN201
        # ``_``: what print_figure passes for other formats (dpi, facecolor, edgecolor,
        # orientation), which stock matplotlib's print_pdf is spared as well
        if not (available() and isinstance(filename, PdfPages)):
            return super().print_pdf(
                filename, bbox_inches_restore=bbox_inches_restore, metadata=metadata
            )
        dpi = self.figure.dpi
        self.figure.dpi = 72  # there are 72 pdf points to an inch
        width, height = self.figure.get_size_inches()
        file = filename._ensure_file()
        try:
            file.newPage(width, height)
            renderer = MixedModeRenderer(
                self.figure,
                width,
                height,
                dpi,
                LineRenderer(file, dpi, height, width, self.lines),
                bbox_inches_restore=bbox_inches_restore,
            )
            self.figure.draw(renderer)
            renderer.finalize()
        finally:
            file.endStream()
        return None
