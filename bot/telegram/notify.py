"""Catalog messages to a person, to a workshop's facilitators and to its group (sent
through :mod:`bot.telegram.delivery`), and the facilitators' daily summary of who finished
(:func:`send_summaries`, called by the scheduler's sweep)."""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application

from bot.telegram import delivery
from bot.telegram.services import Services
from flows.models import Member, Person, Role, WorkshopStatus
from flows.texts import t
from flows.workshop.summary import daily_summary

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
    lang = person.language or _services(app).settings.default_language
    return await delivery.to_person(app, person, t(lang, key, **params)) is not None


async def send_lines(app: Application, person: Person, lines: list[str]) -> bool:
    """Several already-translated lines as one message (shortened to fit if needed)."""
    return await delivery.to_person(app, person, "\n".join(lines)) is not None


async def to_facilitators(app: Application, workshop_id: str, key: str, **params: Any) -> None:
    for _, person in await facilitators(app, workshop_id):
        await to_person(app, person, key, **params)


async def to_group(app: Application, workshop_id: str, key: str, **params: Any) -> None:
    svc = _services(app)
    async with svc.store.read() as uow:
        workshop = await uow.workshops.get(workshop_id)
    if workshop is None or workshop.group_chat_id is None:
        return
    await delivery.to_group(app, workshop.group_chat_id, t(workshop.language, key, **params))


async def send_summaries(app: Application) -> int:
    """Each collecting workshop's daily summary to its facilitators, once a day (the rule
    is flows.workshop.summary); returns how many arrived."""
    svc = _services(app)
    async with svc.store.read() as uow:
        workshops = await uow.workshops.list_all()
    sent = 0
    for workshop in workshops:
        if workshop.status is not WorkshopStatus.COLLECTING:
            continue
        try:
            notices = await daily_summary(
                svc.store, svc.clock, workshop.id, svc.settings.default_language
            )
            sent += await delivery.deliver_notices(app, notices)
        except Exception:  # one workshop's failure must not stop the others'
            log.exception("daily summary of workshop %s failed", workshop.id)
    return sent
