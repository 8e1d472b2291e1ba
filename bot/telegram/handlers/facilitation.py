"""Facilitator commands around invites, nudges and review rounds (the use cases are in
flows.workshop.facilitator and flows.review.actions)."""

from __future__ import annotations

import html

from telegram import Update

from bot.telegram import delivery
from bot.telegram.handlers.access import Seat, seat
from bot.telegram.handlers.common import Context, say
from bot.telegram.services import invite_link
from flows.review import actions as review
from flows.texts import t
from flows.workshop import facilitator
from flows.workshop.insights import department_label


async def _links(context: Context, found: Seat, heading: str) -> None:
    """The live invite links, one line per department, under ``heading``."""
    invites = await facilitator.live_invites(
        context.services.store, found.person_id, found.workshop.id
    )
    lines = [t(found.lang, heading)]
    for invite, department in invites:
        name = department_label(department, found.lang)
        link = html.escape(invite_link(context.bot.username, invite.code))
        lines.append(t(found.lang, "bot.invite.line", department=name) + f" {link}")
    await delivery.reply(context, "\n".join(lines), preview=False)


async def on_invite(update: Update, context: Context) -> None:
    found = await seat(context, facilitator=True)
    if found is not None:
        await _links(context, found, "bot.invite.links")


async def on_revoke(update: Update, context: Context) -> None:
    """/revoke: every current link stops working and each department gets a new one."""
    found = await seat(context, facilitator=True)
    if found is None:
        return
    svc = context.services
    await facilitator.renew_invites(svc.store, svc.clock, found.person_id, found.workshop.id)
    await _links(context, found, "bot.invite.revoked")


async def on_nudge(update: Update, context: Context) -> None:
    """/nudge: the unfinished participants are reminded now (once a day at most)."""
    found = await seat(context, facilitator=True)
    if found is None:
        return
    svc = context.services
    nudged = await facilitator.nudge(
        svc.store, svc.clock, found.person_id, found.workshop.id, svc.settings.default_language
    )
    count = await delivery.deliver_notices(context.application, nudged.notices)
    await delivery.reply(context, t(found.lang, "bot.nudge.sent", count=count))


async def on_review_round(update: Update, context: Context) -> None:
    """/review: a review round now, for every owned touchpoint."""
    found = await seat(context, facilitator=True)
    if found is None:
        return
    svc = context.services
    result = await review.start_review_round(
        svc.store, svc.clock, found.person_id, found.workshop.id
    )
    await say(context, found.lang, result)
