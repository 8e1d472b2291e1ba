"""Leaving a workshop, transport-neutral: a member leaves (``/leave``) — the last
facilitator hands the workshop over to another member first — and a facilitator removes a
member (``/remove``). What ending a membership changes is in
:mod:`flows.workshop.membership`; facilitators are told in one line.

Each use case checks access itself and is one transaction; previews (:class:`Confirm`) say
what will happen before the person confirms, and a confirmation about a membership that
ended meanwhile is stale (``NotFound`` with the key ``people.closed``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flows.models import Member, Role, Touchpoint, Workshop
from flows.ports import Clock, Store, UnitOfWork
from flows.texts import t_plain
from flows.workshop.facilitator import AccessDenied, NotFound, require_facilitator, require_member
from flows.workshop.membership import (
    STALE,
    Ending,
    counted,
    department_of,
    end_membership,
    facilitators,
    joined,
    last_facilitator,
    member_label,
    orphans,
)
from flows.workshop.messages import Notice, Result, notice

CONFIRM_MINUTES = 15  # a confirmation of something that cannot be undone stays open this long
CONFIRM_WORDS = ("yes", "y", "да", "tak")  # typed confirmations (the terminal)
CHOICES = 30  # members offered as buttons at most


@dataclass
class Confirm(Result):
    """A question before something that cannot be undone: its text (``key``/``params``),
    whether it can be done (``ok``: a "do it" button), the members to choose from, and the
    membership it is about (a confirmation for a membership that ended is stale)."""

    ok: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)  # (label, member id)
    member_id: str = ""


# ---------------------------------------------------------------- texts and confirmations


def confirmation_stamp(now: datetime) -> str:
    """When a confirmation was asked, to the minute, short enough for a button."""
    return format(int(now.timestamp()) // 60, "x")


def confirmation_open(stamp: str, now: datetime) -> bool:
    """A confirmation asked within the last :data:`CONFIRM_MINUTES`."""
    try:
        asked = int(stamp, 16)
    except ValueError:
        return False
    return 0 <= int(now.timestamp()) // 60 - asked <= CONFIRM_MINUTES


async def _details(uow: UnitOfWork, member: Member, lang: str, prefix: str) -> str:
    """What stays and what changes when ``member`` goes, one line each."""
    dept = await department_of(uow, member, lang)
    lines = [
        t_plain(lang, f"{prefix}.kept", department=dept)
        if dept
        else t_plain(lang, f"{prefix}.kept.none")
    ]
    tps = await uow.items.list(member.workshop_id, Touchpoint)
    owned = sum(1 for tp in tps if tp.owner_id == member.id)
    if owned:
        lines.append(counted(lang, f"{prefix}.owned", owned))
    return "\n".join(lines)


# ------------------------------------------------------------------ whose membership


async def _mine(
    uow: UnitOfWork, person_id: str, workshop_id: str, member_id: str | None
) -> tuple[Workshop, Member]:
    """The person's membership; with ``member_id`` (from a confirmation), that very one."""
    if member_id is None:
        return await require_member(uow, person_id, workshop_id)
    workshop = await uow.workshops.get(workshop_id)
    member = await uow.items.member_of(workshop_id, person_id) if workshop else None
    if workshop is None or member is None or member.id != member_id:
        raise NotFound(STALE)
    return workshop, member


# ---------------------------------------------------------------------------- leave


async def leave_preview(store: Store, person_id: str, workshop_id: str, lang: str) -> Confirm:
    """/leave: what leaving changes, or — for the last facilitator — whom to hand the
    workshop over to first."""
    async with store.read() as uow:
        workshop, member = await require_member(uow, person_id, workshop_id)
        members = await uow.items.list(workshop_id, Member)
        details = await _details(uow, member, lang, "people.leave")
        heirs = [m for m in members if m.person_id and m.id != member.id][:CHOICES]
        labels = [(await member_label(uow, m, lang), m.id) for m in heirs]
    title = {"title": workshop.title}
    if not last_facilitator(member, members):
        return Confirm(
            "people.leave.ask", {**title, "details": details}, ok=True, member_id=member.id
        )
    if not heirs:
        return Confirm("people.leave.alone", title, member_id=member.id)
    return Confirm("people.leave.heir", title, choices=labels, member_id=member.id)


async def heir_preview(
    store: Store, person_id: str, workshop_id: str, member_id: str, heir_id: str, lang: str
) -> Confirm:
    """The last facilitator chose who takes over: confirm handing over and leaving."""
    async with store.read() as uow:
        workshop, member = await _mine(uow, person_id, workshop_id, member_id)
        heir = await joined(uow, workshop_id, heir_id)
        details = await _details(uow, member, lang, "people.leave")
    params = {"name": heir.name, "title": workshop.title, "details": details}
    return Confirm("people.leave.heir.ask", params, ok=True, member_id=member.id)


