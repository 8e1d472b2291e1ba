"""The one place that wires everything: settings -> python-telegram-bot Application.

``build_application`` makes the Application (token, optional self-hosted Bot API base URL,
AIORateLimiter with retries on 429, HTML parse mode); ``post_init`` opens storage and
registers the command menu, ``post_shutdown`` closes it. ``run`` is ``cjm-bot run``: it
takes the single-instance lock, configures logging without the token, and polls (or
serves a webhook when ``WEBHOOK_URL`` is set: bot/telegram/webhook.py, which answers
Telegram only once an update is processed).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder, Defaults
from telegram.request import BaseRequest

from bot.instance_lock import AlreadyRunning, InstanceLock
from bot.logs import configure_logging
from bot.settings import Settings, SettingsError
from bot.telegram.context import CONTEXT_TYPES
from bot.telegram.rate_limit import PerChatRateLimiter
from bot.telegram.retrying_request import RetryingRequest, http_request
from bot.telegram.services import Services
from bot.telegram.update_order import PerPersonUpdateProcessor
from flows.texts import languages, t_plain

log = logging.getLogger(__name__)

# Telegram allows about 30 messages a second overall; stay just under, evenly spaced.
OVERALL_PER_SECOND = 28
MENU_COMMANDS = (
    "my",
    "continue",
    "new",
    "status",
    "rules",
    "map",
    "export",
    "edit",
    "language",
    "leave",
    "forget_me",
    "help",
)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> Application:
    if not settings.token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .context_types(CONTEXT_TYPES)  # the person loaded once per update
        .defaults(Defaults(parse_mode=ParseMode.HTML, disable_notification=False))
        .rate_limiter(PerChatRateLimiter(per_second=OVERALL_PER_SECOND, max_retries=5))
        .concurrent_updates(PerPersonUpdateProcessor(max_concurrent_updates=64))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
    if settings.telegram_api_file_url:
        builder = builder.base_file_url(settings.telegram_api_file_url)
    builder = builder.request(RetryingRequest(request or http_request(connection_pool_size=64)))
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application = builder.build()
    application.bot_data["settings"] = settings
    from bot.telegram.handlers import register

    register(application)
    return application


async def _post_init(application: Application) -> None:
    settings: Settings = application.bot_data["settings"]
    services = await Services.open(settings, bot_username=application.bot.username)
    application.bot_data["services"] = services
    await _set_commands(application)
    from bot.telegram.notify import send_summaries
    from bot.telegram.reminders import add_sweep_hook, rebuild
    from bot.telegram.rules_run import run_rules

    add_sweep_hook(application, run_rules)  # rules on the living map, once per sweep
    add_sweep_hook(application, send_summaries)  # the facilitators' daily summary
    jobs = await rebuild(application)
    log.info("review reminders armed: %d", jobs)
    if settings.webapp_url:  # the Mini App's map, served beside polling or the webhook
        from bot.telegram.webapp.server import start_for

        application.bot_data["webapp"] = await start_for(settings, services)
    if settings.database_url is not None:  # several instances on PostgreSQL: one leads
        from bot.telegram.leadership import watch

        watch(application)
    hook = application.bot_data.get("after_start")
    if hook is not None:
        await hook(application)


async def _post_shutdown(application: Application) -> None:
    webapp = application.bot_data.pop("webapp", None)
    if webapp is not None:
        await webapp.stop()
    services: Services | None = application.bot_data.pop("services", None)
    if services is not None:
        await services.close()


async def _set_commands(application: Application) -> None:
    scope = BotCommandScopeAllPrivateChats()
    for lang in languages():
        commands = [BotCommand(c, t_plain(lang, f"bot.menu.{c}")) for c in MENU_COMMANDS]
        await application.bot.set_my_commands(commands, scope=scope, language_code=lang)
    default = application.bot_data["settings"].default_language
    commands = [BotCommand(c, t_plain(default, f"bot.menu.{c}")) for c in MENU_COMMANDS]
    await application.bot.set_my_commands(commands, scope=scope)


def run(args: argparse.Namespace, settings: Settings) -> int:
    configure_logging(settings.log_level_number, secrets=[settings.token or ""])
    if not settings.token:
        print(t_plain(settings.default_language, "bot.run.no_token"), file=sys.stderr)
        return 2
    lang = settings.default_language
    if settings.database_url is None:
        locks = [
            InstanceLock.for_database(settings.database_path),
            InstanceLock.for_token(settings.token),
        ]
    else:  # on PostgreSQL, webhook instances share the database (one leads the scheduler)
        locks = [] if settings.webhook_url else [InstanceLock.for_token(settings.token)]
    try:
        for lock in locks:
            lock.acquire()
    except AlreadyRunning as exc:
        what = t_plain(lang, f"bot.run.what.{exc.what}")
        print(t_plain(lang, "bot.run.already_running", pid=exc.pid, what=what), file=sys.stderr)
        for lock in locks:
            lock.release()
        return 3
    try:
        rejected = asyncio.run(_token_rejected(settings))
        if rejected is not None:  # PTB's own message and traceback would show the token
            print(rejected_token(lang, rejected, settings), file=sys.stderr)
            return 2
        application = build_application(settings)
        _serve(application, settings)
    except SettingsError as exc:  # found only when serving starts (WEBAPP_PORT taken)
        print(exc, file=sys.stderr)
        return 2
    finally:
        for lock in locks:
            lock.release()
    return 0


async def _token_rejected(settings: Settings) -> InvalidToken | None:
    """Ask Telegram who the bot is before serving: a rejected token stops start-up with
    a clear line. (Other failures are left to the serving loop, which retries them.)"""
    bot = Bot(
        settings.token or "",
        base_url=settings.telegram_api_base_url or "https://api.telegram.org/bot",
        request=RetryingRequest(http_request()),
    )
    try:
        async with bot:
            return None
    except InvalidToken as exc:
        return exc
    except TelegramError:
        return None


def rejected_token(lang: str, exc: InvalidToken, settings: Settings) -> str:
    """One line naming the setting: 401 is a wrong or revoked token; 404 a malformed one
    or an API base URL that is not a Bot API server."""
    answer = str(exc.__cause__ or "")
    if "unauthorized" in answer.casefold():
        return t_plain(lang, "bot.run.token_rejected")
    url = settings.telegram_api_base_url or "https://api.telegram.org/bot"
    return t_plain(lang, "bot.run.token_not_found", url=url)


def _serve(application: Application, settings: Settings) -> None:
    options: dict[str, Any] = {"allowed_updates": ["message", "callback_query", "my_chat_member"]}
    if settings.webhook_url:
        from bot.telegram.webhook import serve

        log.info("serving the webhook on %s:%s", settings.webhook_listen, settings.webhook_port)
        serve(application, settings, **options)  # answers Telegram once an update is stored
    else:
        log.info("polling for updates")
        application.run_polling(**options)
