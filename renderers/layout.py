"""``layout(map, lang) -> Layout``: where every box and line of text goes. Pure: no drawing.

Columns are stages; rows are lanes. A lane is as tall as its fullest cell: every item is
shown with all of its text (only the phone summary, renderers.summary, shortens). Text is
wrapped with font metrics (renderers.text), so a layout is computed without a renderer,
and the tests check it: no two texts overlap, every text lies inside its cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flows.models import JourneyMap
from flows.texts import t_plain
from renderers import panel, style
from renderers.content import Content, Entry, Trend, build
from renderers.geometry import Box, Cell, Chart, Layout, RectItem, TextItem, add_text
from renderers.text import line_height, text_width, wrap

ENTRY_TEXT_W = style.COL_W - 2 * style.CELL_PAD - style.STRIPE_W - 2 * style.CARD_PAD
META_GAP = 1.5
MIN_LANE_H = line_height(style.BODY_SIZE) + 2 * (style.CELL_PAD + style.CARD_PAD)


@dataclass(frozen=True)
class Block:
    """An entry wrapped: its main text, then its details in smaller, muted type."""

    entry: Entry
    head: tuple[str, ...]
    meta: tuple[str, ...]
    head_w: float
    meta_w: float

    @property
    def height(self) -> float:
        meta = len(self.meta) * line_height(style.SMALL_SIZE) + (META_GAP if self.meta else 0)
        chart = style.CHART_GAP + style.CHART_H if self.entry.chart is not None else 0.0
        return len(self.head) * line_height(style.BODY_SIZE) + meta + chart + 2 * style.CARD_PAD


@dataclass
class Prepared:
    content: Content
    blocks: list[dict[str, list[Block]]]  # per stage, per lane
    lane_h: dict[str, float] = field(default_factory=dict)


def _block(entry: Entry) -> Block:
    head = wrap(entry.paragraphs[0], ENTRY_TEXT_W, style.BODY_SIZE)
    meta: list[str] = []
    for paragraph in entry.paragraphs[1:]:
        meta += wrap(paragraph, ENTRY_TEXT_W, style.SMALL_SIZE)
    return Block(
        entry,
        tuple(head),
        tuple(meta),
        _widest(head, style.BODY_SIZE),
        _widest(meta, style.SMALL_SIZE),
    )


def _widest(lines: list[str], size: float) -> float:
    return max((text_width(x, size) for x in lines), default=0.0)


def _needed(blocks: list[Block]) -> float:
    if not blocks:
        return MIN_LANE_H
    inner = sum(b.height for b in blocks) + style.CARD_GAP * (len(blocks) - 1)
    return inner + 2 * style.CELL_PAD


def prepare(content: Content) -> Prepared:
    blocks = [
        {lane: [_block(e) for e in s.lanes.get(lane, [])] for lane in style.LANES}
        for s in content.stages
    ]
    lane_h: dict[str, float] = {}
    for lane in style.LANES:
        need = max((_needed(b[lane]) for b in blocks), default=MIN_LANE_H)
        if lane == "discuss" and not any(b[lane] for b in blocks):
            continue  # no disagreement anywhere: no lane
        lane_h[lane] = max(MIN_LANE_H, need)
    label = {lane: _label_lines(content.lang, lane) for lane in lane_h}
    for lane in lane_h:
        lane_h[lane] = max(lane_h[lane], len(label[lane]) * line_height(style.LANE_SIZE) + 8)
    lane_h["emotion"] = style.EMOTION_H
    ordered = {lane: lane_h[lane] for lane in style.LANE_ORDER if lane in lane_h}
    return Prepared(content, blocks, ordered)


def _label_lines(lang: str, lane: str) -> list[str]:
    name = t_plain(lang, "map.lane." + lane)
    return wrap(name, style.LABEL_W - 2 * style.CELL_PAD, style.LANE_SIZE, True)


def _stage_lines(content: Content, first: int, last: int) -> list[list[str]]:
    width = style.COL_W - 2 * style.CELL_PAD
    return [
        wrap(f"{s.number}. {s.name}", width, style.STAGE_SIZE, bold=True)
        for s in content.stages[first:last]
    ]


def layout(
    journey: JourneyMap,
    lang: str = "en",
    *,
    first: int = 0,
    count: int | None = None,
    note: str = "",
) -> Layout:
    """The layout of stages ``first`` … ``first + count`` (all by default)."""
    return layout_prepared(prepare(build(journey, lang)), first=first, count=count, note=note)


def layout_prepared(
    prep: Prepared, *, first: int = 0, count: int | None = None, note: str = ""
) -> Layout:
    content = prep.content
    n = len(content.stages)
    last = n if count is None else min(n, first + count)
    shown = max(1, last - first)
    x0 = style.MARGIN + style.PANEL_W + style.LABEL_W
    width = x0 + shown * style.COL_W + style.MARGIN
    out = Layout(width=width, height=0.0, stage_range=(first, last))
    top = panel.header(out, content, note)
    heads = _stage_lines(content, first, last)
    head_h = max([style.STAGE_HEAD_H, *(len(x) * line_height(style.STAGE_SIZE) + 8 for x in heads)])
    y = top + head_h
    lanes_top = y
    for index, (lane, h) in enumerate(prep.lane_h.items()):
        _lane_row(out, prep, lane, Box(x0, y, shown * style.COL_W, h), first, last, index)
        y += h
    panel.side(out, content, Box(style.MARGIN, top, style.PANEL_W - 12, y - top))
    _stage_heads(out, content, Box(x0, top, shown * style.COL_W, head_h), first, last, heads)
    if n == 0:
        add_text(
            out,
            x0 + style.CELL_PAD,
            lanes_top + style.CELL_PAD,
            [t_plain(content.lang, "map.no_stages")],
            style.BODY_SIZE,
            style.MUTED,
            "stage:0",
        )
    for k in range(shown + 1):
        x = x0 + k * style.COL_W
        out.lines.append((x, top, x, y, style.GRID))
    out.height = max(out.height, y + style.MARGIN, width / style.MAX_ASPECT)
    return out


def _stage_heads(
    out: Layout, content: Content, row: Box, first: int, last: int, heads: list[list[str]]
) -> None:
    out.rects.append(RectItem(row, style.ACCENT))
    for k, stage in enumerate(content.stages[first:last]):
        box = Box(row.x + k * style.COL_W, row.y, style.COL_W, row.h)
        lines = heads[k]
        key = f"stage:{stage.number}"
        out.cells.append(Cell(key, box, 1, 1))
        add_text(
            out,
            box.x + style.CELL_PAD,
            box.y + style.CELL_PAD,
            lines,
            style.STAGE_SIZE,
            "#FFFFFF",
            key,
            bold=True,
        )


def _lane_row(
    out: Layout, prep: Prepared, lane: str, row: Box, first: int, last: int, index: int
) -> None:
    lang = prep.content.lang
    out.rects.append(RectItem(row, style.LANE_BANDS[index % 2]))
    label_box = Box(row.x - style.LABEL_W, row.y, style.LABEL_W, row.h)
    out.rects.append(RectItem(label_box, style.tint(style.ACCENT, 0.9)))
    out.lines.append((label_box.x, row.bottom, row.right, row.bottom, style.GRID))
    lines = _label_lines(lang, lane)
    key = f"label:{lane}"
    out.cells.append(Cell(key, label_box, 1, 1))
    add_text(
        out,
        label_box.x + style.CELL_PAD,
        row.y + style.CELL_PAD,
        lines,
        style.LANE_SIZE,
        style.ACCENT,
        key,
        bold=True,
    )
    if lane == "emotion":
        panel.emotion_row(out, prep.content, row, first, last)
        return
    for k in range(first, last):
        box = Box(row.x + (k - first) * style.COL_W, row.y, style.COL_W, row.h)
        _cell(out, prep, lane, k, box)


def _cell(out: Layout, prep: Prepared, lane: str, k: int, box: Box) -> None:
    """Every card of a stage's lane, top down (the lane is as tall as its fullest cell)."""
    blocks = prep.blocks[k][lane]
    key = f"{lane}:{k + 1}"
    y = box.y + style.CELL_PAD
    for block in blocks:
        card = Box(box.x + style.CELL_PAD, y, box.w - 2 * style.CELL_PAD, block.height)
        _card(out, block, card, key)
        y += block.height + style.CARD_GAP
    out.cells.append(Cell(key, box, len(blocks), len(blocks)))


