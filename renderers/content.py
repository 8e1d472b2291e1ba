"""What the map says, before any geometry: per stage and lane, the entries (paragraphs of
text and their colours), the emotion statistics, and the header. All text is translated
here (``map.*`` keys) and cleaned for the font."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flows.models import (
    Idea,
    JourneyMap,
    Kpi,
    KpiReading,
    PainPoint,
    PainStatus,
    Persona,
    Touchpoint,
)
from flows.texts import counted, number, t_plain
from flows.texts.numbers import amount
from flows.workshop import insights
from renderers import style
from renderers.tables import PERSONA_FIELDS
from renderers.text import clean


@dataclass(frozen=True)
class Trend:
    """A KPI's readings in time order, its target (None: none set) and the colour of the
    latest reading's status, for the small chart in its card."""

    values: tuple[float, ...]
    target: float | None
    colour: str


@dataclass(frozen=True)
class Entry:
    paragraphs: tuple[str, ...]
    stripe: str = style.NO_DEPARTMENT
    face: str = "#FFFFFF"
    ink: str = style.INK
    dashed: bool = False
    edge: str = style.CARD_EDGE  # a status's colour (KPI), or ink as bold as a severity
    edge_w: float = 0.6
    meta_ink: str = style.MUTED
    chart: Trend | None = None  # a KPI's readings, drawn under its text
    ref: str = ""  # the id of the item shown (the interactive map opens its details)


@dataclass
class StageContent:
    stage_id: str
    number: int
    name: str
    lanes: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    emotion: insights.EmotionStat | None = None
    emotion_flag: bool = False


@dataclass
class Content:
    lang: str
    title: str
    subtitle: str
    summary: str
    stages: list[StageContent]
    persona: list[tuple[str, str]]  # (label, value); the first is (name, basis)
    departments: list[tuple[str, str]]  # (name, colour)
    personas: list[list[tuple[str, str]]] = field(default_factory=list)  # each, like persona
    facts: list[str] = field(default_factory=list)  # the map at a glance, under the legend


def _date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def last_change(journey: JourneyMap) -> datetime:
    """When the map's content last changed (its items' newest edit, never after the moment
    the map was taken): the date the map is of, however much later it is drawn."""
    items = [
        *journey.stages,
        *journey.notes,
        *journey.emotions,
        *journey.touchpoints,
        *journey.kpis,
        *journey.readings,
        *journey.pains,
        *journey.ideas,
        *journey.personas,
    ]
    newest = max((i.updated_at for i in items), default=journey.generated_at)
    return min(newest, journey.generated_at)


def map_date(journey: JourneyMap) -> datetime:
    """The date in the header: a version's publication, a draft's last change."""
    return journey.published_at or last_change(journey)


class _Builder:
    def __init__(self, journey: JourneyMap, lang: str) -> None:
        self.j = journey
        self.lang = lang
        self.colour = {
            d.id: style.DEPARTMENT_COLOURS[i % len(style.DEPARTMENT_COLOURS)]
            for i, d in enumerate(journey.departments)
        }
        self.dept_name = {
            d.id: clean(insights.department_label(d, lang)) for d in journey.departments
        }
        self.member = {m.id: m for m in journey.members}
        self.tp = {tp.id: tp for tp in journey.touchpoints}
        self.readings: dict[str, list[KpiReading]] = {}
        for reading in journey.readings:
            self.readings.setdefault(reading.kpi_id, []).append(reading)
        self.kpi_status = {
            k.id: insights.kpi_status(k, self.readings.get(k.id, ())) for k in journey.kpis
        }

    def t(self, key: str, **params: object) -> str:
        return t_plain(self.lang, "map." + key, **params)

    def counted(self, key: str, count: int) -> str:
        return counted(self.lang, "map.count." + key, count)

    def dept(self, dept_id: str | None) -> str:
        return self.dept_name.get(dept_id or "", "")

    def stripe(self, dept_id: str | None) -> str:
        return self.colour.get(dept_id or "", style.NO_DEPARTMENT)

    def person(self, member_id: str | None) -> str:
        member = self.member.get(member_id or "")
        return clean(member.name) if member else ""

    def channel(self, channel: str) -> str:
        key = "channel." + channel
        text = self.t(key)
        return clean(channel.replace("_", " ")) if text == "map." + key else text


