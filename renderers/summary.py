"""The phone summary: what the photo in the chat shows, laid out for a phone's ~1,280 px.

One card per stage, top to bottom: its name and emotion (a dot on the −2…+2 scale), its
KPIs' status counts, its touchpoints' staleness and missing owners, and its open pain
points, most severe first (the first few; "+N more" — the full map, attached as a file,
hides nothing). A map of more stages than :data:`STAGES_PER_PHOTO` becomes a sequence of
photos (an album), each with the header and "stages 9–16 of 20".

Sizes are in points on a page :data:`WIDTH` points wide, drawn at :data:`SCALE` pixels
per point: 1,280 px wide, every text at least :data:`MIN_TEXT_PX` pixels tall.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flows.models import JourneyMap, PainStatus
from flows.texts import counted, number, t_plain
from flows.workshop import insights
from renderers import style
from renderers.content import Content, build
from renderers.geometry import Box, Cell, Layout, RectItem, add_text
from renderers.text import clean, line_height, text_width, wrap_clamped

WIDTH_PX = 1280
WIDTH = 640.0  # points
SCALE = WIDTH_PX / WIDTH  # pixels per point
DPI = 72 * SCALE
MIN_TEXT_PX = 12.0
STAGES_PER_PHOTO = 8
MAX_PHOTOS = 10  # a Telegram album
PAINS_SHOWN = 3

MARGIN = 14.0
PAD = 8.0
TITLE = 15.0
HEAD = 11.5  # a stage's name
BODY = 9.5
SMALL = 8.5
SCALE_W = 132.0  # the emotion scale in a stage card


@dataclass(frozen=True)
class StageDigest:
    number: int
    name: str
    emotion: float | None
    flagged: bool  # departments disagree on its emotion
    flags: int  # disagreements to discuss
    kpis: dict[str, int]  # rag -> count
    touchpoints: int
    stale: int
    no_owner: int
    pains: list[tuple[int, str]]  # (severity, text), most severe first


def digest(journey: JourneyMap, content: Content) -> list[StageDigest]:
    tp_stage = {tp.id: tp.stage_id for tp in journey.touchpoints}
    out = []
    for stage, sc in zip(journey.stages, content.stages, strict=True):
        kpis = {"green": 0, "amber": 0, "red": 0, "none": 0}
        for kpi in journey.kpis:
            if (kpi.stage_id or tp_stage.get(kpi.touchpoint_id or "")) == stage.id:
                kpis[insights.kpi_status(kpi, journey.readings).rag] += 1
        tps = [tp for tp in journey.touchpoints if tp.stage_id == stage.id]
        pains = sorted(
            (p for p in journey.pains if p.stage_id == stage.id and p.status is PainStatus.OPEN),
            key=lambda p: (-p.severity, p.is_hypothesis),
        )
        out.append(
            StageDigest(
                number=sc.number,
                name=sc.name,
                emotion=sc.emotion.mean if sc.emotion else None,
                flagged=sc.emotion_flag,
                flags=len(sc.lanes.get("discuss", [])),
                kpis=kpis,
                touchpoints=len(tps),
                stale=sum(insights.touchpoint_staleness(journey, tp).stale for tp in tps),
                no_owner=sum(1 for tp in tps if not tp.owner_id),
                pains=[
                    (p.severity, ("? " if p.is_hypothesis else "") + clean(p.description))
                    for p in pains
                ],
            )
        )
    return out


def pages(total: int) -> list[tuple[int, int]]:
    """[first, last) stage ranges, one per photo: at most eight stages a photo, at most
    ten photos, stages split evenly."""
    if total <= STAGES_PER_PHOTO:
        return [(0, total)]
    count = min(MAX_PHOTOS, math.ceil(total / STAGES_PER_PHOTO))
    per = math.ceil(total / count)
    return [(i, min(total, i + per)) for i in range(0, total, per)]


def _signed(value: float, lang: str) -> str:
    text = number(lang, abs(value), 1)
    return text if text == "0" else ("+" if value > 0 else "−") + text


def _header(out: Layout, content: Content, note: str) -> float:
    width = WIDTH - 2 * MARGIN
    y = MARGIN
    for text, size, colour, bold in (
        (content.title, TITLE, style.INK, True),
        (content.subtitle, SMALL, style.MUTED, False),
        (content.summary, SMALL, style.ACCENT, True),
        (note, SMALL, style.FLAG, True),
    ):
        if text:
            lines = wrap_clamped(text, width, size, 3, bold)
            add_text(out, MARGIN, y, lines, size, colour, "header", bold)
            y += len(lines) * line_height(size) + 2
    out.cells.append(Cell("header", Box(MARGIN, MARGIN, width, y - MARGIN), 1, 1))
    return y + 6


def _emotion(out: Layout, d: StageDigest, right: float, y: float, lang: str, key: str) -> None:
    """A dot on a −2…+2 track, with the mean written under it."""
    track = Box(right - SCALE_W, y + 5, SCALE_W, 4)
    out.rects.append(RectItem(Box(track.x, track.y, track.w / 2, track.h), style.EMOTION_NEGATIVE))
    half = Box(track.x + track.w / 2, track.y, track.w / 2, track.h)
    out.rects.append(RectItem(half, style.EMOTION_POSITIVE))
    out.rects.append(RectItem(track, "none", style.GRID))
    out.lines.append(
        (track.x + track.w / 2, track.y - 3, track.x + track.w / 2, track.bottom + 3, style.MUTED)
    )
    if d.emotion is None:
        text = t_plain(lang, "map.emotion.none")
    else:
        x = track.x + (d.emotion + 2) / 4 * track.w
        colour = style.FLAG if d.flagged else style.EMOTION_LINE
        out.rects.append(
            RectItem(Box(x - 4.5, track.y - 2.5, 9, 9), colour, "#FFFFFF", rounded=True)
        )
        text = t_plain(lang, "map.phone.emotion", mean=_signed(d.emotion, lang))
    ends = ("−2", "+2")
    add_text(out, track.x, track.bottom + 4, [ends[0]], SMALL, style.MUTED, key)
    add_text(
        out,
        track.right - text_width(ends[1], SMALL),
        track.bottom + 4,
        [ends[1]],
        SMALL,
        style.MUTED,
        key,
    )
    mid = track.x + track.w / 2 - text_width(text, SMALL, True) / 2
    add_text(out, mid, track.bottom + 4, [text], SMALL, style.INK, key, bold=True)


def _facts(d: StageDigest, lang: str) -> list[str]:
    if any(d.kpis.values()):
        kpi = t_plain(
            lang, "map.phone.kpis", met=d.kpis["green"], near=d.kpis["amber"], missed=d.kpis["red"]
        )
        if d.kpis["none"]:
            kpi += f" · – {d.kpis['none']}"
    else:
        kpi = t_plain(lang, "map.phone.no_kpis")
    parts = [counted(lang, "map.count.touchpoints", d.touchpoints)]
    if d.stale:
        parts.append(counted(lang, "map.phone.stale", d.stale))
    if d.no_owner:
        parts.append(counted(lang, "map.phone.no_owner", d.no_owner))
    facts = [kpi, " · ".join(parts)]
    if d.flags:
        facts.append("⚠ " + counted(lang, "map.count.flags", d.flags))
    return facts


def _stage(out: Layout, d: StageDigest, y: float, lang: str) -> float:
    """A stage's card from ``y``; returns its bottom."""
    key = f"stage:{d.number}"
    x = MARGIN + PAD
    inner = WIDTH - 2 * MARGIN - 2 * PAD
    top = y
    card = len(out.rects)  # the card goes under what is drawn on it
    y += PAD
    name_w = inner - SCALE_W - 12
    lines = wrap_clamped(f"{d.number}. {d.name}", name_w, HEAD, 2, bold=True)
    add_text(out, x, y, lines, HEAD, style.ACCENT, key, bold=True)
    _emotion(out, d, x + inner, y, lang, key)
    y += max(len(lines) * line_height(HEAD), 5 + 4 + 4 + line_height(SMALL)) + 4
    for fact in _facts(d, lang):
        fact_lines = wrap_clamped(fact, inner, SMALL, 2)
        colour = style.FLAG if fact.startswith("⚠") else style.MUTED
        add_text(out, x, y, fact_lines, SMALL, colour, key)
        y += len(fact_lines) * line_height(SMALL) + 1
    y += 3
    if not d.pains:
        add_text(out, x, y, [t_plain(lang, "map.phone.no_pains")], BODY, style.MUTED, key)
        y += line_height(BODY) + 2
    marks_w = text_width("●●● ", BODY)
    for severity, text in d.pains[:PAINS_SHOWN]:
        add_text(out, x, y, [style.SEVERITY_MARKS[severity]], BODY, style.INK, key)
        pain = wrap_clamped(text, inner - marks_w, BODY, 2)
        add_text(out, x + marks_w, y, pain, BODY, style.INK, key)
        y += len(pain) * line_height(BODY) + 2
    hidden = len(d.pains) - PAINS_SHOWN
    if hidden > 0:
        add_text(
            out,
            x + marks_w,
            y,
            [t_plain(lang, "map.more", n=hidden)],
            SMALL,
            style.MUTED,
            key,
            True,
        )
        y += line_height(SMALL) + 2
    bottom = y + PAD - 2
    box = Box(MARGIN, top, WIDTH - 2 * MARGIN, bottom - top)
    edge = style.FLAG if d.flags else style.CARD_EDGE
    width = 1.2 if d.flags else 0.6
    out.rects.insert(card, RectItem(box, "#FFFFFF", edge, rounded=True, linewidth=width))
    out.cells.append(Cell(key, box, len(d.pains), min(len(d.pains), PAINS_SHOWN)))
    return bottom


def layouts(journey: JourneyMap, lang: str) -> list[Layout]:
    """One layout per photo of the summary."""
    content = build(journey, lang)
    stages = digest(journey, content)
    total = len(stages)
    ranges = pages(total)
    out = []
    for first, last in ranges:
        if len(ranges) > 1:
            note = t_plain(lang, "map.partial", first=first + 1, last=last, total=total)
        else:
            note = t_plain(lang, "map.phone.full")
        lay = Layout(width=WIDTH, height=0.0, stage_range=(first, last))
        y = _header(lay, content, note)
        if not stages:
            add_text(lay, MARGIN, y, [t_plain(lang, "map.no_stages")], BODY, style.MUTED, "header")
            y += line_height(BODY)
        for d in stages[first:last]:
            y = _stage(lay, d, y, lang) + 6
        lay.height = max(y + MARGIN - 6, WIDTH / style.MAX_ASPECT)
        out.append(lay)
    return out


def min_text_px(lay: Layout) -> float:
    """The smallest text's size in pixels at the photo's width of 1,280 px."""
    return min(t.size for t in lay.texts) * SCALE
