"""Carrying out what the engine asks besides replying (``Outcome.requests``)."""

from __future__ import annotations

import html
import logging

from telegram.ext import Application

from bot import notify
from bot.maps import send_map
from bot.services import Services
from flows.outcome import Outcome, Request
from flows.texts import t

log = logging.getLogger(__name__)


def invite_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


async def perform(app: Application, outcome: Outcome, person_id: str) -> None:
    for request in outcome.requests:
        try:
            await _perform(app, request, outcome.lang, person_id)
        except Exception:  # one failed side effect must not lose the others
            log.exception("request %s for workshop %s failed", request.kind, request.workshop_id)


async def _perform(app: Application, request: Request, lang: str, person_id: str) -> None:
    svc: Services = app.bot_data["services"]
    if request.kind == "notify_facilitators":
        await notify.to_facilitators(app, request.workshop_id, request.key, **request.params)
    elif request.kind == "notify_group":
        await notify.to_group(app, request.workshop_id, request.key, **request.params)
    elif request.kind == "schedule_reviews":
        from bot.reminders import schedule_workshop

        await schedule_workshop(app, request.workshop_id)
    elif request.kind == "send_map":
        async with svc.store.read() as uow:
            person = await uow.people.get(person_id)
        if person is not None and person.chat_id is not None:
            await send_map(app, person.chat_id, request.workshop_id, lang)


def invite_parts(bot_username: str, outcome: Outcome) -> list[str]:
    """The invite deep links of a workshop just created, as HTML for the same message."""
    parts = []
    for request in outcome.requests:
        if request.kind != "workshop_created":
            continue
        lines = [t(outcome.lang, "bot.invite.links")]
        for invite in request.params.get("invites", []):
            link = html.escape(invite_link(bot_username, invite["code"]))
            lines.append(
                t(outcome.lang, "bot.invite.line", department=invite["department"]) + f" {link}"
            )
        parts.append("\n".join(lines))
    return parts