def _stale(entry: Entry, days: int, b: _Builder) -> Entry:
    return Entry(
        (*entry.paragraphs, b.counted("stale_days", days)),
        stripe=entry.stripe,
        face=style.STALE_FACE,
        ink=style.STALE_INK,
        dashed=entry.dashed,
        meta_ink=style.STALE_INK,
        chart=entry.chart,
        ref=entry.ref,
        edge=entry.edge,
        edge_w=entry.edge_w,
    )


def _touchpoint(tp: Touchpoint, b: _Builder) -> Entry:
    where = b.t("online") if tp.online else b.t("offline")
    meta = " · ".join(x for x in (b.channel(tp.channel), where, b.dept(tp.department_id)) if x)
    if not tp.controllable:
        meta += " · " + b.t("uncontrollable")
    entry = Entry(
        (clean(tp.name), meta),
        b.stripe(tp.department_id),
        style.tint(b.stripe(tp.department_id), 0.9),
        ref=tp.id,
    )
    stale = insights.touchpoint_staleness(b.j, tp)
    return _stale(entry, stale.days, b) if stale.stale else entry


def _owner(tp: Touchpoint, b: _Builder) -> Entry:
    name = b.person(tp.owner_id)
    if not name:
        paragraphs = (b.t("owner.none"), clean(tp.name))
        return Entry(paragraphs, b.stripe(tp.department_id), ink=style.MUTED, ref=tp.id)
    member = b.member.get(tp.owner_id or "")
    dept = b.dept(member.department_id if member else None)
    entry = Entry(
        (f"{name} · {dept}" if dept else name, "→ " + clean(tp.name)),
        b.stripe(tp.department_id),
        ref=tp.id,
    )
    stale = insights.touchpoint_staleness(b.j, tp)
    return _stale(entry, stale.days, b) if stale.stale else entry


_TREND = {"up": "↑", "down": "↓", "flat": "→"}


def _kpi(kpi: Kpi, b: _Builder) -> Entry:
    status = b.kpi_status[kpi.id]
    unit = clean(kpi.unit)
    value = b.t("kpi.no_data") if status.latest is None else amount(b.lang, status.latest, unit)
    line = f"{style.KPI_ICONS[status.rag]} {value}"
    if status.target is not None:
        line += " / " + b.t("kpi.target", target=amount(b.lang, status.target, unit))
    if status.trend:
        line += f"  {_TREND[status.trend]}"
    tp = b.tp.get(kpi.touchpoint_id or "")
    paragraphs = (clean(kpi.name), line) + ((("→ " + clean(tp.name)),) if tp else ())
    colour = style.RAG_COLOURS[status.rag]
    chart = Trend(status.values, status.target, colour) if status.values else None
    dept = kpi.department_id or (tp.department_id if tp else None)
    edge, width = (colour, style.STATUS_EDGE_W) if status.rag != "none" else (style.CARD_EDGE, 0.6)
    entry = Entry(paragraphs, b.stripe(dept), chart=chart, edge=edge, edge_w=width, ref=kpi.id)
    stale = insights.kpi_staleness(b.j, kpi, touchpoints=b.tp, readings=b.readings.get(kpi.id, ()))
    return _stale(entry, stale.days, b) if stale.stale else entry


def _pain(pain: PainPoint, b: _Builder) -> Entry:
    text = clean(pain.description)
    if pain.is_hypothesis:
        text = "? " + text
    who = b.dept(pain.department_id)
    if not pain.anonymous and b.person(pain.author_id):
        who = b.person(pain.author_id) + (f", {who}" if who else "")
    meta = [f"{style.SEVERITY_MARKS[pain.severity]} " + b.t("severity", level=pain.severity)]
    if pain.is_hypothesis:
        meta.append(b.t("hypothesis"))
    elif pain.evidence_kind:
        meta.append(b.t("evidence." + pain.evidence_kind.value))
    if who:
        meta.append(who)
    colour = b.stripe(pain.department_id)
    edge, width = style.SEVERITY_EDGES[pain.severity]
    return Entry(
        (text, " · ".join(meta)),
        colour,
        style.tint(colour, 0.92),
        dashed=pain.is_hypothesis,
        edge=edge,
        edge_w=width,
        ref=pain.id,
    )


