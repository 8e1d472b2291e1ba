"""A person's own things: their workshops, language, help, and absence."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.telegram.callback_data import decode, encode
from bot.telegram.handlers.access import seat
from bot.telegram.handlers.common import Context, language, person_id, services
from bot.telegram.reminders import arm
from flows.conversation.validation import Invalid, parse_date
from flows.models import Member
from flows.review import cycle as rv
from flows.texts import languages, t

OFF_WORDS = ("off", "no", "нет", "стоп", "nie", "koniec")
MAX_AWAY_DAYS = 366


async def on_my(update: Update, context: Context) -> None:
    """/my: the person's workshops; a button makes one the current."""
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None
    lang = await language(context, user)
    svc = services(context)
    async with svc.store.read() as uow:
        person = await uow.people.get(person_id(user))
        memberships: list[Member] = await uow.items.memberships(person_id(user))
        workshops = [await uow.workshops.get(m.workshop_id) for m in memberships]
    pairs = [(m, w) for m, w in zip(memberships, workshops, strict=True) if w is not None]
    if not pairs:
        await message.reply_text(t(lang, "bot.my.none"))
        return
    current = person.current_workshop_id if person else None
    lines = [t(lang, "bot.my.title")]
    rows = []
    for member, workshop in pairs:
        mark = "▶️ " if workshop.id == current else ""
        lines.append(
            mark
            + t(
                lang,
                "bot.my.line",
                title=workshop.title,
                role=t(lang, f"bot.role.{member.role.value}"),
                status=t(lang, f"bot.status.{workshop.status.value}"),
            )
        )
        if workshop.id != current:
            rows.append(
                [InlineKeyboardButton(workshop.title[:40], callback_data=encode("w", workshop.id))]
            )
    await message.reply_text(
        "\n".join(lines), reply_markup=InlineKeyboardMarkup(rows) if rows else None
    )


async def on_switch_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    callback = decode(query.data)
    if callback is None or not callback.fields:
        await query.answer()
        return
    from bot.telegram.handlers.flow import respond

    out = await services(context).engine.switch(
        person_id(update.effective_user), callback.fields[0]
    )
    await query.answer()
    await respond(
        update, context, out, edit=query.message if isinstance(query.message, Message) else None
    )


async def on_language(update: Update, context: Context) -> None:
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None
    lang = await language(context, user)
    rows = [
        [
            InlineKeyboardButton(t(code, "bot.language.name"), callback_data=encode("l", code))
            for code in languages()
        ]
    ]
    await message.reply_text(t(lang, "bot.language.ask"), reply_markup=InlineKeyboardMarkup(rows))


async def on_language_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    callback = decode(query.data)
    if callback is None or not callback.fields or callback.fields[0] not in languages():
        await query.answer()
        return
    code = callback.fields[0]
    svc = services(context)
    async with svc.store.write() as uow:
        person = await uow.people.get(person_id(update.effective_user))
        if person is not None:
            person.language = code
            await uow.people.save(person)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(t(code, "bot.language.set"))


async def on_help(update: Update, context: Context) -> None:
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None
    await message.reply_text(t(await language(context, user), "bot.help"))


async def on_away(update: Update, context: Context) -> None:
    """/away DATE marks an absence in all the person's workshops (reminders wait);
    /away off ends it."""
    found = await seat(update, context)
    if found is None:
        return
    message = update.effective_message
    assert message is not None
    svc = services(context)
    now = svc.clock.now()
    today = now.astimezone(ZoneInfo(found.member.timezone or found.workshop.timezone)).date()
    arg = " ".join(context.args or []).strip()
    if not arg:
        await message.reply_text(t(found.lang, "review.away.ask"))
        return
    until = None
    if arg.lower() not in OFF_WORDS:
        try:
            until = parse_date(arg, today)
        except Invalid:
            until = None
        if until is None or not today <= until <= today + timedelta(days=MAX_AWAY_DAYS):
            await message.reply_text(t(found.lang, "review.away.bad_date"))
            return
    async with svc.store.write() as uow:
        moved = []
        for member in await uow.items.memberships(found.member.person_id or ""):
            moved += await rv.set_away(uow, member, until, now)
    for item in moved:
        arm(context.application, item)
    key = "review.away.set" if until else "review.away.off"
    await message.reply_text(t(found.lang, key, date=until.strftime("%d.%m.%Y") if until else ""))


async def on_timezone(update: Update, context: Context) -> None:
    """/timezone Europe/Warsaw: reminders follow the person's own time zone."""
    found = await seat(update, context)
    if found is None:
        return
    message = update.effective_message
    assert message is not None
    zone = " ".join(context.args or []).strip()
    current = found.member.timezone or found.workshop.timezone
    if not zone:
        await message.reply_text(t(found.lang, "bot.timezone.ask", zone=current))
        return
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        await message.reply_text(t(found.lang, "bot.timezone.bad", zone=zone))
        return
    svc = services(context)
    now = svc.clock.now()
    async with svc.store.write() as uow:
        person = await uow.people.get(found.member.person_id or "")
        if person is not None:
            person.timezone = zone
            await uow.people.save(person)
        moved = []
        for member in await uow.items.memberships(found.member.person_id or ""):
            moved += await rv.set_timezone(uow, member, zone, now)
    for item in moved:
        arm(context.application, item)
    await message.reply_text(t(found.lang, "bot.timezone.set", zone=zone))
