"""Facilitator commands around invites, nudges and review rounds."""

from __future__ import annotations

import html

from telegram import Update

from bot.telegram.handlers.access import Seat, seat
from bot.telegram.handlers.common import Context, local_date, services
from bot.telegram.reminders import arm
from bot.telegram.review_rounds import send_nudges
from bot.telegram.services import invite_link
from flows.models import Department, Invite, WorkshopStatus
from flows.review import cycle as rv
from flows.review.rounds import start_round
from flows.texts import t
from flows.workshop import facilitator
from flows.workshop.insights import department_label


async def _links(context: Context, found: Seat, heading: str) -> str:
    svc = services(context)
    async with svc.store.read() as uow:
        departments = {d.id: d for d in await uow.items.list(found.workshop.id, Department)}
        invites = [
            i for i in await uow.items.list(found.workshop.id, Invite) if i.revoked_at is None
        ]
    lines = [t(found.lang, heading)]
    for invite in invites:
        name = department_label(departments.get(invite.department_id or ""), found.lang)
        link = html.escape(invite_link(context.bot.username, invite.code))
        lines.append(t(found.lang, "bot.invite.line", department=name) + f" {link}")
    return "\n".join(lines)


async def on_invite(update: Update, context: Context) -> None:
    found = await seat(update, context, facilitator=True)
    if found is None:
        return
    text = await _links(context, found, "bot.invite.links")
    assert update.effective_message is not None
    await update.effective_message.reply_text(text, disable_web_page_preview=True)


async def on_revoke(update: Update, context: Context) -> None:
    """/revoke: every current link stops working and each department gets a new one."""
    found = await seat(update, context, facilitator=True)
    if found is None:
        return
    svc = services(context)
    await facilitator.renew_invites(
        svc.store, svc.clock, found.member.person_id or "", found.workshop.id
    )
    text = await _links(context, found, "bot.invite.revoked")
    assert update.effective_message is not None
    await update.effective_message.reply_text(text, disable_web_page_preview=True)


async def on_nudge(update: Update, context: Context) -> None:
    found = await seat(update, context, facilitator=True)
    if found is None:
        return
    count = await send_nudges(context.application, found.workshop.id, force=True)
    assert update.effective_message is not None
    await update.effective_message.reply_text(t(found.lang, "bot.nudge.sent", count=count))


async def on_review_round(update: Update, context: Context) -> None:
    """/review: a review round now, for every owned touchpoint."""
    found = await seat(update, context, facilitator=True)
    if found is None:
        return
    message = update.effective_message
    assert message is not None
    if found.workshop.status != WorkshopStatus.PUBLISHED:
        await message.reply_text(t(found.lang, "review.round.not_published"))
        return
    svc = services(context)
    now = svc.clock.now()
    async with svc.store.write() as uow:
        await rv.schedule_workshop(uow, found.workshop, now)
        new_round, joined = await start_round(uow, found.workshop, found.member.id, now)
    if new_round is None:
        await message.reply_text(t(found.lang, "review.round.nothing"))
        return
    for item in joined:
        arm(context.application, item)
    from bot.telegram.reminders import deliver_due

    await message.reply_text(
        t(
            found.lang,
            "review.round.started",
            number=new_round.number,
            count=len(joined),
            closes=local_date(new_round.closes_at, found.workshop.timezone),
        )
    )
    await deliver_due(context.application, found.workshop.id)