def _idea(idea: Idea, b: _Builder) -> Entry:
    text = ("★ " if idea.quick_win else "") + clean(idea.description)
    meta = [b.t("effort", effort=idea.effort.value), b.t("status." + idea.status.value)]
    if idea.due:
        meta.append(b.t("due", date=idea.due.isoformat()))
    if b.person(idea.owner_id):
        meta.append(b.person(idea.owner_id))
    owner = b.member.get(idea.owner_id or "")
    colour = b.stripe(idea.department_id or (owner.department_id if owner else None))
    return Entry((text, " · ".join(meta)), colour, style.tint(colour, 0.92), ref=idea.id)


def _disagreement(d: insights.Disagreement, b: _Builder) -> Entry:
    if d.kind == "emotion":
        hi, lo = d.detail.split("/")
        text = b.t(
            "flag.emotion",
            high=b.dept(d.departments[0]),
            high_score=hi,
            low=b.dept(d.departments[1]),
            low_score=lo,
        )
    else:
        text = b.t(
            "flag.pain",
            department=b.dept(d.departments[0]),
            others=", ".join(b.dept(x) for x in d.departments[1:]),
        )
    return Entry(("⚠ " + text,), style.FLAG, style.FLAG_FACE, ink=style.FLAG)


def _notes(journey: JourneyMap, b: _Builder, stages: dict[str, StageContent]) -> None:
    for note in journey.notes:
        if note.stage_id in stages:
            colour = b.stripe(note.department_id)
            stages[note.stage_id].lanes[note.lane.value].append(
                Entry((clean(note.text),), colour, style.tint(colour, 0.92), ref=note.id)
            )


def _items(journey: JourneyMap, b: _Builder, stages: dict[str, StageContent]) -> None:
    for tp in sorted(
        journey.touchpoints,
        key=lambda x: list(b.colour).index(x.department_id) if x.department_id in b.colour else 99,
    ):
        if tp.stage_id in stages:
            stages[tp.stage_id].lanes["touchpoints"].append(_touchpoint(tp, b))
            stages[tp.stage_id].lanes["owners"].append(_owner(tp, b))
    rag_rank = {"red": 0, "amber": 1, "none": 2, "green": 3}
    kpis = sorted(journey.kpis, key=lambda k: rag_rank[b.kpi_status[k.id].rag])
    for kpi in kpis:
        stage_id = kpi.stage_id or getattr(b.tp.get(kpi.touchpoint_id or ""), "stage_id", None)
        if stage_id in stages:
            stages[stage_id].lanes["kpis"].append(_kpi(kpi, b))
    pains = [p for p in journey.pains if p.status is PainStatus.OPEN and p.stage_id in stages]
    pain_stage = {p.id: p.stage_id for p in pains}
    for pain in sorted(pains, key=lambda p: (-p.severity, p.is_hypothesis)):
        stages[pain.stage_id].lanes["pains"].append(_pain(pain, b))
    for idea in sorted(journey.ideas, key=lambda i: not i.quick_win):
        if idea.pain_id in pain_stage:
            stages[pain_stage[idea.pain_id]].lanes["ideas"].append(_idea(idea, b))


def _personas(journey: JourneyMap, b: _Builder) -> list[list[tuple[str, str]]]:
    """Every persona, those the stages are mapped for first."""
    wanted = {s.persona_id for s in journey.stages if s.persona_id}
    ordered = sorted(journey.personas, key=lambda p: p.id not in wanted)
    return [_persona(p, b) for p in ordered] or [[(b.t("persona.none"), "")]]


def _persona(persona: Persona, b: _Builder) -> list[tuple[str, str]]:
    rows = [(clean(persona.name), b.t("basis." + persona.basis.value))]
    for name in PERSONA_FIELDS:
        value = clean(getattr(persona, name))
        others = [clean(a.text) for a in persona.alternatives if a.field == name]
        if value:  # colleagues' differing answers beside it: a disagreement to discuss
            rows.append((b.t("persona." + name), " ≠ ".join([value, *others])))
    return rows


