"""The facilitators' weekly digest: reviewed, overdue, changed, unreachable owners, stale
items — as message lines (key and parameters) the transport translates."""

from __future__ import annotations

from datetime import datetime, timedelta

from flows.conversation.outcome import Line
from flows.models import JourneyMap, Member, Review, ReviewStatus, Workshop
from flows.ports import UnitOfWork
from flows.review import cycle as rv
from flows.review import rules
from flows.workshop.insights import kpi_staleness, touchpoint_staleness

WEEK = timedelta(days=7)
MAX_LINES = 25


async def weekly(
    uow: UnitOfWork, workshop: Workshop, now: datetime, overdue_days: int
) -> list[Line]:
    items = await uow.items.all_of_workshop(workshop.id)
    journey = JourneyMap.from_items(workshop, items, at=now)
    reviews = [i for i in items if isinstance(i, Review)]
    reviewed = [
        r
        for r in reviews
        if r.status == ReviewStatus.DONE and r.answered_at and now - r.answered_at <= WEEK
    ]
    late = await rv.overdue(uow, workshop.id, now, overdue_days)
    changed = [
        i
        for i in items
        if not isinstance(i, Review) and i.updated_at and now - i.updated_at <= WEEK
    ]
    lines = [
        Line(
            key="review.digest",
            params={
                "workshop": workshop.title,
                "reviewed": len(reviewed),
                "overdue": len(late),
                "changed": len(changed),
            },
        )
    ]
    lines += await rules.escalations(uow, workshop, now)  # what the rules escalated, first
    lines += _overdue_lines(journey, late)
    lines += [
        Line(key="review.digest.unreachable", params={"name": m.name})
        for m in journey.members
        if m.unreachable
    ]
    lines += _stale_lines(journey, now)
    for item in late:
        if item.escalated_at is None:
            item.escalated_at = now
            await uow.items.update(item)
    return lines[:MAX_LINES]


def _overdue_lines(journey: JourneyMap, late: list[Review]) -> list[Line]:
    names = {t.id: t.name for t in journey.touchpoints}
    owners: dict[str, Member] = {m.id: m for m in journey.members}
    return [
        Line(
            key="review.digest.overdue",
            params={
                "touchpoint": names.get(r.touchpoint_id, "?"),
                "owner": owners[r.owner_id].name if r.owner_id in owners else "?",
                "since": r.sent_at.strftime("%d.%m.%Y") if r.sent_at else "",
            },
        )
        for r in late
    ]


def _stale_lines(journey: JourneyMap, now: datetime) -> list[Line]:
    out = []
    for tp in journey.touchpoints:
        state = touchpoint_staleness(journey, tp, now)
        if state.stale:
            out.append(
                Line(key="review.digest.stale", params={"name": tp.name, "days": state.days})
            )
    for kpi in journey.kpis:
        state = kpi_staleness(journey, kpi, now)
        if state.stale:
            out.append(
                Line(key="review.digest.stale", params={"name": kpi.name, "days": state.days})
            )
    return out
