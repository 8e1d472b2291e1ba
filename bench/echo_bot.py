"""The baseline of ``bench.answer_cpu``: a bare python-telegram-bot echo bot built with the
same builder options as ``bot/telegram/app.py`` (HTML defaults, the same rate limiter, the
retrying HTTPX request layer, the configured Bot API base URL) that replies with the text.

``TELEGRAM_BOT_TOKEN=... TELEGRAM_API_BASE_URL=... python -m bench.echo_bot``
"""

from __future__ import annotations

import logging
import os

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.telegram.app import OVERALL_PER_SECOND
from bot.telegram.rate_limit import PerChatRateLimiter
from bot.telegram.retrying_request import RetryingRequest, http_request
from bot.telegram.update_order import PerPersonUpdateProcessor


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_text(update.message.text or "")


def build(
    token: str,
    base_url: str | None,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> Application:
    """As ``bot.telegram.app.build_application`` builds it (``request``: in-process fakes)."""
    builder = (
        ApplicationBuilder()
        .token(token)
        .defaults(Defaults(parse_mode=ParseMode.HTML, disable_notification=False))
        .rate_limiter(PerChatRateLimiter(per_second=OVERALL_PER_SECOND, max_retries=5))
        .concurrent_updates(PerPersonUpdateProcessor(max_concurrent_updates=64))
    )
    if base_url:
        builder = builder.base_url(base_url)
    builder = builder.request(RetryingRequest(request or http_request(connection_pool_size=64)))
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return application


def main() -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level="INFO")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # as the bot does
    app = build(os.environ["TELEGRAM_BOT_TOKEN"], os.environ.get("TELEGRAM_API_BASE_URL"))
    app.run_polling(allowed_updates=["message", "callback_query", "my_chat_member"])


if __name__ == "__main__":
    main()