def _facts(journey: JourneyMap, b: _Builder, stages: list[StageContent]) -> list[str]:
    """The map at a glance: where emotion is lowest and highest, KPI status counts, the
    touchpoints' confirmation and ownership, the most severe open pain points."""
    facts = []
    scored = [s for s in stages if s.emotion is not None]
    if scored:
        for key, stage in (
            ("facts.lowest", min(scored, key=lambda s: s.emotion.mean)),  # type: ignore[union-attr]
            ("facts.highest", max(scored, key=lambda s: s.emotion.mean)),  # type: ignore[union-attr]
        ):
            mean = stage.emotion.mean if stage.emotion else 0.0
            sign = "" if round(mean, 1) == 0 else ("+" if mean > 0 else "−")
            facts.append(
                b.t(
                    key,
                    stage=f"{stage.number}. {stage.name}",
                    mean=sign + number(b.lang, abs(mean), 1),
                )
            )
    rags = [insights.kpi_status(k, journey.readings).rag for k in journey.kpis]
    if rags:
        facts.append(
            t_plain(
                b.lang,
                "map.phone.kpis",
                met=rags.count("green"),
                near=rags.count("amber"),
                missed=rags.count("red"),
            )
        )
    tps = journey.touchpoints
    parts = [b.counted("touchpoints", len(tps))]
    stale = sum(insights.touchpoint_staleness(journey, tp).stale for tp in tps)
    orphans = sum(1 for tp in tps if not tp.owner_id)
    if stale:
        parts.append(counted(b.lang, "map.phone.stale", stale))
    if orphans:
        parts.append(counted(b.lang, "map.phone.no_owner", orphans))
    facts.append(" · ".join(parts))
    number_of = {s.stage_id: s.number for s in stages}
    pains = sorted(
        (p for p in journey.pains if p.status is PainStatus.OPEN and p.stage_id in number_of),
        key=lambda p: (-p.severity, p.is_hypothesis, number_of[p.stage_id]),
    )
    if pains:
        facts.append(b.t("facts.pains"))
        facts += [
            f"{style.SEVERITY_MARKS[p.severity]} {number_of[p.stage_id]}. {clean(p.description)}"
            for p in pains[:3]
        ]
    return facts


def build(journey: JourneyMap, lang: str) -> Content:
    b = _Builder(journey, lang)
    stages = {
        s.id: StageContent(s.id, i + 1, clean(insights.stage_label(s, lang)) or "—")
        for i, s in enumerate(journey.stages)
    }
    _notes(journey, b, stages)
    _items(journey, b, stages)
    for stage_id, stat in insights.emotion_summary(journey).items():
        if stage_id in stages:
            stages[stage_id].emotion = stat
    found = insights.disagreements(journey)
    for d in found:
        stages[d.stage_id].lanes["discuss"].append(_disagreement(d, b))
        stages[d.stage_id].emotion_flag |= d.kind == "emotion"
    ws = journey.workshop
    personas = _personas(journey, b)
    stale = sum(
        e.ink == style.STALE_INK
        for s in stages.values()
        for lane in ("touchpoints", "kpis")
        for e in s.lanes[lane]
    )
    subtitle = " · ".join(
        x
        for x in (
            clean(ws.product),
            b.t("version", number=journey.version) if journey.version else b.t("draft"),
            _date(map_date(journey)),
        )
        if x
    )
    summary = " · ".join(
        b.counted(key, count)
        for key, count in (
            ("stages", len(stages)),
            ("touchpoints", len(journey.touchpoints)),
            ("pains", len(journey.pains)),
            ("flags", len(found)),
            ("stale", stale),
        )
    )
    return Content(
        lang=lang,
        title=clean(ws.title) or "—",
        subtitle=subtitle,
        summary=summary,
        stages=list(stages.values()),
        persona=personas[0],
        personas=personas,
        facts=_facts(journey, b, list(stages.values())),
        departments=[(b.dept(d.id) or "—", b.colour[d.id]) for d in journey.departments],
    )
