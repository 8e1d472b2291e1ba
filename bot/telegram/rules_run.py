"""The rules of the living map, run by the scheduler: once per sweep, every published
workshop with a rule switched on is evaluated (``flows.review.rules.evaluate``, one short
write transaction each) and what fired is sent. A firing is recorded before its messages
go, so a crash in between loses those messages rather than sending them twice."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError
from telegram.ext import Application

from bot.telegram.callback_data import Action, encode
from bot.telegram.delivery import deliver_notices, to_person
from bot.telegram.services import Services
from flows.models import WorkshopStatus
from flows.review import rules
from flows.texts import t

log = logging.getLogger(__name__)


def _services(app: Application) -> Services:
    return app.bot_data["services"]


async def run_rules(app: Application) -> int:
    """Evaluate the rules of every published workshop; returns how many messages arrived."""
    svc = _services(app)
    async with svc.store.read() as uow:  # one short read; most workshops have no rules
        workshops = [
            w.id
            for w in await uow.workshops.list_all()
            if w.status == WorkshopStatus.PUBLISHED and await rules.active_rules(uow, w.id)
        ]
    sent = 0
    for workshop_id in workshops:
        try:
            sent += await run_workshop(app, workshop_id)
        except Exception:
            log.exception("running the rules of workshop %s failed", workshop_id)
    return sent


async def run_workshop(app: Application, workshop_id: str) -> int:
    svc = _services(app)
    async with svc.store.write() as uow:
        workshop = await uow.workshops.get(workshop_id)
        if workshop is None or workshop.status != WorkshopStatus.PUBLISHED:
            return 0
        fired = await rules.evaluate(uow, workshop, svc.clock.now(), svc.settings.default_language)
    for found in fired:
        log.info("rule %s fired: %s", found.firing.rule_id, found.firing.key)
    sent = 0
    for ask in (a for found in fired for a in found.asks):
        sent += await _ask(app, ask)
    return sent + await deliver_notices(app, [n for found in fired for n in found.notices])


async def _ask(app: Application, ask: rules.Ask) -> int:
    """The owner's question with its "Add pain point" button; 1 when it arrived."""
    told = ask.notice
    button = InlineKeyboardButton(
        t(told.lang, "rules.pain.button"),
        callback_data=encode(Action.RULE_PAIN, ask.touchpoint_id),
    )
    text = t(told.lang, told.key, **told.params)
    try:
        sent = await to_person(app, told.to, text, InlineKeyboardMarkup([[button]]))
    except TelegramError as exc:  # recorded already: the question is not asked twice
        log.warning("a rule's question to %s failed (%s)", told.to.id, exc)
        return 0
    return 0 if sent is None else 1
