"""Draw a :class:`Layout` on a new matplotlib ``Figure`` (object API, no pyplot).

One axes spans the figure with data units = points and y pointing down, so the layout's
coordinates are used as they are. Boxes go into one ``PatchCollection`` and rules into one
``LineCollection``; each text block is one ``Text`` with math parsing off.
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle

from renderers import style
from renderers.geometry import Chart, Curve, Layout, RectItem
from renderers.text import LINE_SPACING, families

Band = tuple[float, float, float]  # top (points), height (points), figure height (inches)


def new_figure(layout: Layout, dpi: float, band: Band | None = None) -> Figure:
    """The figure of the whole layout, or of a horizontal ``band`` of it: the points from
    its top down its height, on a figure that tall (``renderers.image`` draws a large map
    band by band)."""
    top, height, inches = (0.0, layout.height, layout.height / 72) if band is None else band
    fig = Figure(figsize=(layout.width / 72, inches), dpi=dpi, facecolor=style.PAGE)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, layout.width)
    ax.set_ylim(top + height, top)
    ax.set_axis_off()
    return fig


def _patch(r: RectItem) -> Rectangle | FancyBboxPatch:
    b = r.box
    kwargs: dict[str, Any] = {
        "facecolor": r.face,
        "edgecolor": r.edge,
        "linewidth": r.linewidth if r.edge != "none" else 0,
        "linestyle": (0, (3, 2)) if r.dashed else "solid",
    }
    if r.rounded:
        return FancyBboxPatch(
            (b.x, b.y),
            b.w,
            b.h,
            boxstyle="round,pad=0,rounding_size=3",
            mutation_aspect=1,
            **kwargs,
        )
    return Rectangle((b.x, b.y), b.w, b.h, **kwargs)


def _curve(ax, curve: Curve) -> None:  # noqa: ANN001 - an Axes
    nan = math.nan
    mean = [nan if v is None else v for v in curve.mean]
    low = [nan if v is None else v for v in curve.low]
    high = [nan if v is None else v for v in curve.high]
    box = curve.box
    ax.plot(
        [box.x, box.right],
        [curve.zero, curve.zero],
        color=style.GRID,
        linewidth=0.8,
        linestyle=(0, (4, 3)),
    )
    ax.fill_between(curve.xs, low, high, color=style.EMOTION_BAND, alpha=0.55, linewidth=0)
    ax.plot(curve.xs, mean, color=style.EMOTION_LINE, linewidth=2.0, solid_capstyle="round")
    plain = [(x, y) for x, y, f in zip(curve.xs, mean, curve.flagged, strict=True) if not f]
    flagged = [(x, y) for x, y, f in zip(curve.xs, mean, curve.flagged, strict=True) if f]
    for points, colour, size in ((plain, style.EMOTION_LINE, 5.5), (flagged, style.FLAG, 8)):
        if points:
            xs, ys = zip(*points, strict=True)
            ax.plot(
                xs,
                ys,
                linestyle="none",
                marker="o",
                markersize=size,
                color=colour,
                markeredgecolor="#FFFFFF",
                markeredgewidth=1.0,
            )


def _chart(ax, chart: Chart) -> None:  # noqa: ANN001 - an Axes
    """A KPI's readings as a line, the target dashed across, the latest as a dot in its
    status colour."""
    box = chart.box
    if chart.target_y is not None:
        ax.plot(
            [box.x + 1, box.right - 1],
            [chart.target_y, chart.target_y],
            color=style.CHART_TARGET,
            linewidth=0.7,
            linestyle=(0, (2.5, 1.5)),
        )
    xs, ys = zip(*chart.points, strict=True)
    if len(xs) > 1:
        ax.plot(xs, ys, color=style.CHART_LINE, linewidth=1.1, solid_joinstyle="round")
    ax.plot(
        xs[-1:],
        ys[-1:],
        linestyle="none",
        marker="o",
        markersize=4.2,
        color=chart.colour,
        markeredgecolor=style.CHART_LINE,
        markeredgewidth=0.6,
    )


def draw(layout: Layout, dpi: float, band: Band | None = None) -> Figure:
    """A figure holding the whole layout (or a band of it: :func:`new_figure`), ready to
    be saved."""
    fig = new_figure(layout, dpi, band)
    ax = fig.axes[0]
    ax.add_collection(PatchCollection([_patch(r) for r in layout.rects], match_original=True))
    if layout.lines:
        segments = [((x1, y1), (x2, y2)) for x1, y1, x2, y2, _ in layout.lines]
        ax.add_collection(
            LineCollection(segments, colors=[c for *_, c in layout.lines], linewidths=0.6)
        )
    for curve in layout.curves:
        _curve(ax, curve)
    for chart in layout.charts:
        _chart(ax, chart)
    for t in layout.texts:
        ax.text(
            t.x,
            t.y,
            t.text,
            fontsize=t.size,
            color=t.colour,
            fontweight="bold" if t.bold else "normal",
            family=families(t.text),
            ha="center" if t.centre else "left",
            va="top",
            linespacing=LINE_SPACING,
            parse_math=False,
            clip_on=False,
        )
    return fig
