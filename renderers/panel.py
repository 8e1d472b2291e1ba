"""Parts of the layout around the stage grid: header, persona card, legend, emotion lane."""

from __future__ import annotations

from collections.abc import Callable

from flows.texts import number, t_plain
from renderers import style
from renderers.content import Content
from renderers.geometry import Box, Cell, Curve, Layout, RectItem, add_text
from renderers.text import line_height, text_width, wrap, wrap_clamped

SWATCH = 9.0


def header(out: Layout, content: Content, note: str) -> float:
    """Title, subtitle and summary across the top; returns where the grid starts."""
    width = out.width - 2 * style.MARGIN
    y = style.MARGIN
    rows = [
        (content.title, style.TITLE_SIZE, style.INK, True),
        (content.subtitle, style.SUBTITLE_SIZE, style.MUTED, False),
        (content.summary, style.SUBTITLE_SIZE, style.ACCENT, True),
        (note, style.SUBTITLE_SIZE, style.FLAG, True),
    ]
    start = y
    for text, size, colour, bold in rows:
        if not text:
            continue
        lines = wrap(text, width, size, bold)
        add_text(out, style.MARGIN, y, lines, size, colour, "header", bold)
        y += len(lines) * line_height(size) + 3
    out.cells.append(Cell("header", Box(style.MARGIN, start, width, y - start), 1, 1))
    return y + 8


def side(out: Layout, content: Content, box: Box) -> None:
    """The persona cards (every persona, all of its facts) and the legend under them,
    beside the stage columns."""
    y = box.y
    for i, persona in enumerate(content.personas or [content.persona]):
        y += _persona(out, content, persona, Box(box.x, y, box.w, 0), i) + 8
    legend_h = _legend(out, content, Box(box.x, y, box.w, 0), dry_run=True)
    _legend(out, content, Box(box.x, y, box.w, legend_h), dry_run=False)
    y += legend_h + 8
    if content.facts:
        y += _facts(out, content, Box(box.x, y, box.w, 0))
    out.height = max(out.height, y + style.MARGIN)


def _facts(out: Layout, content: Content, at: Box) -> float:
    """The map at a glance, in a card from ``at``'s top; returns its height."""
    pad = 8.0
    x, y = at.x + pad, at.y + pad
    card = len(out.rects)
    title = t_plain(content.lang, "map.facts.title").upper()
    add_text(out, x, y, [title], style.SMALL_SIZE, style.MUTED, "facts", bold=True)
    y += line_height(style.SMALL_SIZE) + 4
    for fact in content.facts:
        lines = wrap(fact, at.w - 2 * pad, style.BODY_SIZE)
        add_text(out, x, y, lines, style.BODY_SIZE, style.INK, "facts")
        y += len(lines) * line_height(style.BODY_SIZE) + 3
    box = Box(at.x, at.y, at.w, y - at.y + pad - 3)
    out.rects.insert(card, RectItem(box, "#FFFFFF", style.CARD_EDGE, rounded=True))
    out.cells.append(Cell("facts", box, len(content.facts), len(content.facts)))
    return box.h


def _persona(
    out: Layout, content: Content, persona: list[tuple[str, str]], at: Box, index: int
) -> float:
    """A persona's card from ``at``'s top, as tall as its facts; returns its height."""
    pad = 8.0
    inner = at.w - 2 * pad
    x = at.x + pad
    y = at.y + pad
    key = "persona" if index == 0 else f"persona:{index + 1}"
    card = len(out.rects)
    title = t_plain(content.lang, "map.persona.title").upper()
    add_text(out, x, y, [title], style.SMALL_SIZE, style.MUTED, key, bold=True)
    y += line_height(style.SMALL_SIZE) + 2
    (name, basis), *fields = persona
    lines = wrap(name, inner, 11.5, bold=True)
    add_text(out, x, y, lines, 11.5, style.INK, key, bold=True)
    y += len(lines) * line_height(11.5) + 1
    if basis:
        lines = wrap(basis, inner, style.SMALL_SIZE)
        add_text(out, x, y, lines, style.SMALL_SIZE, style.MUTED, key)
        y += len(lines) * line_height(style.SMALL_SIZE) + 5
    for label, value in fields:
        lines = wrap(f"{label}: {value}", inner, style.BODY_SIZE)
        add_text(out, x, y, lines, style.BODY_SIZE, style.INK, key)
        y += len(lines) * line_height(style.BODY_SIZE) + 3
    box = Box(at.x, at.y, at.w, y - at.y + pad - 3)
    out.rects.insert(
        card, RectItem(box, style.tint(style.ACCENT, 0.94), style.CARD_EDGE, rounded=True)
    )
    out.cells.append(Cell(key, box, len(fields), len(fields)))
    return box.h


