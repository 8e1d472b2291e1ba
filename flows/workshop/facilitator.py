"""Facilitator tools as plain async functions: status, nudge list, members, invites
(new, revoke), merge duplicates, publish, close — and the map for any member.

Every function checks access itself (only members see a workshop, only facilitators
manage it) and raises :class:`AccessDenied` with a message key, so no transport can
bypass the check. Writes happen in one ``store.write()`` transaction each.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flows.conversation.spec import Text
from flows.models import (
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
from flows.workshop.status import Status, status_text, workshop_status

NUDGE_EVERY = timedelta(days=1)


class AccessDenied(PermissionError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class NotFound(LookupError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


async def _member(uow: UnitOfWork, person_id: str, workshop_id: str) -> tuple[Workshop, Member]:
    workshop = await uow.workshops.get(workshop_id)
    member = await uow.items.member_of(workshop_id, person_id) if workshop else None
    if workshop is None or member is None:
        raise AccessDenied("access.not_member")
    return workshop, member


async def _facilitator(
    uow: UnitOfWork, person_id: str, workshop_id: str
) -> tuple[Workshop, Member]:
    workshop, member = await _member(uow, person_id, workshop_id)
    if member.role is not Role.FACILITATOR:
        raise AccessDenied("access.not_facilitator")
    return workshop, member


async def load_map(store: Store, person_id: str, workshop_id: str) -> JourneyMap:
    """The live map, for members only."""
    async with store.read() as uow:
        workshop, _ = await _member(uow, person_id, workshop_id)
        items = await uow.items.all_of_workshop(workshop_id)
    versions = [i.number for i in items if isinstance(i, MapVersion)]
    return JourneyMap.from_items(workshop, items, version=max(versions, default=0))


async def status(store: Store, person_id: str, workshop_id: str, lang: str = "en") -> Status:
    async with store.read() as uow:
        workshop, _ = await _facilitator(uow, person_id, workshop_id)
        return await workshop_status(uow, workshop, lang)


async def status_report(
    store: Store, person_id: str, workshop_id: str, lang: str = "en"
) -> list[Text]:
    """Status as message parts: progress per department and person, gaps, radar."""
    async with store.read() as uow:
        workshop, _ = await _facilitator(uow, person_id, workshop_id)
        return await status_text(uow, workshop, lang)


async def members(store: Store, person_id: str, workshop_id: str) -> list[Member]:
    async with store.read() as uow:
        await _facilitator(uow, person_id, workshop_id)
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


async def nudge_list(
    store: Store, clock: Clock, person_id: str, workshop_id: str, *, mark: bool = True
) -> list[Member]:
    """Participants to nudge now (see :func:`needs_nudge`); ``mark`` records the nudge
    time so a second call the same day returns none."""
    now = clock.now()
    async with store.write() as uow:
        await _facilitator(uow, person_id, workshop_id)
        due = [m for m in await uow.items.list(workshop_id, Member) if needs_nudge(m, now)]
        if mark:
            for m in due:
                m.last_nudged_at = now
                await uow.items.update(m, actor=person_id)
        return due


async def new_invite(store: Store, person_id: str, workshop_id: str, department_id: str) -> Invite:
    async with store.write() as uow:
        _, member = await _facilitator(uow, person_id, workshop_id)
        invite = Invite(workshop_id=workshop_id, department_id=department_id, author_id=member.id)
        await uow.items.add(invite, actor=member.id)
        return invite


async def revoke_invite(
    store: Store, clock: Clock, person_id: str, workshop_id: str, invite_id: str
) -> Invite:
    async with store.write() as uow:
        _, member = await _facilitator(uow, person_id, workshop_id)
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
        _, member = await _facilitator(uow, person_id, workshop_id)
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
        _, member = await _facilitator(uow, person_id, workshop_id)
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
        workshop, member = await _facilitator(uow, person_id, workshop_id)
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
        workshop, _ = await _facilitator(uow, person_id, workshop_id)
        workshop.status = WorkshopStatus.CLOSED
        await uow.workshops.update(workshop, actor=person_id)
        from flows.review.cycle import cancel_open

        await cancel_open(uow, workshop_id)
        return workshop
