"""The map as PNG (full resolution, and a Telegram-safe preview), PDF (pages of stages) and
SVG. Plain synchronous functions taking a ``JourneyMap`` or its JSON (a dict or a string),
so a process pool can run them.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG

from flows.models import JourneyMap
from renderers import summary
from renderers.content import build
from renderers.draw import Band, draw
from renderers.geometry import Layout
from renderers.glyphs import GlyphCanvas
from renderers.layout import layout_prepared, prepare
from renderers.png import PngStream, write_png

MapLike = JourneyMap | dict[str, Any] | str | bytes

FULL_DPI = 200.0
FULL_MAX_PIXELS = 30e6  # keeps a 73-stage map's canvas near 120 MB
PREVIEW_MAX_SIDE = 2560.0  # what Telegram keeps of a photo
PREVIEW_MAX_SUM = 9800.0  # Telegram refuses width + height over 10 000
BANDED_ABOVE = 12e6  # pixels: a larger image is drawn in bands (a 48 MB canvas at most)
BAND_PIXELS = 4e6  # pixels of a band at most (16 MB)
BAND_OVERLAP = 16.0  # points drawn beyond a band's either edge, then cut off (strokes, markers)
BAND_PAD = 4.0  # points: an item this near a band is drawn in it too (ink past its box)


def as_map(journey: MapLike) -> JourneyMap:
    if isinstance(journey, JourneyMap):
        return journey
    if isinstance(journey, str | bytes):
        return JourneyMap.model_validate_json(journey)
    return JourneyMap.model_validate(journey)


def full_dpi(lay: Layout) -> float:
    area = (lay.width / 72) * (lay.height / 72)
    return min(FULL_DPI, math.sqrt(FULL_MAX_PIXELS / area))


def preview_dpi(lay: Layout) -> float:
    w, h = lay.width / 72, lay.height / 72
    return min(FULL_DPI, PREVIEW_MAX_SIDE / max(w, h), PREVIEW_MAX_SUM / (w + h))


def _save_png(lay: Layout, path: Path, dpi: float) -> Path:
    width, height = _pixels(lay.width, dpi), _pixels(lay.height, dpi)
    if width * height > BANDED_ABOVE:
        return _save_banded(lay, path, dpi, max(1, math.ceil(width * height / BAND_PIXELS)))
    fig = draw(lay, dpi)
    canvas = GlyphCanvas(fig)
    canvas.draw()
    write_png(np.asarray(canvas.buffer_rgba()), path, dpi, METADATA)
    fig.clear()
    return path


METADATA = {"Software": "cjm-workshop-bot"}


def _pixels(points: float, dpi: float) -> int:
    """How many pixels matplotlib's canvas gives a figure side of ``points``."""
    return int(points / 72 * dpi)


def _save_banded(lay: Layout, path: Path, dpi: float, bands: int) -> Path:
    """The image of :func:`_save_png` drawn in ``bands`` horizontal bands, each of only
    the items that reach into it, on a canvas of its own rows (and ``BAND_OVERLAP`` points
    either side, cut off: matplotlib clips a stroke at the canvas's edge, which changes
    how its end is drawn): the same picture, without a canvas (and the artists) of the
    whole map held at once. Each band's figure keeps the whole image's fraction of a
    pixel at its foot, so every row falls where it does in one drawing (antialiasing may
    differ by a level of 255 where two bands meet)."""
    width, height = _pixels(lay.width, dpi), _pixels(lay.height, dpi)
    spill = lay.height / 72 * dpi - height  # what matplotlib's canvas cuts off, in pixels
    per_band = math.ceil(height / bands)
    overlap = math.ceil(BAND_OVERLAP / 72 * dpi)
    with PngStream(path, width, height, dpi, METADATA) as png:
        for first in range(0, height, per_band):
            rows = min(per_band, height - first)
            above = min(overlap, first)
            below = min(overlap, height - first - rows)
            band = _band(above + rows + below, spill, first - above, dpi)
            # what reaches the rows kept is drawn (on the rows beyond them as well)
            kept = (first + spill) * 72 / dpi, (first + rows + spill) * 72 / dpi
            fig = draw(_within(lay, kept[0] - BAND_PAD, kept[1] + BAND_PAD), dpi, band)
            canvas = GlyphCanvas(fig)
            canvas.draw()
            rgba = np.asarray(canvas.buffer_rgba())
            if rgba.shape[0] != above + rows + below:
                raise RuntimeError(f"a band drawn {rgba.shape[0]} rows tall, not {rows}")
            png.add(rgba[above : above + rows])
            fig.clear()
            del fig, canvas, rgba
    return path


