"""The owner's side of a review in chat, transport-neutral: pressing a card's button and,
for "Update KPI", the number typed next. ("Add pain point" runs the pain-point flow
through the engine: flows/review/pain.py; the transactions around these are in
flows/review/actions.py.)

A typed answer expected by a review is remembered as a position in the pseudo-workshop
``~review`` (so a restart keeps it) and takes precedence over the workshop flows until it
is answered or cancelled. Every function returns a :class:`~flows.workshop.versions.Change`-like
message (key and parameters) for the transport to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flows.conversation.validation import Invalid, parse_number
from flows.models import Kpi, Member, Position, Review, ReviewStatus
from flows.ports import UnitOfWork
from flows.review import cycle as rv
from flows.workshop.messages import Result

SLOT = "~review"


@dataclass
class Said(Result):
    """What the owner is told; the review it leaves (``review``) is re-armed when it is
    scheduled again, and its round may have ended."""

    choices: list[tuple[str, str]] = field(default_factory=list)  # (label, kpi id)
    error: tuple[str, dict[str, Any]] | None = None  # shown before the question again
    done: bool = False
    review: Review | None = None

    def __post_init__(self) -> None:
        if self.review is not None:
            self.rounds_of = self.review.workshop_id
            if self.review.status == ReviewStatus.SCHEDULED:
                self.moved = [self.review]


async def pending(uow: UnitOfWork, person_id: str) -> Position | None:
    return await uow.positions.get(person_id, SLOT)


async def _expect(uow: UnitOfWork, person_id: str, step: str, **cursor: str) -> None:
    position = await pending(uow, person_id) or Position(person_id=person_id, workshop_id=SLOT)
    position.flow, position.step, position.cursor = "review", step, dict(cursor)
    await uow.positions.save(position)


async def forget(uow: UnitOfWork, person_id: str) -> bool:
    had = await pending(uow, person_id) is not None
    if had:
        await uow.positions.delete(person_id, SLOT)
    return had


async def member_for(uow: UnitOfWork, person_id: str, review_id: str) -> Member:
    found = await uow.items.get(Review, review_id)
    if found is None:
        raise rv.ReviewError("review.error.unknown")
    member = await uow.items.member_of(found.workshop_id, person_id)
    if member is None:
        raise rv.ReviewError("review.error.not_owner")
    return member


def _day(ctx: rv.OpenReview, when: datetime) -> str:
    """A date as the owner reads it: in their time zone, else the workshop's."""
    zone = ZoneInfo(ctx.owner.timezone or ctx.workshop.timezone)
    return when.astimezone(zone).strftime("%d.%m.%Y")


async def press(
    uow: UnitOfWork, person_id: str, action: str, review_id: str, extra: str, now: datetime
) -> Said:
    """A card button: ok, kpi, k (a chosen KPI), snz. Raises ReviewError."""
    member = await member_for(uow, person_id, review_id)
    ctx = await rv.load_review(uow, review_id, member)
    name = ctx.touchpoint.name
    if action == "ok":
        following = await rv.confirm(uow, review_id, member, now)
        params = {"touchpoint": name, "next": _day(ctx, following.due_at)}
        return Said("review.done", params, done=True, review=following)
    if action == "snz":
        snoozed = await rv.snooze(uow, review_id, member, now)
        params = {"touchpoint": name, "next": _day(ctx, snoozed.due_at)}
        return Said("review.snoozed", params, done=True, review=snoozed)
    kpis = [
        k
        for k in await uow.items.list(ctx.workshop.id, Kpi)
        if k.touchpoint_id == ctx.touchpoint.id
    ]
    if action == "k":
        kpis = [k for k in kpis if k.id == extra]
    if not kpis:
        raise rv.ReviewError("review.error.unknown_kpi")
    if len(kpis) > 1:
        return Said(
            "review.kpi.choose", {"touchpoint": name}, choices=[(k.name, k.id) for k in kpis]
        )
    await _expect(uow, person_id, "kpi", review=review_id, kpi=kpis[0].id)
    return _kpi_question(kpis[0])


def _kpi_question(kpi: Kpi) -> Said:
    target = "—" if kpi.target is None else f"{kpi.target:g}"
    unit = f", {kpi.unit}" if kpi.unit else ""
    return Said("review.kpi.ask", {"kpi": kpi.name, "unit": unit, "target": target})


async def typed(uow: UnitOfWork, person_id: str, text: str, now: datetime) -> Said | None:
    """A typed answer while a review waits for one; None when none is expected. An
    invalid answer gets its error and the same question again (raises nothing)."""
    position = await pending(uow, person_id)
    if position is None:
        return None
    review_id = str(position.cursor.get("review") or "")
    try:
        member = await member_for(uow, person_id, review_id)
        return await _typed_kpi(uow, position, member, text, now)
    except rv.ReviewError as exc:
        await forget(uow, person_id)
        return Said(exc.key, done=True)


async def _typed_kpi(
    uow: UnitOfWork, position: Position, member: Member, text: str, now: datetime
) -> Said:
    kpi = await uow.items.get(Kpi, str(position.cursor.get("kpi") or ""))
    if kpi is None:
        raise rv.ReviewError("review.error.unknown_kpi")
    try:
        value = parse_number(text)
    except Invalid as bad:
        again = _kpi_question(kpi)
        again.error = (bad.text.key, dict(bad.text.params))
        return again
    following = await rv.record_kpi(uow, str(position.cursor["review"]), member, kpi.id, value, now)
    await forget(uow, position.person_id)
    return Said(
        "review.kpi.saved", {"kpi": kpi.name, "value": f"{value:g}"}, done=True, review=following
    )