async def leave(
    store: Store,
    clock: Clock,
    person_id: str,
    workshop_id: str,
    *,
    member_id: str | None = None,
    heir_id: str | None = None,
    default_lang: str = "en",
) -> Result:
    """The person leaves the workshop; ``heir_id`` first makes that member a facilitator
    (the last facilitator cannot leave otherwise). ``member_id``: the membership a
    confirmation was about (stale when it ended meanwhile)."""
    async with store.write() as uow:
        workshop, member = await _mine(uow, person_id, workshop_id, member_id)
        heir = await joined(uow, workshop_id, heir_id) if heir_id else None
        if heir is not None and heir.person_id and heir.id != member.id:
            heir.role = Role.FACILITATOR
            await uow.items.update(heir, actor=member.id)
        elif last_facilitator(member, await uow.items.list(workshop_id, Member)):
            raise AccessDenied("people.leave.last")
        ending = await end_membership(uow, member, clock.now(), member.id)
        notices = await _left(uow, workshop, member, heir, ending, default_lang)
    params = {"title": workshop.title, "name": heir.name if heir else ""}
    key = "people.leave.handed" if heir else "people.leave.done"
    return Result(key, params, notices=notices, rounds_of=workshop.id)


async def _left(
    uow: UnitOfWork,
    workshop: Workshop,
    member: Member,
    heir: Member | None,
    ending: Ending,
    default_lang: str,
) -> list[Notice]:
    """One line for each facilitator; the heir hears they run the workshop now."""
    out = []
    for person in await facilitators(uow, workshop.id, member.person_id or ""):
        lang = person.language or default_lang
        key = "people.heir.notice" if heir and person.id == heir.person_id else "people.left.notice"
        params = {"name": member.name, "title": workshop.title}
        out.append(
            notice(person, default_lang, key, **params, orphans=orphans(lang, ending.touchpoints))
        )
    return out


# ----------------------------------------------------------------------------- remove


async def remove_choices(store: Store, person_id: str, workshop_id: str, lang: str) -> Confirm:
    """/remove: the members a facilitator can remove (everyone but themselves)."""
    async with store.read() as uow:
        workshop, me = await require_facilitator(uow, person_id, workshop_id)
        members = [m for m in await uow.items.list(workshop_id, Member) if m.id != me.id]
        labels = [(await member_label(uow, m, lang), m.id) for m in members[:CHOICES]]
    key = "people.remove.choose" if members else "people.remove.nobody"
    return Confirm(key, {"title": workshop.title}, choices=labels)


async def remove_preview(
    store: Store, person_id: str, workshop_id: str, member_id: str, lang: str
) -> Confirm:
    async with store.read() as uow:
        workshop, me = await require_facilitator(uow, person_id, workshop_id)
        target = await joined(uow, workshop_id, member_id)
        if target.id == me.id:
            raise AccessDenied("people.remove.self")
        details = await _details(uow, target, lang, "people.remove")
    params = {"name": target.name, "title": workshop.title, "details": details}
    return Confirm("people.remove.ask", params, ok=True, member_id=target.id)


async def remove_member(
    store: Store,
    clock: Clock,
    facilitator_person_id: str,
    workshop_id: str,
    member_id: str,
    *,
    lang: str = "en",
    default_lang: str = "en",
) -> Result:
    """A facilitator removes a member: as if they left; they are told, and so are the
    other facilitators. Removing oneself is /leave."""
    async with store.write() as uow:
        workshop, me = await require_facilitator(uow, facilitator_person_id, workshop_id)
        target = await joined(uow, workshop_id, member_id)
        if target.id == me.id:
            raise AccessDenied("people.remove.self")
        ending = await end_membership(uow, target, clock.now(), me.id)
        params = {"name": target.name, "title": workshop.title}
        notices = []
        removed = await uow.people.get(target.person_id or "")
        if removed is not None:
            notices.append(notice(removed, default_lang, "people.removed.notice", **params))
        for person in await facilitators(uow, workshop.id, facilitator_person_id):
            each = orphans(person.language or default_lang, ending.touchpoints)
            notices.append(
                notice(
                    person,
                    default_lang,
                    "people.removed.facilitators",
                    **params,
                    by=me.name,
                    orphans=each,
                )
            )
    done = {**params, "orphans": orphans(lang, ending.touchpoints)}
    return Result("people.remove.done", done, notices=notices, rounds_of=workshop.id)
