"""Carrying out what follows an answer once the person has it: the engine's requests
(``Outcome.requests``) and a use case's consequences (:class:`~flows.workshop.messages.Result`:
messages for other people, reminders to re-arm, a round that may have ended, reviews due
now)."""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.telegram import notify
from bot.telegram.delivery import deliver_notices
from bot.telegram.maps import send_map
from bot.telegram.services import Services
from flows.conversation.outcome import Outcome, Request
from flows.models import Review
from flows.workshop.messages import Result

BACKGROUND = "cjm-background"  # the name of tasks nobody's answer waits for
log = logging.getLogger(__name__)


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
    elif request.kind == "review_answered":
        from bot.telegram.reminders import arm
        from bot.telegram.review_rounds import close_rounds

        async with svc.store.read() as uow:
            following = await uow.items.get(Review, str(request.params.get("review")))
        if following is not None:
            arm(app, following)
        app.create_task(close_rounds(app, request.workshop_id), name=f"{BACKGROUND}:round")
    elif request.kind == "send_map":
        async with svc.store.read() as uow:
            person = await uow.people.get(person_id)
        if person is not None and person.chat_id is not None:
            await send_map(app, person.chat_id, request.workshop_id, lang, person_id=person.id)


async def follow_up(app: Application, result: Result) -> int:
    """A use case's consequences, in order: its notices (returns how many arrived), the
    reminders of reviews that moved, a review round that may have ended, reviews due now,
    a workshop's whole schedule."""
    from bot.telegram.reminders import arm, deliver_due, schedule_workshop
    from bot.telegram.review_rounds import close_rounds

    sent = await deliver_notices(app, result.notices)
    for item in result.moved:
        arm(app, item)
    if result.rounds_of is not None:  # a new version: drawn and posted in the background
        app.create_task(close_rounds(app, result.rounds_of), name=f"{BACKGROUND}:round")
    if result.due_now is not None:
        await deliver_due(app, result.due_now)
    if result.rearm_all is not None:
        await schedule_workshop(app, result.rearm_all)
    return sent
