"""Before any handler: an update that Telegram delivers twice (after a restart before the
offset was confirmed) is handled once — its id is recorded and a repeat stops here — and
the private chat of whoever wrote is remembered (reminders and notices need it)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.telegram.context import display_name
from bot.telegram.handlers.common import Context
from flows.workshop import people


async def on_any_update(update: Update, context: Context) -> None:
    if not await context.first_time():
        raise ApplicationHandlerStop
    user, svc = update.effective_user, context.services
    if user is None or not context.private or context.chat is None:
        return
    person = await people.remember_chat(
        svc.store,
        context.person_id,
        name=display_name(user),
        chat_id=context.chat.id,
        language_code=user.language_code,
        default_lang=svc.settings.default_language,
    )
    context.remember(person)
