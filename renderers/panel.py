"""Parts of the layout around the stage grid: header, persona card, legend, emotion lane."""

from __future__ import annotations

from flows.texts import t_plain
from renderers import style
from renderers.content import Content
from renderers.geometry import Box, Cell, Curve, Layout, RectItem, add_text
from renderers.text import line_height, wrap_clamped

SWATCH = 9.0


def header(out: Layout, content: Content, note: str) -> float:
    """Title, subtitle and summary across the top; returns where the grid starts."""
    width = out.width - 2 * style.MARGIN
    y = style.MARGIN
    rows = [
        (content.title, style.TITLE_SIZE, style.INK, True, 2),
        (content.subtitle, style.SUBTITLE_SIZE, style.MUTED, False, 2),
        (content.summary, style.SUBTITLE_SIZE, style.ACCENT, True, 2),
        (note, style.SUBTITLE_SIZE, style.FLAG, True, 2),
    ]
    start = y
    for text, size, colour, bold, max_lines in rows:
        if not text:
            continue
        lines = wrap_clamped(text, width, size, max_lines, bold)
        add_text(out, style.MARGIN, y, lines, size, colour, "header", bold)
        y += len(lines) * line_height(size) + 3
    out.cells.append(Cell("header", Box(style.MARGIN, start, width, y - start), 1, 1))
    return y + 8


def side(out: Layout, content: Content, box: Box) -> None:
    """The persona card over the legend, beside the stage columns."""
    legend_h = _legend(out, content, box, dry_run=True)
    legend_top = max(box.y + 150, box.bottom - legend_h)
    persona_box = Box(box.x, box.y, box.w, legend_top - box.y - 8)
    _persona(out, content, persona_box)
    _legend(out, content, Box(box.x, legend_top, box.w, legend_h), dry_run=False)
    out.height = max(out.height, legend_top + legend_h)


def _persona(out: Layout, content: Content, box: Box) -> None:
    out.rects.append(RectItem(box, style.tint(style.ACCENT, 0.94), style.CARD_EDGE, rounded=True))
    pad = 8.0
    inner = box.w - 2 * pad
    y = box.y + pad
    lang = content.lang
    add_text(
        out,
        box.x + pad,
        y,
        [t_plain(lang, "map.persona.title").upper()],
        style.SMALL_SIZE,
        style.MUTED,
        "persona",
        bold=True,
    )
    y += line_height(style.SMALL_SIZE) + 2
    (name, basis), *fields = content.persona
    lines = wrap_clamped(name, inner, 11.5, 3, bold=True)
    add_text(out, box.x + pad, y, lines, 11.5, style.INK, "persona", bold=True)
    y += len(lines) * line_height(11.5) + 1
    if basis:
        add_text(out, box.x + pad, y, [basis], style.SMALL_SIZE, style.MUTED, "persona")
        y += line_height(style.SMALL_SIZE) + 5
    bottom = box.bottom - pad
    more_h = line_height(style.SMALL_SIZE) + 2
    shown = 0
    for i, (label, value) in enumerate(fields):
        lines = wrap_clamped(f"{label}: {value}", inner, style.BODY_SIZE, 4)
        h = len(lines) * line_height(style.BODY_SIZE)
        limit = bottom if i == len(fields) - 1 else bottom - more_h
        if y + h > limit:
            break
        add_text(out, box.x + pad, y, lines, style.BODY_SIZE, style.INK, "persona")
        y += h + 3
        shown += 1
    out.cells.append(Cell("persona", box, len(fields), shown))
    if shown < len(fields):
        more = t_plain(lang, "map.more", n=len(fields) - shown)
        add_text(
            out,
            box.x + pad,
            bottom - line_height(style.SMALL_SIZE),
            [more],
            style.SMALL_SIZE,
            style.MUTED,
            "persona",
            bold=True,
        )


