"""Rules on the living map, in the spirit of a customer-journey builder: a trigger (what
to watch), a wait (how many readings, cadences or days), an action. Facilitators add them
with ``/rules`` (``flows.review.rules_flow``); the scheduler calls :func:`evaluate` once
per sweep.

* ``kpi_misses`` — a KPI misses its target in N readings in a row → its touchpoint's owner
  is asked for the pain point behind it and the facilitators are told;
* ``unconfirmed`` — a touchpoint has not been confirmed for N review cadences → it is
  escalated in the facilitators' weekly digest (:func:`escalations`);
* ``pain_without_idea`` — a pain point of severity 3 has had no idea for N days → the
  members of its department are reminded.

Each firing is stored once (:class:`~flows.models.RuleFiring`) under a key made of the
rule, the subject and the instance of the condition: the first reading of the miss run,
the moment the touchpoint was last confirmed, the moment the pain point was left without
an idea. The same condition never fires twice; a new run, stretch or gap fires again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flows.conversation.outcome import Line
from flows.models import (
    Idea,
    JourneyMap,
    KpiReading,
    Member,
    PainStatus,
    Person,
    Role,
    Rule,
    RuleFiring,
    RuleTrigger,
    Touchpoint,
    Workshop,
)
from flows.ports import UnitOfWork
from flows.texts import t_plain
from flows.texts.numbers import amount
from flows.workshop.insights import rag_for, stage_label, touchpoint_cadence
from flows.workshop.messages import Notice, notice

# the wait asked in /rules per trigger: the default first, then the other buttons
CHOICES: dict[RuleTrigger, tuple[int, ...]] = {
    RuleTrigger.KPI_MISSES: (2, 3, 5),
    RuleTrigger.UNCONFIRMED: (2, 1, 3),
    RuleTrigger.PAIN_WITHOUT_IDEA: (14, 7, 30),
}
SEVERE = 3  # the severity a pain point must have for pain_without_idea
ASK_OWNER = "rules.fired.kpi_misses.owner"  # sent with an "Add pain point" button
MISS = ("amber", "red")  # a reading's status against the target that counts as a miss


def default_count(trigger: RuleTrigger) -> int:
    return CHOICES[trigger][0]


def describe(lang: str, rule: Rule) -> str:
    """The rule in words: "When a KPI misses its target 2 readings in a row → ..."."""
    return t_plain(lang, f"rules.describe.{rule.trigger.value}", n=rule.count)


# ------------------------------------------------------------------------ conditions


@dataclass(frozen=True)
class Condition:
    """One instance of a rule's condition: what it is about (a KPI, touchpoint or pain
    point id), which instance, and the message parameters (``_``-names are not shown)."""

    subject: str
    instance: str
    params: dict[str, Any] = field(default_factory=dict)


def _stamp(at: datetime) -> str:
    return str(int(at.timestamp()))


def _kpi_misses(rule: Rule, journey: JourneyMap, now: datetime) -> Iterable[Condition]:
    by_kpi: dict[str, list[KpiReading]] = {}
    for reading in journey.readings:
        by_kpi.setdefault(reading.kpi_id, []).append(reading)
    touchpoints = {tp.id: tp for tp in journey.touchpoints}
    for kpi in journey.kpis:
        if kpi.target is None:
            continue  # without a target nothing can miss it
        own = sorted(by_kpi.get(kpi.id, []), key=lambda r: (r.at, r.created_at))
        start = len(own)  # the trailing run of readings that miss the target
        while start > 0 and rag_for(own[start - 1].value, kpi.target, kpi.direction) in MISS:
            start -= 1
        run = own[start:]
        if len(run) < rule.count:
            continue
        tp = touchpoints.get(kpi.touchpoint_id or "")
        yield Condition(
            subject=kpi.id,
            instance=run[0].id,
            params={
                "kpi": kpi.name,
                "touchpoint": tp.name if tp else "—",
                "count": len(run),
                "value": run[-1].value,  # written in the KPI's unit for the reader
                "target": kpi.target,
                "_unit": kpi.unit,
                "_owner": tp.owner_id if tp else None,
                "_touchpoint": tp.id if tp else None,
            },
        )


def _unconfirmed(rule: Rule, journey: JourneyMap, now: datetime) -> Iterable[Condition]:
    for tp in journey.touchpoints:
        since = tp.last_confirmed_at or tp.created_at
        if now - since >= timedelta(days=rule.count * touchpoint_cadence(journey, tp)):
            yield Condition(subject=tp.id, instance=_stamp(since))


def _pain_without_idea(
    rule: Rule, journey: JourneyMap, now: datetime, dropped: dict[str, datetime]
) -> Iterable[Condition]:
    with_ideas = {i.pain_id for i in journey.ideas}
    stages = {s.id: s for s in journey.stages}
    for pain in journey.pains:
        if pain.severity < SEVERE or pain.status != PainStatus.OPEN or pain.id in with_ideas:
            continue
        since = max(pain.created_at, dropped.get(pain.id, pain.created_at))
        if now - since < timedelta(days=rule.count):
            continue
        stage = stages.get(pain.stage_id)
        yield Condition(
            subject=pain.id,
            instance=_stamp(since),
            params={
                "pain": pain.description,
                "stage": stage_label(stage, journey.workshop.language) if stage else "",
                "days": (now - since).days,
                "_department": pain.department_id,
            },
        )


async def _last_idea_dropped(uow: UnitOfWork, workshop_id: str) -> dict[str, datetime]:
    """When each pain point last lost an idea (a deleted idea leaves it without one)."""
    out: dict[str, datetime] = {}
    for idea in await uow.items.list(workshop_id, Idea, include_deleted=True):
        if idea.deleted_at is not None:
            out[idea.pain_id] = max(out.get(idea.pain_id, idea.deleted_at), idea.deleted_at)
    return out


# ------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Ask:
    """A message to a touchpoint's owner asking for a pain point: sent with an "Add pain
    point" button for that touchpoint (``flows.review.rule_pain``)."""

    notice: Notice
    touchpoint_id: str