Swatch = tuple[str, str, bool]  # face, edge, dashed


def _legend_rows(content: Content) -> list[tuple[list[Swatch], str]]:
    """(swatches, text) per legend row: departments by colour, statuses by icon and
    border."""
    t = lambda key: t_plain(content.lang, "map.legend." + key)  # noqa: E731
    rows: list[tuple[list[Swatch], str]] = [([], t("stripe"))]
    rows += [([(c, "none", False)], name) for name, c in content.departments]
    rows += [
        ([], t("severity")),
        ([("#FFFFFF", style.STATUS_COLOURS[r], False) for r in style.STATUS_COLOURS], t("kpi")),
        ([], t("kpi_chart")),
        ([(style.EMOTION_BAND, "none", False)], t("emotion")),
        ([(style.STALE_INK, "none", False)], t("stale")),
        ([("#FFFFFF", style.MUTED, True)], t("hypothesis")),
        ([], t("quick_win")),
        ([(style.FLAG, "none", False)], t("flag")),
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
        text_x = box.x + pad + len(swatches) * (SWATCH + 2) + (4 if swatches else 0)
        lines = wrap(text, box.right - pad - text_x, style.SMALL_SIZE)
        if not dry_run:
            for i, (face, edge, dashed) in enumerate(swatches):
                sw = Box(box.x + pad + i * (SWATCH + 2), y + 0.5, SWATCH, SWATCH)
                width = style.STATUS_EDGE_W if edge != "none" else 0.6
                out.rects.append(RectItem(sw, face, edge, dashed, linewidth=width))
            add_text(out, text_x, y, lines, style.SMALL_SIZE, style.INK, "legend")
        y += len(lines) * line_height(style.SMALL_SIZE) + 3
    height = y - box.y + pad
    if not dry_run:
        out.cells.append(Cell("legend", box, 1, 1))
    return height


def _signed(value: float, lang: str) -> str:
    """+1,3 · −0.5 · 0: a signed emotion mean in the language's decimals."""
    text = number(lang, abs(value), 1)
    return text if text == "0" else ("+" if value > 0 else "−") + text


def _scale(out: Layout, row: Box, y_of: Callable[[float], float]) -> None:
    """The −2…+2 scale at the right of the lane's label, a faint rule at each level."""
    size = style.SMALL_SIZE
    for level in (2, 1, 0, -1, -2):
        y = y_of(level)
        label = "0" if level == 0 else f"{level:+d}".replace("-", "−")
        width = text_width(label, size)
        x = row.x - style.CELL_PAD - width
        add_text(out, x, y - line_height(size) / 2, [label], size, style.MUTED, "label:emotion")
        if level:
            out.lines.append((row.x, y, row.right, y, style.tint(style.GRID, 0.4)))


def emotion_row(out: Layout, content: Content, row: Box, first: int, last: int) -> None:
    label_h = 2 * line_height(style.SMALL_SIZE)
    top = row.y + style.CELL_PAD + 5
    bottom = row.bottom - style.CELL_PAD - label_h - 5
    zero = (top + bottom) / 2
    out.rects.append(RectItem(Box(row.x, top, row.w, zero - top), style.EMOTION_POSITIVE))
    out.rects.append(RectItem(Box(row.x, zero, row.w, bottom - zero), style.EMOTION_NEGATIVE))

    def y_of(v: float) -> float:
        return top + (2 - v) / 4 * (bottom - top)

    _scale(out, row, y_of)

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
                mean=_signed(stat.mean, content.lang),
                low=_signed(stat.min, content.lang),
                high=_signed(stat.max, content.lang),
                n=stat.count,
            )
        colour = style.MUTED
        if stage.emotion_flag:
            text, colour = "⚠ " + text, style.FLAG
        lines = wrap_clamped(
            text, box.w - 2 * style.CELL_PAD, style.SMALL_SIZE, 2, stage.emotion_flag
        )
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
