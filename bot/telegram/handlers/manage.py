"""Facilitator tools over flows.workshop.facilitator: status, members, merge, publish, close.
Access is checked inside flows.workshop.facilitator; here we only translate the outcome."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.telegram import delivery
from bot.telegram.callback_data import Action, decode, encode
from bot.telegram.handlers.access import seat
from bot.telegram.handlers.common import Context, refuse
from bot.telegram.reminders import schedule_workshop
from bot.telegram.review_rounds import post_version
from flows.models import Item, Member
from flows.texts import t
from flows.workshop import facilitator
from flows.workshop.duplicates import duplicates

DUPLICATES_SHOWN = 8


def _label(item: object) -> str:
    text = str(
        getattr(item, "name", "") or getattr(item, "description", "") or getattr(item, "text", "")
    )
    return text if len(text) <= 28 else text[:27] + "…"


def _member_line(lang: str, m: Member) -> str:
    key = "bot.members.unreachable" if m.unreachable else "bot.members.line"
    role = t(lang, f"bot.role.{m.role.value}")
    return t(lang, key, name=m.name, position=m.position or "—", role=role)


def _merge_button(keep: Item, drop: Item) -> list[InlineKeyboardButton]:
    data = encode(Action.MERGE, keep.id, drop.id)
    return [InlineKeyboardButton(f"{_label(keep)} ⇐ {_label(drop)}", callback_data=data)]


async def on_status(update: Update, context: Context) -> None:
    found = await seat(context, facilitator=True)
    if found is None:
        return
    store = context.services.store
    parts = await facilitator.status_report(store, found.person_id, found.workshop.id, found.lang)
    await delivery.reply(context, delivery.fit([t(found.lang, p.key, **p.params) for p in parts]))


async def on_members(update: Update, context: Context) -> None:
    found = await seat(context, facilitator=True)
    if found is None:
        return
    members = await facilitator.members(context.services.store, found.person_id, found.workshop.id)
    lines = [t(found.lang, "bot.members.title", count=len(members))]
    lines += [_member_line(found.lang, m) for m in members]
    await delivery.reply(context, "\n".join(lines))


async def on_merge(update: Update, context: Context) -> None:
    found = await seat(context, facilitator=True)
    if found is None:
        return
    journey = await facilitator.load_map(context.services.store, found.person_id, found.workshop.id)
    pairs = duplicates(journey)[:DUPLICATES_SHOWN]
    if not pairs:
        await delivery.reply(context, t(found.lang, "bot.merge.none"))
        return
    markup = InlineKeyboardMarkup([_merge_button(keep, drop) for keep, drop in pairs])
    await delivery.reply(context, t(found.lang, "bot.merge.ask", count=len(pairs)), markup)


async def on_merge_button(update: Update, context: Context) -> None:
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    found = await seat(context, facilitator=True)
    if found is None or callback is None or len(callback.fields) != 2:
        await delivery.answer(context)
        return
    store, (keep_id, drop_id) = context.services.store, callback.fields
    try:
        moved = await facilitator.merge(
            store, context.person_id, found.workshop.id, keep_id, drop_id
        )
    except (facilitator.NotFound, facilitator.AccessDenied) as exc:
        await refuse(context, exc.key, alert=True)
        return
    await delivery.answer(context, t(found.lang, "bot.merge.done", moved=moved))
    await delivery.edit(context, t(found.lang, "bot.merge.done", moved=moved))


async def on_publish(update: Update, context: Context) -> None:
    found = await seat(context, facilitator=True)
    if found is None:
        return
    svc = context.services
    try:
        version = await facilitator.publish(
            svc.store, svc.clock, found.person_id, found.workshop.id
        )
    except facilitator.AccessDenied as exc:
        await refuse(context, exc.key)
        return
    await schedule_workshop(context.application, found.workshop.id)
    await delivery.reply(context, t(found.lang, "bot.publish.done", number=version.number))
    await post_version(context.application, found.workshop.id, version)


async def on_close(update: Update, context: Context) -> None:
    found = await seat(context, facilitator=True)
    if found is None:
        return
    await facilitator.close(context.services.store, found.person_id, found.workshop.id)
    await delivery.reply(context, t(found.lang, "bot.close.done", title=found.workshop.title))
