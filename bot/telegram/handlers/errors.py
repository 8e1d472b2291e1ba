"""The error handler: log (the log filter removes the token) and tell the person."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram.handlers.common import Context, language
from flows.texts import t

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    error = context.error
    # BadRequest is a NetworkError in python-telegram-bot, but it is our bug, not the network
    if isinstance(error, (TimedOut, NetworkError, RetryAfter)) and not isinstance(
        error, BadRequest
    ):
        # the reply may well have arrived (Telegram answered late): a second message about
        # it would be one too many
        log.warning("Telegram did not answer in time: %s", error)
        return
    else:
        log.error("error while handling an update", exc_info=error)
    if not isinstance(update, Update) or update.effective_user is None:
        return
    chat = update.effective_chat
    if chat is None or isinstance(error, Forbidden):
        return
    try:
        lang = await language(context, update.effective_user)
        await context.bot.send_message(chat.id, t(lang, "bot.error.generic"))
    except Exception:  # the error report itself must never raise
        log.warning("could not tell the user about the error")