def _card(out: Layout, block: Block, card: Box, key: str) -> None:
    e = block.entry
    out.rects.append(
        RectItem(card, e.face, e.edge, dashed=e.dashed, rounded=True, linewidth=e.edge_w)
    )
    out.rects.append(RectItem(Box(card.x, card.y, style.STRIPE_W, card.h), e.stripe))
    x = card.x + style.STRIPE_W + style.CARD_PAD
    y = card.y + style.CARD_PAD
    out.texts.append(TextItem(x, y, block.head, style.BODY_SIZE, block.head_w, e.ink, cell=key))
    if block.meta:
        y += len(block.head) * line_height(style.BODY_SIZE) + META_GAP
        out.texts.append(
            TextItem(x, y, block.meta, style.SMALL_SIZE, block.meta_w, e.meta_ink, cell=key)
        )
    if e.chart is not None:
        box = Box(x, card.bottom - style.CARD_PAD - style.CHART_H, ENTRY_TEXT_W, style.CHART_H)
        out.rects.append(RectItem(box, style.CHART_FACE, style.CARD_EDGE, rounded=True))
        out.charts.append(chart(e.chart, box, key))


def chart(trend: Trend, box: Box, cell: str = "") -> Chart:
    """The readings as points in ``box``: evenly spaced, oldest left, latest at the right
    edge; the values and the target share one scale (padded, so nothing touches the
    edge; a single value or a flat series sits in the middle)."""
    pad = style.CHART_PAD
    inner = Box(box.x + pad, box.y + pad, box.w - 2 * pad, box.h - 2 * pad)
    scale = [*trend.values, *(() if trend.target is None else (trend.target,))]
    low, high = min(scale), max(scale)
    if high == low:
        low, high = low - 1, high + 1

    def y_of(value: float) -> float:
        return inner.bottom - (value - low) / (high - low) * inner.h

    n = len(trend.values)
    step = inner.w / (n - 1) if n > 1 else 0.0
    first = inner.x if n > 1 else inner.right
    points = tuple((first + i * step, y_of(v)) for i, v in enumerate(trend.values))
    target = None if trend.target is None else y_of(trend.target)
    return Chart(box, points, target, trend.colour, cell)
