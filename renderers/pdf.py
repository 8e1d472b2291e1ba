"""The map as a PDF on standard paper: A4 or A3 landscape, every page the same size.

The paper is chosen by the content: A4 when the map, scaled to the page's height, keeps
its body text at least ``MIN_TEXT_PT`` points, else A3 (a taller map is scaled to A3's
height, whatever that makes of it). The stages are split evenly over the pages (73 stages,
at most 8 a page: ten pages of 7 or 8), each page drawn at the same scale from the top
left, its header saying which stages it holds ("Stages 9–16 of 73") and its footer its
number.

A page is drawn as the image is (``renderers.draw``) at the layout's own size in points,
then the figure is set to the paper's size with the map scaled onto it: the axes take the
scaled area and every size in points (type, line widths, markers) is scaled alike. The
pages are written by ``renderers.pdf_text.PdfCanvas``: stock matplotlib's PDF, with each
line of text shaped and written once per file (the persona card, the legend and the
header repeat on every page).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from flows.models import JourneyMap
from flows.texts import t_plain
from renderers import style
from renderers.content import build
from renderers.draw import draw
from renderers.geometry import Layout
from renderers.layout import Prepared, layout_prepared, prepare
from renderers.pdf_text import Lines, PdfCanvas

# landscape paper in points (ISO 216: 297 x 210 mm and 420 x 297 mm)
PAPERS: dict[str, tuple[float, float]] = {"A4": (841.89, 595.28), "A3": (1190.55, 841.89)}
PAGE_MARGIN = 22.0  # around the map on the paper
FOOTER_H = 16.0  # the page number's line, below the map
FOOTER_SIZE = 8.0
MIN_TEXT_PT = 6.0  # body text on paper at least this big, when A3 allows it
MAX_STAGES = 8  # stages on one page at most (a wider page would shrink the type)
FIXED_W = 2 * style.MARGIN + style.PANEL_W + style.LABEL_W  # a page's width besides stages


@dataclass(frozen=True)
class Plan:
    """How a map goes onto paper: the paper, the scale, the stages of each page."""

    paper: str
    scale: float
    pages: tuple[tuple[int, int], ...]  # (first, last) stage indices, last exclusive

    @property
    def size(self) -> tuple[float, float]:
        return PAPERS[self.paper]


def split_evenly(total: int, parts: int) -> list[tuple[int, int]]:
    """``total`` stages in ``parts`` runs whose lengths differ by at most one."""
    parts = max(1, min(parts, total)) if total else 1
    base, extra = divmod(total, parts)
    runs, start = [], 0
    for i in range(parts):
        end = start + base + (1 if i < extra else 0)
        runs.append((start, end))
        start = end
    return runs


def _area(paper: str) -> tuple[float, float]:
    w, h = PAPERS[paper]
    return w - 2 * PAGE_MARGIN, h - 2 * PAGE_MARGIN - FOOTER_H


def _fit(layouts: list[Layout], paper: str) -> float:
    w, h = _area(paper)
    return min(min(w / lay.width, h / lay.height) for lay in layouts)


def plan(prep: Prepared, lang: str) -> tuple[Plan, list[Layout]]:
    """The paper, scale and pages for a prepared map, and each page's layout."""
    total = len(prep.content.stages)
    best: tuple[Plan, list[Layout]] | None = None
    for paper in PAPERS:
        # as many stages a page as the paper's width holds at the height's scale
        probe = layout_prepared(prep, first=0, count=1, note=" ")
        w, h = _area(paper)
        scale = min(1.0, h / probe.height)
        per_page = max(1, min(MAX_STAGES, int((w / scale - FIXED_W) // style.COL_W)))
        runs = split_evenly(total, math.ceil(total / per_page) if total else 1)
        layouts = [_page_layout(prep, lang, first, last, total) for first, last in runs]
        fitted = Plan(paper, min(1.0, _fit(layouts, paper)), tuple(runs))
        best = (fitted, layouts)
        if fitted.scale * style.BODY_SIZE >= MIN_TEXT_PT:
            break
    assert best is not None
    return best


def _page_layout(prep: Prepared, lang: str, first: int, last: int, total: int) -> Layout:
    if total <= last - first:
        return layout_prepared(prep)
    note = t_plain(lang, "exports.pdf.stages", first=first + 1, last=last, total=total)
    return layout_prepared(prep, first=first, count=last - first, note=note)


def _scale_artists(fig: Figure, scale: float) -> None:
    """Every size given in points (type, line widths, markers) times ``scale``: the
    figure's texts, lines, collections and patches (the map draws no nested artists)."""
    for ax in fig.axes:
        for text in ax.texts:
            text.set_fontsize(float(text.get_fontsize()) * scale)
        for line in ax.lines:
            line.set_linewidth(line.get_linewidth() * scale)
            line.set_markersize(line.get_markersize() * scale)
            line.set_markeredgewidth(line.get_markeredgewidth() * scale)
        for collection in ax.collections:
            widths = np.atleast_1d(collection.get_linewidth())
            collection.set_linewidth(list(widths * scale))
        for patch in ax.patches:
            patch.set_linewidth(patch.get_linewidth() * scale)
    for text in fig.texts:
        text.set_fontsize(float(text.get_fontsize()) * scale)


def _on_paper(lay: Layout, the_plan: Plan, footer: str) -> Figure:
    fig = draw(lay, 72)
    _scale_artists(fig, the_plan.scale)
    paper_w, paper_h = the_plan.size
    fig.set_size_inches(paper_w / 72, paper_h / 72)
    w, h = lay.width * the_plan.scale, lay.height * the_plan.scale
    top = paper_h - PAGE_MARGIN
    fig.axes[0].set_position((PAGE_MARGIN / paper_w, (top - h) / paper_h, w / paper_w, h / paper_h))
    fig.text(
        1 - PAGE_MARGIN / paper_w,
        (PAGE_MARGIN + FOOTER_H / 2) / paper_h,
        footer,
        fontsize=FOOTER_SIZE,
        color=style.MUTED,
        ha="right",
        va="center",
        parse_math=False,
    )
    return fig


def render_pdf(journey: JourneyMap, path: str | Path, *, lang: str = "en") -> Path:
    """The map on A4 or A3 landscape pages of one size, the stages split evenly over them;
    every page has the header, persona card and legend, which stages it holds and its
    number."""
    path = Path(path)
    the_plan, layouts = plan(prepare(build(journey, lang)), lang)
    pages = len(layouts)
    title = journey.workshop.title
    lines = Lines()  # what the pages share: each line shaped and written once
    with PdfPages(path, metadata={"Title": title, "Creator": "cjm-workshop-bot"}) as pdf:
        for number, lay in enumerate(layouts, start=1):
            footer = t_plain(lang, "exports.pdf.page", page=number, pages=pages)
            fig = _on_paper(lay, the_plan, footer)
            PdfCanvas(fig, lines).print_figure(pdf, format="pdf")
            fig.clear()
    return path
