"""The error handler: log (the log filter removes the token) and tell the person."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram import delivery
from bot.telegram.handlers.common import Context
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
    log.error("error while handling an update", exc_info=error)
    if not isinstance(update, Update) or isinstance(error, Forbidden):
        return
    if update.effective_user is None or update.effective_chat is None:
        return
    try:
        text = t(await context.language(), "bot.error.generic")
        await delivery.reply(context, text, quote=False)
    except Exception:  # the error report itself must never raise
        log.warning("could not tell the user about the error")
