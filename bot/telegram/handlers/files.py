"""The map and the exports, as files in chat."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction

from bot.telegram.callback_data import decode, encode
from bot.telegram.handlers.access import seat
from bot.telegram.handlers.common import Context, services
from bot.telegram.maps import send_map
from bot.telegram.render_pool import EXPORT_FORMATS
from flows.texts import t
from flows.workshop.queries import load_map


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
