"""Turning engine outcomes into Telegram messages, and sending them safely.

One outcome becomes one message: the prompt's buttons as an inline keyboard, each button's
callback data ``c1|a|<question token>|<value>``. A button press edits the message it
belongs to; typed answers get one new message. A person who blocked the bot is marked
unreachable instead of failing the update (and facilitators are told).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import MessageLimit
from telegram.error import BadRequest, Forbidden

from bot.telegram.callback_data import encode
from flows.conversation.outcome import Button, Outcome
from flows.texts import t

log = logging.getLogger(__name__)

TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH
ELLIPSIS = "…"


class Unreachable(Exception):
    """The chat cannot be written to (the person blocked the bot or left)."""

    def __init__(self, chat_id: int) -> None:
        super().__init__(chat_id)
        self.chat_id = chat_id


def button_label(button: Button, lang: str) -> str:
    if button.label is not None:
        text = ("✓ " if button.selected else "") + button.label
        return text[:60] + (ELLIPSIS if len(text) > 60 else "")
    return button.text(t, lang)


def keyboard(outcome: Outcome) -> InlineKeyboardMarkup | None:
    prompt = outcome.prompt
    if prompt is None or not prompt.buttons or prompt.token is None:
        return None
    rows = [
        [
            InlineKeyboardButton(
                button_label(b, outcome.lang), callback_data=encode("a", prompt.token, b.value)
            )
            for b in row
        ]
        for row in prompt.buttons
    ]
    return InlineKeyboardMarkup(rows)


def fit(parts: Sequence[str], limit: int = TEXT_LIMIT) -> str:
    """Join message parts; when too long, shorten the earliest parts (context shown before
    the question), never the question itself."""
    parts = list(parts)
    text = "\n\n".join(parts)
    i = 0
    while len(text) > limit and i < len(parts) - 1:
        excess = len(text) - limit
        keep = max(0, len(parts[i]) - excess - 1)
        parts[i] = _cut_html(parts[i], keep)
        text = "\n\n".join(p for p in parts if p)
        i += 1
    return text if len(text) <= limit else _cut_html(text, limit - 1)


def _cut_html(text: str, keep: int) -> str:
    """Shorten to ``keep`` characters without leaving a broken tag or entity."""
    if len(text) <= keep:
        return text
    if keep <= 0:
        return ""
    plain = html.unescape(_strip_tags(text))
    return html.escape(plain[:keep].rstrip(), quote=False) + ELLIPSIS


def _strip_tags(text: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", text)


def render(outcome: Outcome) -> str:
    """The outcome as one HTML message: infos and errors, then the progress line (in
    italics) and the current question."""
    pieces = []
    for reply in outcome.replies:
        text = t(outcome.lang, reply.key, **reply.params)
        if reply.progress is not None:
            text = f"<i>{t(outcome.lang, reply.progress.key, **reply.progress.params)}</i>\n{text}"
        pieces.append(text)
    return fit(pieces)


async def send_outcome(
    bot: Bot,
    chat_id: int,
    outcome: Outcome,
    edit: Message | None = None,
) -> Message | bool:
    text = render(outcome)
    markup = keyboard(outcome)
    if not text:
        return False
    if edit is not None:
        try:
            return await edit.edit_text(text, reply_markup=markup)
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return edit
            log.info("could not edit message %s (%s); sending a new one", edit.message_id, exc)
    return await send_text(bot, chat_id, text, markup)


async def send_text(
    bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message:
    try:
        return await bot.send_message(chat_id, fit([text]), reply_markup=markup)
    except Forbidden as exc:
        raise Unreachable(chat_id) from exc
