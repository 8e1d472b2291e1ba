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
from renderers.draw import draw
from renderers.geometry import Layout
from renderers.glyphs import GlyphCanvas
from renderers.layout import layout_prepared, prepare
from renderers.png import write_png

MapLike = JourneyMap | dict[str, Any] | str | bytes

FULL_DPI = 200.0
FULL_MAX_PIXELS = 30e6  # keeps a 73-stage map's canvas near 120 MB
PREVIEW_MAX_SIDE = 2560.0  # what Telegram keeps of a photo
PREVIEW_MAX_SUM = 9800.0  # Telegram refuses width + height over 10 000


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
    fig = draw(lay, dpi)
    canvas = GlyphCanvas(fig)
    canvas.draw()
    write_png(np.asarray(canvas.buffer_rgba()), path, dpi, {"Software": "cjm-workshop-bot"})
    fig.clear()
    return path


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
