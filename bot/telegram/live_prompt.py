"""A tidy chat: only the current question carries buttons.

When a new question goes out as a new message (after a typed answer or a command), the
previous question's buttons are taken off its message. The message of each private chat's
live question is remembered in memory (bounded); after a restart the one question asked
before it keeps its buttons, and pressing them says "closed" and shows the current one.
Review cards are sent elsewhere and never retired here.
"""

from __future__ import annotations

from collections import OrderedDict

from telegram.ext import Application

KEY = "live_prompts"
REMEMBERED = 50_000  # chats whose live question is remembered


def _table(app: Application) -> OrderedDict[int, int]:
    return app.bot_data.setdefault(KEY, OrderedDict())


def now_live(app: Application, chat_id: int, message_id: int | None) -> int | None:
    """``message_id`` now holds the chat's live question (None: no question is live);
    returns the message whose buttons should come off (the one before), if any."""
    table = _table(app)
    before = table.pop(chat_id, None)
    if message_id is not None:
        table[chat_id] = message_id
        while len(table) > REMEMBERED:
            table.popitem(last=False)
    return None if before == message_id else before


def forget(app: Application, chat_id: int, message_id: int) -> None:
    """``message_id`` became something else (e.g. a review card): it is no question."""
    table = _table(app)
    if table.get(chat_id) == message_id:
        del table[chat_id]