@dataclass(frozen=True)
class Fired:
    """A firing just recorded, and the messages it sends."""

    firing: RuleFiring
    notices: list[Notice] = field(default_factory=list)
    asks: list[Ask] = field(default_factory=list)


async def active_rules(uow: UnitOfWork, workshop_id: str) -> list[Rule]:
    return [r for r in await uow.items.list(workshop_id, Rule) if r.enabled]


async def evaluate(
    uow: UnitOfWork, workshop: Workshop, now: datetime, default_lang: str = "en"
) -> list[Fired]:
    """Every condition of the workshop's rules that holds now and has not fired before:
    recorded (in ``uow``, a write) with the messages to send."""
    rules = await active_rules(uow, workshop.id)
    if not rules:
        return []
    items = await uow.items.all_of_workshop(workshop.id)
    journey = JourneyMap.from_items(workshop, items, at=now)
    seen = {i.key for i in items if isinstance(i, RuleFiring)}
    dropped = await _last_idea_dropped(uow, workshop.id)
    conditions: dict[RuleTrigger, Callable[[Rule], Iterable[Condition]]] = {
        RuleTrigger.KPI_MISSES: lambda r: _kpi_misses(r, journey, now),
        RuleTrigger.UNCONFIRMED: lambda r: _unconfirmed(r, journey, now),
        RuleTrigger.PAIN_WITHOUT_IDEA: lambda r: _pain_without_idea(r, journey, now, dropped),
    }
    out: list[Fired] = []
    for rule in rules:
        for found in conditions[rule.trigger](rule):
            key = f"{rule.id}:{found.subject}:{found.instance}"
            if key in seen:
                continue
            seen.add(key)
            firing = RuleFiring(
                workshop_id=workshop.id,
                rule_id=rule.id,
                subject_id=found.subject,
                key=key,
                at=now,
            )
            await uow.items.add(firing)
            notices = await _notices(uow, journey, rule, found, default_lang)
            out.append(Fired(firing, *_split(notices, found)))
    return out