def _legend_rows(content: Content) -> list[tuple[list[tuple[str, bool]], str]]:
    """(swatches as (colour, dashed), text) per legend row."""
    t = lambda key: t_plain(content.lang, "map.legend." + key)  # noqa: E731
    rows: list[tuple[list[tuple[str, bool]], str]] = [
        ([(c, False)], name) for name, c in content.departments
    ]
    rows += [
        ([(style.SEVERITY_COLOURS[s], False) for s in (1, 2, 3)], t("severity")),
        ([(style.RAG_COLOURS[r], False) for r in ("green", "amber", "red", "none")], t("kpi")),
        ([(style.CHART_LINE, False)], t("kpi_chart")),
        ([(style.EMOTION_BAND, False)], t("emotion")),
        ([(style.STALE_INK, False)], t("stale")),
        ([(style.SEVERITY_COLOURS[2], True)], t("hypothesis")),
        ([], t("quick_win")),
        ([], t("flag")),
    ]
    return rows


def _legend(out: Layout, content: Content, box: Box, *, dry_run: bool) -> float:
    pad = 8.0
    y = box.y + pad
    title = t_plain(content.lang, "map.legend.title").upper()
    if not dry_run:
        out.rects.append(RectItem(box, "#FFFFFF", style.CARD_EDGE, rounded=True))
        add_text(out, box.x + pad, y, [title], style.SMALL_SIZE, style.MUTED, "legend", True)
    y += line_height(style.SMALL_SIZE) + 4
    for swatches, text in _legend_rows(content):
        text_x = box.x + pad + max(1, len(swatches)) * (SWATCH + 2) + 4
        lines = wrap_clamped(text, box.right - pad - text_x, style.SMALL_SIZE, 3)
        if not dry_run:
            for i, (colour, dashed) in enumerate(swatches):
                sw = Box(box.x + pad + i * (SWATCH + 2), y + 0.5, SWATCH, SWATCH)
                out.rects.append(RectItem(sw, colour, colour if dashed else "none", dashed))
            add_text(out, text_x, y, lines, style.SMALL_SIZE, style.INK, "legend")
        y += len(lines) * line_height(style.SMALL_SIZE) + 3
    height = y - box.y + pad
    if not dry_run:
        out.cells.append(Cell("legend", box, 1, 1))
    return height


def _signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", "−")


def emotion_row(out: Layout, content: Content, row: Box, first: int, last: int) -> None:
    label_h = 2 * line_height(style.SMALL_SIZE)
    top = row.y + style.CELL_PAD + 5
    bottom = row.bottom - style.CELL_PAD - label_h - 5
    zero = (top + bottom) / 2
    out.rects.append(RectItem(Box(row.x, top, row.w, zero - top), style.EMOTION_POSITIVE))
    out.rects.append(RectItem(Box(row.x, zero, row.w, bottom - zero), style.EMOTION_NEGATIVE))

    def y_of(v: float) -> float:
        return top + (2 - v) / 4 * (bottom - top)

    xs: list[float] = []
    mean: list[float | None] = []
    low: list[float | None] = []
    high: list[float | None] = []
    flags: list[bool] = []
    for k, stage in enumerate(content.stages[first:last]):
        box = Box(row.x + k * style.COL_W, row.y, style.COL_W, row.h)
        xs.append(box.x + box.w / 2)
        stat = stage.emotion
        flags.append(stage.emotion_flag)
        key = f"emotion:{stage.number}"
        out.cells.append(Cell(key, box, int(stat is not None), int(stat is not None)))
        if stat is None:
            for series in (mean, low, high):
                series.append(None)
            text = t_plain(content.lang, "map.emotion.none")
        else:
            mean.append(y_of(stat.mean))
            low.append(y_of(stat.min))
            high.append(y_of(stat.max))
            text = t_plain(
                content.lang,
                "map.emotion.label",
                mean=_signed(stat.mean),
                low=_signed(stat.min),
                high=_signed(stat.max),
                n=stat.count,
            )
        colour = style.MUTED
        if stage.emotion_flag:
            text, colour = "⚠ " + text, style.FLAG
        lines = wrap_clamped(text, box.w - 2 * style.CELL_PAD, style.SMALL_SIZE, 2)
        add_text(
            out,
            box.x + style.CELL_PAD,
            box.bottom - style.CELL_PAD - label_h,
            lines,
            style.SMALL_SIZE,
            colour,
            key,
            bold=stage.emotion_flag,
        )
    out.curves.append(
        Curve(
            tuple(xs),
            tuple(mean),
            tuple(low),
            tuple(high),
            zero,
            Box(row.x, top, row.w, bottom - top),
            tuple(flags),
        )
    )
