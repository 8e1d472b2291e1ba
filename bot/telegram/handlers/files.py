"""The map and the exports, as files in chat."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction

from bot.telegram import delivery
from bot.telegram.callback_data import Action, decode, encode
from bot.telegram.handlers.access import seat
from bot.telegram.handlers.common import Context
from bot.telegram.maps import send_export, send_map
from bot.telegram.render_pool import EXPORT_FORMATS
from flows.texts import t


def _private(context: Context) -> str | None:
    return context.person_id if context.private else None


async def on_map(update: Update, context: Context) -> None:
    found = await seat(context)
    if found is None or context.chat is None:
        return
    chat_id, app = context.chat.id, context.application
    await delivery.chat_action(app, chat_id, ChatAction.UPLOAD_PHOTO)
    await send_map(app, chat_id, found.workshop.id, found.lang, person_id=_private(context))


async def on_export(update: Update, context: Context) -> None:
    found = await seat(context)
    if found is None:
        return
    rows = [
        [
            InlineKeyboardButton(
                t(found.lang, f"bot.export.{f}"), callback_data=encode(Action.EXPORT, f)
            )
        ]
        for f in EXPORT_FORMATS
    ]
    await delivery.reply(context, t(found.lang, "bot.export.ask"), InlineKeyboardMarkup(rows))


async def on_export_button(update: Update, context: Context) -> None:
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    found = await seat(context)
    if found is None or callback is None or not callback.fields or context.chat is None:
        await delivery.answer(context)
        return
    fmt = callback.fields[0]
    if fmt not in EXPORT_FORMATS:
        await delivery.answer(context, t(found.lang, "bot.button.closed"), alert=True)
        return
    await delivery.answer(context, t(found.lang, "bot.export.making"))
    await send_export(
        context.application,
        context.chat.id,
        found.workshop,
        fmt,
        found.lang,
        person_id=_private(context),
    )
