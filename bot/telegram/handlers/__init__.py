"""All handlers, registered on an Application in one place."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.telegram.callback_data import Action, pattern
from bot.telegram.handlers import (
    facilitation,
    files,
    flow,
    groups,
    leaving,
    manage,
    me,
    reviews,
    rules,
)
from bot.telegram.handlers.common import Context, services, tell
from bot.telegram.handlers.dedup import on_any_update
from bot.telegram.handlers.errors import on_error

log = logging.getLogger(__name__)
PRIVATE = filters.ChatType.PRIVATE
Callback = Callable[[Update, Context], Coroutine[Any, Any, Any]]


async def on_unknown_command(update: Update, context: Context) -> None:
    await tell(context, "bot.error.unknown_command")


COMMANDS: dict[str, Callback] = {
    "start": flow.on_start,
    "new": flow.on_new,
    "back": flow.on_flow_command,
    "skip": flow.on_flow_command,
    "cancel": flow.on_flow_command,
    "continue": flow.on_flow_command,
    "done": flow.on_flow_command,
    "my": me.on_my,
    "language": me.on_language,
    "help": me.on_help,
    "invite": facilitation.on_invite,
    "revoke": facilitation.on_revoke,
    "nudge": facilitation.on_nudge,
    "review": facilitation.on_review_round,
    "review_me": reviews.on_review_me,
    "kpi": reviews.on_kpi,
    "rules": rules.on_rules,
    "edit": me.on_edit,
    "away": me.on_away,
    "timezone": me.on_timezone,
    "status": manage.on_status,
    "members": manage.on_members,
    "merge": manage.on_merge,
    "publish": manage.on_publish,
    "close": manage.on_close,
    "leave": leaving.on_leave,
    "remove": leaving.on_remove,
    "forget_me": leaving.on_forget_me,
}
BUTTONS: dict[Action, Callback] = {
    Action.ANSWER: flow.on_answer_button,
    Action.REVIEW: reviews.on_review_button,
    Action.HANDOVER: reviews.on_handover_button,
    Action.EXPORT: files.on_export_button,
    Action.SWITCH: me.on_switch_button,
    Action.LANGUAGE: me.on_language_button,
    Action.MERGE: manage.on_merge_button,
    Action.LEAVE: leaving.on_leave_button,
    Action.REMOVE: leaving.on_remove_button,
    Action.FORGET: leaving.on_forget_button,
    Action.RULE_PAIN: rules.on_rule_pain_button,
    Action.MAP: files.on_map_button,
}
SLOW_BUTTONS = (Action.EXPORT, Action.MAP)  # exports and maps take a while: others go on


def _others(app: Application) -> None:
    # rendering and exports can take a while: do not hold up other people's updates
    app.add_handler(CommandHandler("map", files.on_map, block=False))
    app.add_handler(CommandHandler("export", files.on_export, filters=PRIVATE))
    app.add_handler(CommandHandler("bind", groups.on_bind))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, groups.on_migrate))
    app.add_handler(ChatMemberHandler(groups.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, on_unknown_command))
    not_text = PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL
    app.add_handler(MessageHandler(not_text, flow.on_non_text))


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, on_any_update), group=-1)
    # the most frequent update first: a typed answer is not checked against every command
    # (every typed answer is a flow's — a review's KPI value and pain point included)
    app.add_handler(MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, flow.on_text))
    for name, callback in COMMANDS.items():
        app.add_handler(CommandHandler(name, callback, filters=PRIVATE))
    _others(app)
    for action, callback in BUTTONS.items():
        block = action not in SLOW_BUTTONS
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern(action), block=block))
    app.add_handler(CallbackQueryHandler(flow.on_answer_button))  # old or foreign buttons
    app.add_error_handler(on_error)


__all__ = ["register", "services"]
