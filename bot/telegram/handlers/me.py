"""A person's own things: their workshops, language, help, absence and time zone (the use
cases are in flows.workshop.people)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.telegram import delivery
from bot.telegram.callback_data import Action, decode, encode
from bot.telegram.handlers.access import seat
from bot.telegram.handlers.common import Context, say, tell
from bot.telegram.handlers.flow import respond
from flows.models import Member, Workshop
from flows.texts import languages, t
from flows.workshop import edit, people


def _my_line(lang: str, member: Member, workshop: Workshop, current: str | None) -> str:
    mark = "▶️ " if workshop.id == current else ""
    role = t(lang, f"bot.role.{member.role.value}")
    status = t(lang, f"bot.status.{workshop.status.value}")
    return mark + t(lang, "bot.my.line", title=workshop.title, role=role, status=status)


def _switch_button(workshop: Workshop) -> list[InlineKeyboardButton]:
    data = encode(Action.SWITCH, workshop.id)
    return [InlineKeyboardButton(workshop.title[:40], callback_data=data)]


async def on_my(update: Update, context: Context) -> None:
    """/my: the person's workshops; a button makes one the current."""
    lang = await context.language()
    current, pairs = await people.my_workshops(context.services.store, context.person_id)
    if not pairs:
        await tell(context, "bot.my.none")
        return
    lines = [t(lang, "bot.my.title")] + [_my_line(lang, m, w, current) for m, w in pairs]
    rows = [_switch_button(w) for _, w in pairs if w.id != current]
    markup = InlineKeyboardMarkup(rows) if rows else None
    await delivery.reply(context, "\n".join(lines), markup)


async def on_switch_button(update: Update, context: Context) -> None:
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    if callback is None or not callback.fields:
        await delivery.answer(context)
        return
    out = await context.services.engine.switch(context.person_id, callback.fields[0])
    await delivery.answer(context)
    await respond(context, out, edit=True)


async def on_language(update: Update, context: Context) -> None:
    buttons = [
        InlineKeyboardButton(
            t(code, "bot.language.name"), callback_data=encode(Action.LANGUAGE, code)
        )
        for code in languages()
    ]
    lang = await context.language()
    await delivery.reply(context, t(lang, "bot.language.ask"), InlineKeyboardMarkup([buttons]))


async def on_language_button(update: Update, context: Context) -> None:
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    code = callback.field(0) if callback else ""
    if not await people.set_language(context.services.store, context.person_id, code):
        await delivery.answer(context)
        return
    context.forget()  # their language changed
    await delivery.answer(context)
    await delivery.edit(context, t(code, "bot.language.set"))


async def on_help(update: Update, context: Context) -> None:
    await tell(context, "bot.help")


async def on_away(update: Update, context: Context) -> None:
    """/away DATE marks an absence in all the person's workshops (reminders wait);
    /away off ends it."""
    found = await seat(context)
    if found is None:
        return
    arg = " ".join(context.args or [])
    svc = context.services
    result = await people.set_away(svc.store, svc.clock, found.person_id, found.workshop.id, arg)
    await say(context, found.lang, result)


async def on_timezone(update: Update, context: Context) -> None:
    """/timezone Europe/Warsaw: reminders follow the person's own time zone."""
    found = await seat(context)
    if found is None:
        return
    zone = " ".join(context.args or [])
    svc = context.services
    result = await people.set_timezone(
        svc.store, svc.clock, found.person_id, found.workshop.id, zone
    )
    await say(context, found.lang, result)


async def on_edit(update: Update, context: Context) -> None:
    """/edit: the person's own items of the current workshop, to edit or delete."""
    place = await context.seat(bound=False)
    if place is None:
        await tell(context, "bot.error.no_workshop")
        return
    out = await context.services.engine.start(
        context.person_id, edit.begin, workshop_id=place.workshop.id
    )
    await respond(context, out)
