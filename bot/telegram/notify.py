"""Messages to facilitators, to a workshop's group, and handling people who blocked the bot."""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from bot.telegram.delivery import Unreachable, send_text
from bot.telegram.services import Services
from flows.models import Member, Person, Role
from flows.texts import t

log = logging.getLogger(__name__)


def _services(app: Application) -> Services:
    return app.bot_data["services"]


async def facilitators(app: Application, workshop_id: str) -> list[tuple[Member, Person]]:
    svc = _services(app)
    out = []
    async with svc.store.read() as uow:
        for member in await uow.items.list(workshop_id, Member):
            if member.role == Role.FACILITATOR and member.person_id:
                person = await uow.people.get(member.person_id)
                if person is not None:
                    out.append((member, person))
    return out


async def to_person(app: Application, person: Person, key: str, **params: Any) -> bool:
    """Send a catalog message to a person's private chat; False if it could not go."""
    if person.chat_id is None or person.unreachable:
        return False
    lang = person.language or _services(app).settings.default_language
    try:
        await send_text(app.bot, person.chat_id, t(lang, key, **params))
    except Unreachable:
        await mark_unreachable(app, person.id, notify=False)
        return False
    return True


async def send_lines(app: Application, person: Person, lines: list[str]) -> bool:
    """Several already-translated lines as one message (shortened to fit if needed)."""
    if person.chat_id is None or person.unreachable:
        return False
    try:
        await send_text(app.bot, person.chat_id, "\n".join(lines))
    except Unreachable:
        await mark_unreachable(app, person.id, notify=False)
        return False
    return True


async def to_facilitators(app: Application, workshop_id: str, key: str, **params: Any) -> None:
    for _, person in await facilitators(app, workshop_id):
        await to_person(app, person, key, **params)


async def to_group(app: Application, workshop_id: str, key: str, **params: Any) -> None:
    svc = _services(app)
    async with svc.store.read() as uow:
        workshop = await uow.workshops.get(workshop_id)
    if workshop is None or workshop.group_chat_id is None:
        return
    try:
        await app.bot.send_message(workshop.group_chat_id, t(workshop.language, key, **params))
    except (Forbidden, TelegramError) as exc:
        log.warning("group %s of workshop %s: %s", workshop.group_chat_id, workshop_id, exc)


async def mark_unreachable(app: Application, person_id: str, *, notify: bool = True) -> None:
    """The person blocked the bot: remember it on them and their memberships, and tell the
    facilitators of each of their workshops (once)."""
    svc = _services(app)
    async with svc.store.write() as uow:
        person = await uow.people.get(person_id)
        if person is None or person.unreachable:
            return
        person.unreachable = True
        await uow.people.save(person)
        members = await uow.items.memberships(person_id)
        for member in members:
            member.unreachable = True
            await uow.items.update(member)
    if not notify:
        return
    for member in members:
        for _, fac in await facilitators(app, member.workshop_id):
            if fac.id != person_id:
                await to_person(app, fac, "bot.unreachable.notice", name=member.name or person.name)
