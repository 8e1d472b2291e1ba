"""Facilitator tools over flows.workshop.facilitator: status, members, merge, publish, close.
Access is checked inside flows.workshop.facilitator; here we only translate the outcome."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.telegram.callback_data import decode, encode
from bot.telegram.delivery import fit
from bot.telegram.handlers.access import seat
from bot.telegram.handlers.common import Context, person_id, services
from bot.telegram.reminders import schedule_workshop
from bot.telegram.review_rounds import post_version
from flows.texts import t
from flows.workshop import facilitator as tools
from flows.workshop.duplicates import duplicates

DUPLICATES_SHOWN = 8


def _label(item: object) -> str:
    text = str(
        getattr(item, "name", "") or getattr(item, "description", "") or getattr(item, "text", "")
    )
    return text if len(text) <= 28 else text[:27] + "…"


async def on_status(update: Update, context: Context) -> None:
    found = await seat(update, context, facilitator=True)
    if found is None:
        return
    svc = services(context)
    parts = await tools.status_report(
        svc.store, found.member.person_id or "", found.workshop.id, found.lang
    )
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        fit([t(found.lang, p.key, **p.params) for p in parts])
    )


async def on_members(update: Update, context: Context) -> None:
    found = await seat(update, context, facilitator=True)
    if found is None:
        return
    svc = services(context)
    members = await tools.members(svc.store, found.member.person_id or "", found.workshop.id)
    lines = [t(found.lang, "bot.members.title", count=len(members))]
    for m in members:
        key = "bot.members.unreachable" if m.unreachable else "bot.members.line"
        lines.append(
            t(
                found.lang,
                key,
                name=m.name,
                position=m.position or "—",
                role=t(found.lang, f"bot.role.{m.role.value}"),
            )
        )
    assert update.effective_message is not None
    await update.effective_message.reply_text(fit(["\n".join(lines)]))


async def on_merge(update: Update, context: Context) -> None:
    found = await seat(update, context, facilitator=True)
    if found is None:
        return
    svc = services(context)
    journey = await tools.load_map(svc.store, found.member.person_id or "", found.workshop.id)
    pairs = duplicates(journey)[:DUPLICATES_SHOWN]
    assert update.effective_message is not None
    if not pairs:
        await update.effective_message.reply_text(t(found.lang, "bot.merge.none"))
        return
    rows = [
        [
            InlineKeyboardButton(
                f"{_label(keep)} ⇐ {_label(drop)}", callback_data=encode("m", keep.id, drop.id)
            )
        ]
        for keep, drop in pairs
    ]
    await update.effective_message.reply_text(
        t(found.lang, "bot.merge.ask", count=len(pairs)), reply_markup=InlineKeyboardMarkup(rows)
    )


async def on_merge_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    callback = decode(query.data)
    found = await seat(update, context, facilitator=True)
    if found is None or callback is None or len(callback.fields) != 2:
        await query.answer()
        return
    svc = services(context)
    try:
        moved = await tools.merge(
            svc.store, person_id(update.effective_user), found.workshop.id, *callback.fields
        )
    except (tools.NotFound, tools.AccessDenied) as exc:
        await query.answer(t(found.lang, str(exc.args[0])), show_alert=True)
        return
    await query.answer(t(found.lang, "bot.merge.done", moved=moved))
    if isinstance(query.message, Message):
        await query.message.edit_text(t(found.lang, "bot.merge.done", moved=moved))


async def on_publish(update: Update, context: Context) -> None:
    found = await seat(update, context, facilitator=True)
    if found is None:
        return
    svc = services(context)
    message = update.effective_message
    assert message is not None
    try:
        version = await tools.publish(
            svc.store, svc.clock, found.member.person_id or "", found.workshop.id
        )
    except tools.AccessDenied as exc:
        await message.reply_text(t(found.lang, str(exc.args[0])))
        return
    await schedule_workshop(context.application, found.workshop.id)
    await message.reply_text(t(found.lang, "bot.publish.done", number=version.number))
    await post_version(context.application, found.workshop.id, version)


async def on_close(update: Update, context: Context) -> None:
    found = await seat(update, context, facilitator=True)
    if found is None:
        return
    svc = services(context)
    await tools.close(svc.store, found.member.person_id or "", found.workshop.id)
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        t(found.lang, "bot.close.done", title=found.workshop.title)
    )
