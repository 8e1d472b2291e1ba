"""Commands around the flows: the map, exports, invites, nudges, review rounds, the
person's workshops, language, help and absence."""

from __future__ import annotations

import html
import json
import tempfile
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction

from bot.callback_data import decode, encode
from bot.handlers.access import seat
from bot.handlers.common import Context, language, person_id, services
from bot.maps import send_map
from bot.reminders import arm
from bot.render_pool import EXPORT_FORMATS
from bot.review_rounds import send_nudges
from bot.services import invite_link
from flows import review as rv
from flows.insights import department_label
from flows.models import Department, Invite, Member, WorkshopStatus
from flows.queries import load_map
from flows.texts import languages, t
from flows.validate import Invalid, parse_date
from flows.versions import start_round


async def on_map(update: Update, context: Context) -> None:
    found = await seat(update, context)
    if found is None:
        return
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_PHOTO)
    await send_map(context.application, chat.id, found.workshop.id, found.lang)


async def on_export(update: Update, context: Context) -> None:
    found = await seat(update, context)
    if found is None:
        return
    rows = [
        [InlineKeyboardButton(t(found.lang, f"bot.export.{fmt}"), callback_data=encode("x", fmt))]
        for fmt in EXPORT_FORMATS
    ]
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        t(found.lang, "bot.export.ask"), reply_markup=InlineKeyboardMarkup(rows)
    )


async def on_export_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    callback = decode(query.data)
    found = await seat(update, context)
    if found is None or callback is None or not callback.fields:
        await query.answer()
        return
    fmt = callback.fields[0]
    if fmt not in EXPORT_FORMATS:
        await query.answer(t(found.lang, "bot.button.closed"), show_alert=True)
        return
    await query.answer(t(found.lang, "bot.export.making"))
    svc = services(context)
    journey = await load_map(svc.store, found.workshop.id, at=svc.clock.now())
    export = json.dumps(await svc.store.export_workshop(found.workshop.id))
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"cjm-{found.workshop.id}.{EXPORT_FORMATS[fmt]}"
        path = await svc.renderer.export(journey, export, fmt, found.lang, target)
        with path.open("rb") as document:
            assert update.effective_chat is not None
            await context.bot.send_document(
                update.effective_chat.id,
                document,
                filename=path.name,
                caption=t(found.lang, "bot.export.caption", title=found.workshop.title),
            )


async def on_invite(update: Update, context: Context) -> None:
    found = await seat(update, context, facilitator=True)
    if found is None:
        return
    svc = services(context)
    async with svc.store.read() as uow:
        departments = {d.id: d for d in await uow.items.list(found.workshop.id, Department)}
        invites = [
            i for i in await uow.items.list(found.workshop.id, Invite) if i.revoked_at is None
        ]
    lines = [t(found.lang, "bot.invite.links")]
    for invite in invites:
        name = department_label(departments.get(invite.department_id or ""), found.lang)
        link = html.escape(invite_link(context.bot.username, invite.code))
        lines.append(t(found.lang, "bot.invite.line", department=name) + f" {link}")
    assert update.effective_message is not None
    await update.effective_message.reply_text("\n".join(lines), disable_web_page_preview=True)


async def on_revoke(update: Update, context: Context) -> None:
    """/revoke: every current link stops working and each department gets a new one."""
    found = await seat(update, context, facilitator=True)
    if found is None:
        return
    svc = services(context)
    now = svc.clock.now()
    async with svc.store.write() as uow:
        for invite in await uow.items.list(found.workshop.id, Invite):
            if invite.revoked_at is None:
                invite.revoked_at = now
                await uow.items.update(invite, actor=found.member.id)
                fresh = Invite(
                    workshop_id=found.workshop.id,
                    department_id=invite.department_id,
                    role=invite.role,
                    author_id=found.member.id,
                )
                await uow.items.add(fresh, actor=found.member.id)
    assert update.effective_message is not None
    await update.effective_message.reply_text(t(found.lang, "bot.invite.revoked"))
    await on_invite(update, context)


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
    try:
        async with svc.store.write() as uow:
            await rv.schedule_workshop(uow, found.workshop, now)
            new_round, joined = await start_round(uow, found.workshop, found.member.id, now)
    except ValueError as exc:
        await message.reply_text(t(found.lang, str(exc)))
        return
    if not joined:
        await message.reply_text(t(found.lang, "review.round.nothing"))
        return
    for item in joined:
        arm(context.application, item)
    from bot.reminders import deliver_due

    await message.reply_text(
        t(
            found.lang,
            "review.round.started",
            number=new_round.number,
            count=len(joined),
            closes=new_round.closes_at.strftime("%d.%m.%Y"),
        )
    )
    await deliver_due(context.application, found.workshop.id)


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
    from bot.handlers.flow import respond

    out = await services(context).engine.switch(
        person_id(update.effective_user), callback.fields[0]
    )
    await query.answer()
    await respond(update, context, out)


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
    """/away DATE marks an absence (reminders wait); /away off ends it."""
    found = await seat(update, context)
    if found is None:
        return
    message = update.effective_message
    assert message is not None
    svc = services(context)
    now = svc.clock.now()
    arg = " ".join(context.args or []).strip()
    if not arg:
        await message.reply_text(t(found.lang, "review.away.ask"))
        return
    until = None
    if arg.lower() not in ("off", "no", "нет", "стоп"):
        try:
            until = parse_date(arg, now.date())
        except Invalid:
            until = None
        if until is None or until < now.date():
            await message.reply_text(t(found.lang, "review.away.bad_date"))
            return
    async with svc.store.write() as uow:
        moved = await rv.set_away(uow, found.member, until, now)
    for item in moved:
        arm(context.application, item)
    key = "review.away.set" if until else "review.away.off"
    await message.reply_text(t(found.lang, key, date=until.strftime("%d.%m.%Y") if until else ""))
