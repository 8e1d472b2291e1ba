"""A membership's end, shared by leaving, removing and forgetting: what it changes in the
workshop, who is told, and the words for it (members named on buttons, counted
touchpoints in the plural form of each language).

Ending a membership keeps the workshop's content: the member's answers stay, under their
department (the member row is soft-deleted, so the map and the exports name no author for
them); touchpoints and ideas they owned lose their owner (facilitators see them among the
gaps in /status), their open reviews are cancelled, handovers to or from them declined,
and their conversation in that workshop ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flows.models import (
    Department,
    Handover,
    HandoverStatus,
    Idea,
    Member,
    Person,
    ReviewStatus,
    Role,
    Touchpoint,
)
from flows.ports import UnitOfWork
from flows.review import cycle as rv
from flows.texts import counted
from flows.workshop.facilitator import NotFound
from flows.workshop.insights import department_label

STALE = "people.closed"  # a confirmation or a choice about a membership that ended


@dataclass
class Ending:
    """What ending a membership changed."""

    touchpoints: int = 0  # left without an owner


def orphans(lang: str, count: int) -> str:
    """A sentence on the touchpoints left without an owner (with a leading space), or
    nothing when there are none."""
    return " " + counted(lang, "people.orphans", count) if count else ""


async def department_of(uow: UnitOfWork, member: Member, lang: str) -> str:
    found = await uow.items.get(Department, member.department_id or "")
    return department_label(found, lang)


async def member_label(uow: UnitOfWork, member: Member, lang: str) -> str:
    """The member's name and department ("Anna · Sales"), short enough for a button."""
    text = " · ".join(x for x in (member.name, await department_of(uow, member, lang)) if x)
    return text if len(text) <= 40 else text[:39] + "…"


def last_facilitator(member: Member, members: list[Member]) -> bool:
    """``member`` is the only facilitator of their workshop who joined."""
    others = [
        m
        for m in members
        if m.role is Role.FACILITATOR and m.person_id and m.id != member.id and not m.deleted_at
    ]
    return member.role is Role.FACILITATOR and not others


async def end_membership(uow: UnitOfWork, member: Member, now: datetime, by: str) -> Ending:
    """The member leaves their workshop (``by`` is the member id the history names)."""
    ending = Ending()
    for tp in await uow.items.list(member.workshop_id, Touchpoint):
        if tp.owner_id == member.id:
            tp.owner_id = None
            await uow.items.update(tp, actor=by)
            ending.touchpoints += 1
    for idea in await uow.items.list(member.workshop_id, Idea):
        if idea.owner_id == member.id:
            idea.owner_id = None
            await uow.items.update(idea, actor=by)
    for review in await rv.open_reviews(uow, member.workshop_id):
        if review.owner_id == member.id:
            review.status = ReviewStatus.CANCELLED
            await uow.items.update(review, actor=by)
    for offer in await uow.items.list(member.workshop_id, Handover):
        if offer.status is HandoverStatus.PENDING and member.id in (offer.from_id, offer.to_id):
            offer.status, offer.answered_at = HandoverStatus.DECLINED, now
            await uow.items.update(offer, actor=by)
    await uow.items.delete(member, actor=by)
    if member.person_id:
        await _step_out(uow, member.person_id, member.workshop_id)
    return ending


async def _step_out(uow: UnitOfWork, person_id: str, workshop_id: str) -> None:
    """The person's conversation in the workshop ends; another of their workshops (if
    any) becomes the current one."""
    await uow.positions.delete(person_id, workshop_id)  # a review's question there too
    person = await uow.people.get(person_id)
    if person is not None and person.current_workshop_id == workshop_id:
        others = await uow.items.memberships(person_id)
        person.current_workshop_id = others[0].workshop_id if others else None
        await uow.people.save(person)


async def facilitators(uow: UnitOfWork, workshop_id: str, *besides: str) -> list[Person]:
    """The people facilitating a workshop, but for the person ids ``besides``."""
    out = []
    for m in await uow.items.list(workshop_id, Member):
        if m.role is Role.FACILITATOR and m.person_id and m.person_id not in besides:
            found = await uow.people.get(m.person_id)
            if found is not None:
                out.append(found)
    return out


async def joined(uow: UnitOfWork, workshop_id: str, member_id: str) -> Member:
    """A live member of the workshop; a button for anyone else is stale."""
    found = await uow.items.get(Member, member_id)
    if found is None or found.workshop_id != workshop_id or found.deleted_at is not None:
        raise NotFound(STALE)
    return found
