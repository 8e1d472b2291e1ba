"""The map and the exports, as files in chat."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo
from telegram.constants import ChatAction

from bot.telegram import delivery
from bot.telegram.callback_data import Action, decode, encode
from bot.telegram.handlers.access import Seat, seat
from bot.telegram.handlers.common import Context, refuse
from bot.telegram.maps import send_export, send_map
from flows.texts import t
from flows.workshop import exports
from flows.workshop.exports import ExportFormat
from flows.workshop.personas import personas_of


def _private(context: Context) -> str | None:
    return context.person_id if context.private else None


async def on_map(update: Update, context: Context) -> None:
    """/map; with several personas it asks first whose map (a button per persona)."""
    found = await seat(context)
    if found is None or context.chat is None:
        return
    personas = await personas_of(context.services.store, found.workshop.id)
    if len(personas) > 1:
        rows = [
            [InlineKeyboardButton(p.name, callback_data=encode(Action.MAP, p.id))] for p in personas
        ]
        markup = InlineKeyboardMarkup(rows)
        await delivery.reply(context, t(found.lang, "bot.map.which"), markup)
        return
    await _send_map(context, found, None)


async def on_map_button(update: Update, context: Context) -> None:
    """A persona chosen for /map: that persona's map."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    found = await seat(context)
    if found is None or callback is None or context.chat is None:
        await delivery.answer(context)
        return
    persona = callback.field(0)
    personas = await personas_of(context.services.store, found.workshop.id)
    if persona not in {p.id for p in personas}:
        await delivery.answer(context, t(found.lang, "bot.button.closed"), alert=True)
        return
    await delivery.answer(context)
    await _send_map(context, found, persona)


async def _send_map(context: Context, found: Seat, persona: str | None) -> None:
    assert context.chat is not None
    chat_id, app = context.chat.id, context.application
    await delivery.chat_action(app, chat_id, ChatAction.UPLOAD_PHOTO)
    await send_map(
        app, chat_id, found.workshop.id, found.lang, person_id=_private(context), persona=persona
    )
    url = context.services.settings.webapp_url
    if url and context.private:  # Telegram opens web-app buttons in private chats only
        from bot.telegram.webapp.server import page_url

        link = WebAppInfo(url=page_url(url, found.workshop.id, found.lang))
        button = InlineKeyboardButton(t(found.lang, "bot.map.open"), web_app=link)
        markup = InlineKeyboardMarkup([[button]])
        await delivery.reply(context, t(found.lang, "bot.map.open_hint"), markup, quote=False)


def _format_button(lang: str, fmt: ExportFormat) -> list[InlineKeyboardButton]:
    data = encode(Action.EXPORT, fmt)
    return [InlineKeyboardButton(t(lang, f"bot.export.{fmt}"), callback_data=data)]


async def on_export(update: Update, context: Context) -> None:
    """/export: the formats this person may take (the JSON export for facilitators)."""
    found = await seat(context)
    if found is None:
        return
    offered = await exports.offered_formats(
        context.services.store, found.person_id, found.workshop.id
    )
    markup = InlineKeyboardMarkup([_format_button(found.lang, f) for f in offered])
    await delivery.reply(context, t(found.lang, "bot.export.ask"), markup)


async def on_export_button(update: Update, context: Context) -> None:
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    found = await seat(context)
    if found is None or callback is None or context.chat is None:
        await delivery.answer(context)
        return
    fmt, svc = exports.export_format(callback.field(0)), context.services
    if fmt is None:
        await delivery.answer(context, t(found.lang, "bot.button.closed"), alert=True)
        return
    try:
        source = await exports.prepare_export(
            svc.store, found.person_id, found.workshop.id, fmt, svc.clock.now()
        )
    except exports.AccessDenied as exc:
        await refuse(context, exc.key, alert=True)
        return
    await delivery.answer(context, t(found.lang, "bot.export.making"))
    await send_export(context.application, context.chat.id, source, found.lang, _private(context))
