"""Facilitator tools as plain async functions: status, nudges, members, invites (new,
revoke, renew, the live ones), merge duplicates, publish, close — and the map for any
member.

Every function checks access itself (only members see a workshop, only facilitators
manage it) and raises :class:`AccessDenied` with a message key, so no transport can
bypass the check. Writes happen in one ``store.write()`` transaction each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flows.conversation.spec import Text
from flows.models import (
    Department,
    Idea,
    Invite,
    Item,
    JourneyMap,
    Kpi,
    KpiReading,
    MapVersion,
    Member,
    PainPoint,
    Role,
    StageNote,
    Touchpoint,
    Workshop,
    WorkshopStatus,
)
from flows.ports import Clock, Store, UnitOfWork
from flows.workshop.messages import Notice, notice
from flows.workshop.queries import read_map
from flows.workshop.status import Status, status_text, workshop_status

NUDGE_EVERY = timedelta(days=1)
NUDGE_BEFORE_DEADLINE = timedelta(days=3)


class AccessDenied(PermissionError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class NotFound(LookupError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


async def require_member(
    uow: UnitOfWork, person_id: str, workshop_id: str
) -> tuple[Workshop, Member]:
    workshop = await uow.workshops.get(workshop_id)
    member = await uow.items.member_of(workshop_id, person_id) if workshop else None
    if workshop is None or member is None:
        raise AccessDenied("access.not_member")
    return workshop, member


async def require_facilitator(
    uow: UnitOfWork, person_id: str, workshop_id: str
) -> tuple[Workshop, Member]:
    workshop, member = await require_member(uow, person_id, workshop_id)
    if member.role is not Role.FACILITATOR:
        raise AccessDenied("access.not_facilitator")
    return workshop, member


async def load_map(store: Store, person_id: str, workshop_id: str) -> JourneyMap:
    """The live map, for members only."""
    async with store.read() as uow:
        workshop, _ = await require_member(uow, person_id, workshop_id)
        return await read_map(uow, workshop)


async def status(store: Store, person_id: str, workshop_id: str, lang: str = "en") -> Status:
    async with store.read() as uow:
        workshop, _ = await require_facilitator(uow, person_id, workshop_id)
        return await workshop_status(uow, workshop, lang)


async def status_report(
    store: Store, person_id: str, workshop_id: str, lang: str = "en"
) -> list[Text]:
    """Status as message parts: progress per department and person, gaps, radar."""
    async with store.read() as uow:
        workshop, _ = await require_facilitator(uow, person_id, workshop_id)
        return await status_text(uow, workshop, lang)


async def members(store: Store, person_id: str, workshop_id: str) -> list[Member]:
    async with store.read() as uow:
        await require_facilitator(uow, person_id, workshop_id)
        return await uow.items.list(workshop_id, Member)


def needs_nudge(member: Member, now: datetime) -> bool:
    """A participant who joined, has not finished, can be reached and was not nudged in
    the last day."""
    return (
        member.person_id is not None
        and member.role is Role.PARTICIPANT
        and member.finished_at is None
        and not member.unreachable
        and (member.last_nudged_at is None or now - member.last_nudged_at >= NUDGE_EVERY)
    )


def nudge_due(
    workshop: Workshop, members: list[Member], now: datetime, *, on_schedule: bool
) -> list[Member]:
    """The one nudging rule, for a facilitator's /nudge and the scheduled nudges alike:
    only while the workshop collects answers, each participant at most once a day (see
    :func:`needs_nudge`); the scheduled ones only in the last days before the deadline."""
    if workshop.status is not WorkshopStatus.COLLECTING:
        return []
    if on_schedule:
        if workshop.deadline is None:
            return []
        if not timedelta(0) <= workshop.deadline - now.date() <= NUDGE_BEFORE_DEADLINE:
            return []
    return [m for m in members if needs_nudge(m, now)]


@dataclass
class Nudged:
    members: list[Member]
    notices: list[Notice]  # "review.nudge" for each nudged person


async def _nudge(
    uow: UnitOfWork,
    workshop: Workshop,
    now: datetime,
    default_lang: str,
    *,
    by: str | None,
    on_schedule: bool,
    mark: bool = True,
) -> Nudged:
    members = await uow.items.list(workshop.id, Member)
    due = nudge_due(workshop, members, now, on_schedule=on_schedule)
    notices = []
    for member in due:
        if mark:
            member.last_nudged_at = now
            await uow.items.update(member, actor=by)
        person = await uow.people.get(member.person_id or "")
        if person is not None:
            notices.append(notice(person, default_lang, "review.nudge", workshop=workshop.title))
    return Nudged(due, notices)


async def nudge(
    store: Store,
    clock: Clock,
    person_id: str,
    workshop_id: str,
    default_lang: str = "en",
    *,
    mark: bool = True,
) -> Nudged:
    """A facilitator's /nudge: the unfinished participants, now (whatever the deadline);
    ``mark`` records the nudge so that a second one the same day reaches nobody."""
    async with store.write() as uow:
        workshop, _ = await require_facilitator(uow, person_id, workshop_id)
        return await _nudge(
            uow, workshop, clock.now(), default_lang, by=person_id, on_schedule=False, mark=mark
        )


async def deadline_nudges(
    store: Store, clock: Clock, workshop_id: str, default_lang: str = "en"
) -> Nudged:
    """The scheduled nudges (no person asks): in the last days before the deadline."""
    async with store.write() as uow:
        workshop = await uow.workshops.get(workshop_id)
        if workshop is None:
            return Nudged([], [])
        return await _nudge(uow, workshop, clock.now(), default_lang, by=None, on_schedule=True)


async def nudge_list(
    store: Store, clock: Clock, person_id: str, workshop_id: str, *, mark: bool = True
) -> list[Member]:
    """Participants to nudge now (see :func:`nudge`)."""
    return (await nudge(store, clock, person_id, workshop_id, mark=mark)).members


async def live_invites(
    store: Store, person_id: str, workshop_id: str
) -> list[tuple[Invite, Department | None]]:
    """The invites that still work, each with its department (for /invite and /revoke)."""
    async with store.read() as uow:
        await require_facilitator(uow, person_id, workshop_id)
        departments = {d.id: d for d in await uow.items.list(workshop_id, Department)}
        invites = await uow.items.list(workshop_id, Invite)
    return [(i, departments.get(i.department_id or "")) for i in invites if i.revoked_at is None]


async def new_invite(store: Store, person_id: str, workshop_id: str, department_id: str) -> Invite:
    async with store.write() as uow:
        _, member = await require_facilitator(uow, person_id, workshop_id)
        invite = Invite(workshop_id=workshop_id, department_id=department_id, author_id=member.id)
        await uow.items.add(invite, actor=member.id)
        return invite


async def revoke_invite(
    store: Store, clock: Clock, person_id: str, workshop_id: str, invite_id: str
) -> Invite:
    async with store.write() as uow:
        _, member = await require_facilitator(uow, person_id, workshop_id)
        invite = await uow.items.get(Invite, invite_id)
        if invite is None or invite.workshop_id != workshop_id:
            raise NotFound("facilitator.invite.unknown")
        invite.revoked_at = clock.now()
        await uow.items.update(invite, actor=member.id)
        return invite


async def renew_invites(store: Store, clock: Clock, person_id: str, workshop_id: str) -> int:
    """Revoke every live invite and give each department a new one; returns how many."""
    now = clock.now()
    async with store.write() as uow:
        _, member = await require_facilitator(uow, person_id, workshop_id)
        renewed = 0
        for invite in await uow.items.list(workshop_id, Invite):
            if invite.revoked_at is None:
                invite.revoked_at = now
                await uow.items.update(invite, actor=member.id)
                fresh = Invite(
                    workshop_id=workshop_id,
                    department_id=invite.department_id,
                    role=invite.role,
                    author_id=member.id,
                )
                await uow.items.add(fresh, actor=member.id)
                renewed += 1
        return renewed


# item kind -> (referring class, attribute) pairs repointed by a merge
REFERENCES: dict[str, tuple[tuple[type[Item], str], ...]] = {
    "touchpoint": ((PainPoint, "touchpoint_id"), (Kpi, "touchpoint_id")),
    "pain": ((Idea, "pain_id"),),
    "kpi": ((KpiReading, "kpi_id"),),
    "idea": (),
    "stage_note": (),
    "member": ((Touchpoint, "owner_id"), (Idea, "owner_id")),
}
MERGEABLE = {cls.kind: cls for cls in (Touchpoint, PainPoint, Kpi, Idea, StageNote, Member)}


async def merge(store: Store, person_id: str, workshop_id: str, keep_id: str, drop_id: str) -> int:
    """Merge a duplicate into the item kept: references to ``drop_id`` are repointed to
    ``keep_id``, the duplicate is soft-deleted (the audit trail keeps both). Returns the
    number of repointed items."""
    async with store.write() as uow:
        _, member = await require_facilitator(uow, person_id, workshop_id)
        keep, drop = await _pair(uow, workshop_id, keep_id, drop_id)
        moved = 0
        for cls, attr in REFERENCES[keep.kind]:
            for item in await uow.items.list(workshop_id, cls):
                if getattr(item, attr) == drop.id:
                    setattr(item, attr, keep.id)
                    await uow.items.update(item, actor=member.id)
                    moved += 1
        await uow.items.delete(drop, actor=member.id)
        return moved


async def _pair(uow: UnitOfWork, workshop_id: str, keep_id: str, drop_id: str) -> tuple[Item, Item]:
    for cls in MERGEABLE.values():
        keep = await uow.items.get(cls, keep_id)
        if keep is not None:
            drop = await uow.items.get(cls, drop_id)
            live = keep.deleted_at is None and drop is not None and drop.deleted_at is None
            ok = live and keep_id != drop_id
            if ok and keep.workshop_id == drop.workshop_id == workshop_id:  # type: ignore[union-attr]
                return keep, drop  # type: ignore[return-value]
            break
    raise NotFound("facilitator.merge.mismatch")


async def publish(store: Store, clock: Clock, person_id: str, workshop_id: str) -> MapVersion:
    """Freeze the current map as a new version (with a snapshot), mark the workshop
    published and schedule the owners' reviews."""
    from flows.review.cycle import schedule_workshop
    from flows.workshop.versions import save_version

    now = clock.now()
    async with store.write() as uow:
        workshop, member = await require_facilitator(uow, person_id, workshop_id)
        if workshop.status is WorkshopStatus.CLOSED:
            raise AccessDenied("facilitator.closed")
        workshop.status = WorkshopStatus.PUBLISHED
        await uow.workshops.update(workshop, actor=person_id)
        version = await save_version(uow, workshop, now, author_id=member.id)
        await schedule_workshop(uow, workshop, now)
        return version


async def close(store: Store, person_id: str, workshop_id: str) -> Workshop:
    """Close the workshop: invites stop working; the data stays."""
    async with store.write() as uow:
        workshop, _ = await require_facilitator(uow, person_id, workshop_id)
        workshop.status = WorkshopStatus.CLOSED
        await uow.workshops.update(workshop, actor=person_id)
        from flows.review.cycle import cancel_open

        await cancel_open(uow, workshop_id)
        return workshop
