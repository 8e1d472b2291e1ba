"""Before any handler: an update that Telegram delivers twice (after a restart before the
offset was confirmed) is handled once — its id is recorded and a repeat stops here — and
the private chat of whoever wrote is remembered (reminders and notices need it)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.telegram.handlers.common import Context, remember_chat, services


async def on_any_update(update: Update, context: Context) -> None:
    svc = services(context)
    async with svc.store.write() as uow:
        first = await uow.updates.first_time(f"tg:{update.update_id}")
    if not first:
        raise ApplicationHandlerStop
    await remember_chat(context, update)
