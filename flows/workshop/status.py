"""Workshop status for facilitators: progress per department and per person, gaps, and
the disagreement radar (from ``flows.workshop.insights``), as data and as message lines."""

from __future__ import annotations

from dataclasses import dataclass

from flows.conversation.spec import Text
from flows.models import (
    ALL_SECTIONS,
    Department,
    JourneyMap,
    Member,
    Role,
    Section,
    Workshop,
    WorkshopStatus,
)
from flows.ports import UnitOfWork
from flows.steps.saving import bullets
from flows.texts import t_plain
from flows.workshop.insights import (
    Disagreement,
    Gaps,
    department_label,
    disagreements,
    gaps,
    kpi_staleness,
    stage_label,
    touchpoint_staleness,
)


@dataclass(frozen=True)
class PersonProgress:
    member_id: str
    name: str
    department: str
    section: str  # the flow the person is in ("" if none yet)
    finished: bool


@dataclass(frozen=True)
class DepartmentProgress:
    department_id: str
    name: str
    joined: int
    finished: int


@dataclass(frozen=True)
class Status:
    workshop: Workshop
    departments: list[DepartmentProgress]
    people: list[PersonProgress]
    gaps: Gaps
    disagreements: list[Disagreement]


async def workshop_status(uow: UnitOfWork, workshop: Workshop, lang: str) -> Status:
    items = await uow.items.all_of_workshop(workshop.id)
    journey = JourneyMap.from_items(workshop, items)
    positions = {p.person_id: p.flow for p in await uow.positions.of_workshop(workshop.id)}
    depts = {d.id: d for d in journey.departments}
    people = [
        PersonProgress(
            m.id,
            m.name,
            department_label(depts.get(m.department_id or ""), lang),
            positions.get(m.person_id or "", ""),
            m.finished_at is not None,
        )
        for m in journey.members
        if m.person_id and m.role is Role.PARTICIPANT
    ]
    return Status(
        workshop,
        _departments(journey.departments, journey.members, lang),
        people,
        gaps(journey),
        disagreements(journey, _reached_pains(journey, positions)),
    )


def _reached_pains(journey: JourneyMap, positions: dict[str, str]) -> set[str]:
    """Departments with someone who is at the pain-point section or past it (or finished),
    or who reported a pain point already: only they can be silent about one."""
    later = {s.value for s in ALL_SECTIONS[ALL_SECTIONS.index(Section.PAINS) :]}
    out = {p.department_id for p in journey.pains if p.department_id}
    for m in journey.members:
        if m.department_id and (
            m.finished_at is not None or positions.get(m.person_id or "") in later
        ):
            out.add(m.department_id)
    return out


def _departments(
    departments: list[Department], members: list[Member], lang: str
) -> list[DepartmentProgress]:
    out = []
    for d in departments:
        staff = [
            m
            for m in members
            if m.department_id == d.id and m.person_id and m.role is Role.PARTICIPANT
        ]
        done = sum(1 for m in staff if m.finished_at is not None)
        out.append(DepartmentProgress(d.id, department_label(d, lang), len(staff), done))
    return out


def _radar_line(
    d: Disagreement, journey_names: dict[str, str], stage_names: dict[str, str], lang: str
) -> str:
    depts = [journey_names.get(x, x) for x in d.departments]
    key = f"status.radar.{d.kind}"
    return t_plain(
        lang,
        key,
        stage=stage_names.get(d.stage_id, ""),
        a=depts[0],
        b=", ".join(depts[1:]),
        detail=d.detail,
    )


async def status_text(uow: UnitOfWork, workshop: Workshop, lang: str) -> list[Text]:
    """The status screen as message parts (progress, gaps, radar)."""
    status = await workshop_status(uow, workshop, lang)
    journey = JourneyMap.from_items(workshop, await uow.items.all_of_workshop(workshop.id))
    dept_lines = [
        t_plain(lang, "status.department", name=d.name, joined=d.joined, finished=d.finished)
        for d in status.departments
    ]
    person_lines = [
        t_plain(
            lang,
            "status.person.done" if p.finished else "status.person.busy",
            name=p.name,
            department=p.department,
            section=t_plain(lang, f"{p.section}.title") if p.section else "—",
        )
        for p in status.people
    ]
    g = status.gaps
    names = {d.id: department_label(d, lang) for d in journey.departments}
    stages = {s.id: stage_label(s, lang) for s in journey.stages}
    radar = [_radar_line(d, names, stages, lang) for d in status.disagreements]
    radar += _persona_lines(journey, names, lang)
    return [
        Text(
            "status.progress",
            {
                "title": workshop.title,
                "departments": bullets(dept_lines),
                "people": bullets(person_lines) or "—",
            },
        ),
        Text(
            "status.gaps",
            {
                "stages": len(g.stages_without_touchpoints),
                "owners": len(g.touchpoints_without_owner),
                "kpis": len(g.touchpoints_without_kpi),
                "evidence": len(g.pains_without_evidence),
                "ideas": len(g.pains_without_ideas),
            },
        ),
        Text("status.radar", {"items": bullets(radar) or "—"}),
    ] + ([_stale_line(journey)] if workshop.status is WorkshopStatus.PUBLISHED else [])


def _persona_lines(journey: JourneyMap, names: dict[str, str], lang: str) -> list[str]:
    """A persona field colleagues answered differently: the card's value and theirs."""
    lines = []
    for persona in journey.personas:
        for name in dict.fromkeys(a.field for a in persona.alternatives):
            others = [
                f"{a.text} ({names.get(a.department_id or '', '—')})"
                for a in persona.alternatives
                if a.field == name
            ]
            values = " ≠ ".join([str(getattr(persona, name, "")), *others])
            field = t_plain(lang, f"map.persona.{name}")
            lines.append(
                t_plain(
                    lang, "busy.persona.differs", persona=persona.name, field=field, values=values
                )
            )
    return lines


def _stale_line(journey: JourneyMap) -> Text:
    """How many touchpoints and KPIs their owners have not confirmed within the cadence."""
    touchpoints = sum(touchpoint_staleness(journey, tp).stale for tp in journey.touchpoints)
    kpis = sum(kpi_staleness(journey, kpi).stale for kpi in journey.kpis)
    return Text("review.status.stale", {"touchpoints": touchpoints, "kpis": kpis})
