"""Forgetting a person on request (``/forget_me`` in Telegram, ``cjm-bot forget PERSON`` for
the operator), transport-neutral.

Erased: the person's record (name, language, time zone, chat and Telegram id), every
position of theirs, and on each of their memberships — live or ended — the name, position,
time zone and absence and the link to their account: the member is named by a neutral
label ("former member of Sales") in the workshop's language, in the member row, in its
whole history, in the frozen maps of the workshop's versions and in their "what changed"
lines; the history names the member id where it named the person. Kept: the workshop's
content — the items they authored stay, attributed to their department (``author_id`` stays
the member id: that member no longer names anyone) — and the processed-update log.
Memberships still live end as in :func:`flows.workshop.leaving.end_membership`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from flows.models import MapVersion, Member
from flows.ports import Clock, Store, UnitOfWork
from flows.texts import t_plain
from flows.workshop.facilitator import NotFound
from flows.workshop.leaving import Confirm
from flows.workshop.membership import (
    department_of,
    end_membership,
    facilitators,
    last_facilitator,
    orphans,
)
from flows.workshop.messages import Notice, Result, notice
from flows.workshop.versions import forget_in_version, forget_member


@dataclass
class Forgotten(Result):
    """What forgetting erased, for the operator's summary."""

    memberships: int = 0  # member rows that no longer name the person
    positions: int = 0  # conversation positions deleted
    touchpoints: int = 0  # left without an owner
    history: int = 0  # history entries rewritten


def person_id_of(text: str) -> str:
    """``tg:12345`` as it is; a bare Telegram user id ``12345`` is ``tg:12345``."""
    text = text.strip()
    return f"tg:{text}" if text.isdigit() else text


async def forget_preview(store: Store, person_id: str, lang: str) -> Confirm:
    """/forget_me: what will be erased and what stays, before the person confirms."""
    async with store.read() as uow:
        person = await uow.people.get(person_id)
        memberships = await uow.items.memberships(person_id)
        lines = []
        for member in memberships:
            workshop = await uow.workshops.get(member.workshop_id)
            if workshop is None:
                continue
            role = t_plain(lang, f"bot.role.{member.role.value}")
            lines.append(t_plain(lang, "people.forget.workshop", title=workshop.title, role=role))
            if last_facilitator(member, await uow.items.list(workshop.id, Member)):
                lines.append(t_plain(lang, "people.forget.last", title=workshop.title))
    names = dict.fromkeys(
        n for n in [person.name if person else ""] + [m.name for m in memberships] if n
    )
    params = {
        "names": ", ".join(names) or "—",
        "workshops": "\n".join(lines) or t_plain(lang, "people.forget.nowhere"),
    }
    return Confirm("people.forget.ask", params, ok=True)


async def forget_person(
    store: Store, clock: Clock, person_id: str, default_lang: str = "en"
) -> Forgotten:
    """Erase the person (see the module's docstring); NotFound for someone never seen."""
    now = clock.now()
    async with store.write() as uow:
        person = await uow.people.get(person_id)
        rows = await uow.items.memberships(person_id, include_deleted=True)
        if person is None and not rows:
            raise NotFound("people.forget.unknown")
        out = Forgotten("people.forget.done")
        out.positions = await uow.positions.delete_all(person_id)
        for member in rows:
            out.notices += await _forget_member(uow, member, person_id, now, out, default_lang)
        out.history += await uow.items.rename_actor(person_id, None)  # anywhere else
        await uow.people.delete(person_id)
    return out


async def former_label(uow: UnitOfWork, member: Member, lang: str) -> str:
    dept = await department_of(uow, member, lang)
    if dept:
        return t_plain(lang, "people.former", department=dept)
    return t_plain(lang, "people.former.none")


async def _forget_member(
    uow: UnitOfWork,
    member: Member,
    person_id: str,
    now: datetime,
    out: Forgotten,
    default_lang: str,
) -> list[Notice]:
    workshop = await uow.workshops.get(member.workshop_id)
    label = await former_label(uow, member, workshop.language if workshop else default_lang)
    told: list[Notice] = []
    if member.deleted_at is None:
        ending = await end_membership(uow, member, now, member.id)
        out.touchpoints += ending.touchpoints
        if workshop is not None:
            told = await _tell(
                uow, member, workshop.id, workshop.title, ending.touchpoints, default_lang
            )
    erased = Member.model_validate(forget_member(member.model_dump(mode="json"), label))
    await uow.items.update(erased, actor=member.id)
    out.memberships += 1
    out.history += await uow.items.rewrite_history(member.id, partial(forget_member, label=label))
    out.history += await uow.items.rename_actor(person_id, member.id, member.workshop_id)
    out.history += await _forget_in_versions(uow, member, label, person_id)
    if workshop is not None:
        if workshop.created_by == person_id:
            workshop.created_by = ""
            await uow.workshops.update(workshop, actor=member.id)
        out.history += await uow.items.rewrite_history(
            workshop.id, partial(_no_creator, person_id=person_id)
        )
    return told


def _no_creator(data: dict[str, Any], person_id: str) -> dict[str, Any]:
    return {**data, "created_by": ""} if data.get("created_by") == person_id else data


async def _forget_in_versions(uow: UnitOfWork, member: Member, label: str, person_id: str) -> int:
    """The member's entry in every frozen map of the workshop, and its history."""
    change = partial(forget_in_version, member_id=member.id, label=label, person_id=person_id)
    rewritten = 0
    for version in await uow.items.list(member.workshop_id, MapVersion, include_deleted=True):
        before = version.model_dump(mode="json")
        after = change(before)
        if after != before:
            await uow.items.update(MapVersion.model_validate(after), actor=member.id)
        rewritten += await uow.items.rewrite_history(version.id, change)
    return rewritten


async def _tell(
    uow: UnitOfWork, member: Member, workshop_id: str, title: str, owned: int, default_lang: str
) -> list[Notice]:
    """The facilitators hear that a member of a department asked to be forgotten (not who)."""
    out = []
    for person in await facilitators(uow, workshop_id, member.person_id or ""):
        lang = person.language or default_lang
        dept = await department_of(uow, member, lang)
        key = "people.forgotten.notice" if dept else "people.forgotten.notice.none"
        params = {"title": title, "department": dept, "orphans": orphans(lang, owned)}
        out.append(notice(person, default_lang, key, **params))
    return out