def _split(notices: list[Notice], found: Condition) -> tuple[list[Notice], list[Ask]]:
    """The owner's question goes with a button; the other messages as they are."""
    tp = str(found.params.get("_touchpoint") or "")
    asks = [Ask(n, tp) for n in notices if n.key == ASK_OWNER and tp]
    return [n for n in notices if n.key != ASK_OWNER or not tp], asks


async def _people(uow: UnitOfWork, members: Iterable[Member]) -> list[Person]:
    found = []
    for member in members:
        person = await uow.people.get(member.person_id) if member.person_id else None
        if person is not None and person.chat_id is not None and not person.unreachable:
            found.append(person)
    return found


async def _notices(
    uow: UnitOfWork, journey: JourneyMap, rule: Rule, found: Condition, default_lang: str
) -> list[Notice]:
    lang = journey.workshop.language or default_lang
    params = {k: v for k, v in found.params.items() if not k.startswith("_")}
    params["workshop"] = journey.workshop.title
    for name in ("value", "target"):  # a KPI's reading and target: "31,50 ₽", "3,2 %"
        if isinstance(params.get(name), int | float):
            params[name] = amount(lang, params[name], str(found.params.get("_unit") or ""))
    facilitators = [m for m in journey.members if m.role == Role.FACILITATOR]
    if rule.trigger is RuleTrigger.KPI_MISSES:
        owners = [m for m in journey.members if m.id == found.params.get("_owner")]
        told = [notice(p, lang, ASK_OWNER, **params) for p in await _people(uow, owners)]
        key = "rules.fired.kpi_misses." + (
            "facilitators" if told else "unreachable" if owners else "no_owner"
        )
        named = {**params, "owner": owners[0].name} if owners else params
        return told + [notice(p, lang, key, **named) for p in await _people(uow, facilitators)]
    if rule.trigger is RuleTrigger.PAIN_WITHOUT_IDEA:
        department = found.params.get("_department")
        members = [m for m in journey.members if department and m.department_id == department]
        return [
            notice(p, lang, "rules.fired.pain_without_idea", **params)
            for p in await _people(uow, members or facilitators)
        ]
    return []  # an escalation waits for the digest


# ----------------------------------------------------------------- the weekly digest


async def escalations(uow: UnitOfWork, workshop: Workshop, now: datetime) -> list[Line]:
    """The digest's section of touchpoints escalated by ``unconfirmed`` rules since the
    last digest (each listed once; one confirmed meanwhile is left out)."""
    rules = {
        r.id
        for r in await uow.items.list(workshop.id, Rule)
        if r.trigger is RuleTrigger.UNCONFIRMED
    }
    waiting = [
        f
        for f in await uow.items.list(workshop.id, RuleFiring)
        if f.reported_at is None and f.rule_id in rules
    ]
    if not waiting:
        return []
    members = {m.id: m.name for m in await uow.items.list(workshop.id, Member)}
    lines: list[Line] = []
    for firing in waiting:
        tp = await uow.items.get(Touchpoint, firing.subject_id)
        firing.reported_at = now
        await uow.items.update(firing)
        if (
            tp is None
            or tp.deleted_at is not None
            or (tp.last_confirmed_at is not None and tp.last_confirmed_at > firing.at)
        ):
            continue
        since = tp.last_confirmed_at or tp.created_at
        lines.append(
            Line(
                key="rules.digest.unconfirmed",
                params={
                    "touchpoint": tp.name,
                    "owner": members.get(tp.owner_id or "", "—"),
                    "days": (now - since).days,
                },
            )
        )
    return [Line(key="rules.digest.title", params={}), *lines] if lines else []


__all__ = [
    "CHOICES",
    "Ask",
    "Fired",
    "describe",
    "escalations",
    "evaluate",
]