def _band(rows: int, spill: float, first: int, dpi: float) -> Band:
    """The band of ``rows`` pixel rows from row ``first``: its top and height in points
    and its figure's height in inches (``rows + spill`` pixels, of which the canvas keeps
    ``rows``)."""
    inches = (rows + spill) / dpi
    while int(inches * dpi) < rows:  # the float product fell just short of a row
        inches = math.nextafter(inches, math.inf)
    return first * 72 / dpi, inches * 72, inches


def _within(lay: Layout, top: float, bottom: float) -> Layout:
    """The items of ``lay`` reaching between ``top`` and ``bottom`` (points), in order."""

    def reaches(y0: float, y1: float) -> bool:
        return y0 <= bottom and y1 >= top

    return Layout(
        width=lay.width,
        height=lay.height,
        texts=[t for t in lay.texts if reaches(t.box.y, t.box.bottom)],
        rects=[r for r in lay.rects if reaches(r.box.y, r.box.bottom)],
        lines=[ln for ln in lay.lines if reaches(min(ln[1], ln[3]), max(ln[1], ln[3]))],
        curves=[c for c in lay.curves if reaches(c.box.y, c.box.bottom)],
        charts=[c for c in lay.charts if reaches(c.box.y, c.box.bottom)],
        stage_range=lay.stage_range,
    )


def render_png(journey: MapLike, path: str | Path, *, lang: str = "en") -> Path:
    """The whole map at full resolution (up to 200 dpi and 30 megapixels)."""
    lay = layout_prepared(prepare(build(as_map(journey), lang)))
    return _save_png(lay, Path(path), full_dpi(lay))


def preview_layouts(journey: JourneyMap, lang: str) -> list[Layout]:
    """The phone summary's photos (renderers.summary)."""
    return summary.layouts(journey, lang)


def preview_layout(journey: JourneyMap, lang: str) -> Layout:
    return preview_layouts(journey, lang)[0]


def _numbered(path: Path, index: int) -> Path:
    return path if index == 0 else path.with_name(f"{path.stem}-{index + 1}{path.suffix}")


def render_preview_pngs(journey: MapLike, path: str | Path, *, lang: str = "en") -> list[Path]:
    """The phone summary as photos for an album: ``path``, then ``<stem>-2.png`` … — one
    per eight stages (at most ten), 1,280 px wide, every text at least 12 px tall."""
    path = Path(path)
    return [
        _save_png(lay, _numbered(path, i), summary.DPI)
        for i, lay in enumerate(preview_layouts(as_map(journey), lang))
    ]


def render_preview_png(journey: MapLike, path: str | Path, *, lang: str = "en") -> Path:
    """The first photo of the phone summary (:func:`render_preview_pngs`); what Telegram
    accepts as a photo: 1,280 px wide, width + height under 10 000, aspect at most 19."""
    lay = preview_layout(as_map(journey), lang)
    return _save_png(lay, Path(path), summary.DPI)


def render_pdf(journey: MapLike, path: str | Path, *, lang: str = "en") -> Path:
    """A4 or A3 landscape pages of one size, the stages split evenly (``renderers.pdf``)."""
    from renderers.pdf import render_pdf as on_paper

    return on_paper(as_map(journey), path, lang=lang)


def render_svg(journey: MapLike, path: str | Path, *, lang: str = "en") -> Path:
    """The whole map as SVG with its text as ``<text>`` (searchable, editable; drawn with
    the reader's DejaVu Sans or a similar font)."""
    lay = layout_prepared(prepare(build(as_map(journey), lang)))
    fig = draw(lay, 72)
    with rc_context({"svg.fonttype": "none"}):
        FigureCanvasSVG(fig).print_svg(Path(path))
    fig.clear()
    return Path(path)


def write_map(journey: MapLike, path: str | Path, *, lang: str = "en") -> Path:
    """By the file's extension: .png, .pdf or .svg."""
    suffix = Path(path).suffix.lower()
    renderers = {".png": render_png, ".pdf": render_pdf, ".svg": render_svg}
    if suffix not in renderers:
        raise ValueError(
            f"cannot render to {suffix or 'a file without extension'}: use .png, .pdf or .svg"
        )
    return renderers[suffix](journey, path, lang=lang)
