"""The only place that sends to Telegram: engine outcomes and use-case answers become
messages here, and every send goes through :func:`send` (files through :func:`send_file`,
photos as albums through :func:`send_album`).

One outcome becomes one message: the prompt's buttons as an inline keyboard, each button's
callback data ``c1|a|<question token>|<value>``. A button press edits the message it
belongs to (a new one when it cannot be edited); typed answers get one new message. A
person who blocked the bot (``Forbidden``) is marked unreachable and the facilitators of
their workshops are told (:func:`unreachable`); a group that refuses is only logged.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from telegram import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from telegram.constants import ChatAction, MessageLimit
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application

from bot.telegram import live_prompt
from bot.telegram.callback_data import Action, encode
from flows.conversation.outcome import Button, Outcome
from flows.models import Person
from flows.texts import t
from flows.workshop import people
from flows.workshop.messages import Notice, Result

if TYPE_CHECKING:
    from bot.telegram.context import BotContext

log = logging.getLogger(__name__)

TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH
ELLIPSIS = "…"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


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
                button_label(b, outcome.lang),
                callback_data=encode(Action.ANSWER, prompt.token, b.value),
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
    plain = html.unescape(re.sub(r"<[^>]+>", "", text))
    return html.escape(plain[:keep].rstrip(), quote=False) + ELLIPSIS


def message_text(outcome: Outcome) -> str:
    """The outcome as one HTML message: infos and errors, then the progress line (in
    italics) and the current question."""
    pieces = []
    for reply in outcome.replies:
        text = t(outcome.lang, reply.key, **reply.params)
        if reply.progress is not None:
            text = f"<i>{t(outcome.lang, reply.progress.key, **reply.progress.params)}</i>\n{text}"
        pieces.append(text)
    return fit(pieces)


def said(lang: str, result: Result) -> str:
    """A use case's answer in ``lang``."""
    return t(lang, result.key, **result.params)


# ------------------------------------------------------------------ the one way out


async def send(
    app: Application,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    person_id: str | None = None,
    **options: Any,
) -> Message | None:
    """Send one message (shortened to fit). ``person_id``: the chat is that person's
    private chat, and a refusal marks them unreachable. None when it could not go;
    other Telegram errors are raised (the caller decides whether to try again)."""
    try:
        return await app.bot.send_message(chat_id, fit([text]), reply_markup=markup, **options)
    except Forbidden as exc:
        await _refused(app, chat_id, person_id, exc)
        return None


async def send_file(
    app: Application,
    chat_id: int,
    path: Path,
    *,
    photo: bool = False,
    person_id: str | None = None,
    **options: Any,
) -> Message | None:
    """A photo (``photo``) or a document, with its caption and file name in ``options``."""
    try:
        with path.open("rb") as file:
            if photo:
                return await app.bot.send_photo(chat_id, file, **options)
            return await app.bot.send_document(chat_id, file, **options)
    except Forbidden as exc:
        await _refused(app, chat_id, person_id, exc)
        return None


ALBUM = 10  # photos Telegram takes in one album


def albums(count: int, most: int = ALBUM) -> list[int]:
    """How ``count`` photos go out: as few albums as hold them, of even sizes, so none is
    a lone photo (Telegram's albums take 2-10): 11 -> [6, 5]; a single photo -> [1]."""
    if count <= 0:
        return []
    groups = -(-count // most)
    size, extra = divmod(count, groups)
    return [size + (i < extra) for i in range(groups)]


async def send_album(
    app: Application,
    chat_id: int,
    paths: Sequence[Path],
    *,
    caption: str = "",
    person_id: str | None = None,
) -> list[Message] | None:
    """Photos as albums (``caption`` under the first); one photo alone as a photo. The
    messages sent, or None when the chat refused them."""
    if len(paths) == 1:
        one = await send_file(
            app, chat_id, paths[0], photo=True, person_id=person_id, caption=caption
        )
        return None if one is None else [one]
    sent: list[Message] = []
    start = 0
    try:
        for size in albums(len(paths)):
            chunk = paths[start : start + size]
            files = [path.open("rb") for path in chunk]
            try:
                media = [
                    InputMediaPhoto(f, caption=caption if start == 0 and i == 0 else None)
                    for i, f in enumerate(files)
                ]
                sent += await app.bot.send_media_group(chat_id, media)
            finally:
                for f in files:
                    f.close()
            start += size
    except Forbidden as exc:
        await _refused(app, chat_id, person_id, exc)
        return None
    return sent


async def chat_action(app: Application, chat_id: int, action: ChatAction) -> None:
    try:
        await app.bot.send_chat_action(chat_id, action)
    except TelegramError as exc:  # only a hint that something is coming
        log.info("chat action in %s: %s", chat_id, exc)


async def _refused(app: Application, chat_id: int, person_id: str | None, exc: Exception) -> None:
    if person_id is None:
        log.warning("chat %s refused a message: %s", chat_id, exc)
    else:
        await unreachable(app, person_id)


async def unreachable(app: Application, person_id: str) -> None:
    """The person blocked the bot: marked unreachable, their facilitators told (once)."""
    svc = app.bot_data["services"]
    told = await people.mark_unreachable(svc.store, person_id, svc.settings.default_language)
    await deliver_notices(app, told)


# ------------------------------------------------------------------ people and groups


async def to_person(
    app: Application, person: Person, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """A message to a person's private chat; None when they have none or cannot be reached."""
    if person.chat_id is None or person.unreachable:
        return None
    return await send(app, person.chat_id, text, markup, person_id=person.id)


async def deliver_notices(app: Application, notices: list[Notice]) -> int:
    """Each notice to its person; returns how many arrived."""
    sent = 0
    for notice in notices:
        if await to_person(app, notice.to, t(notice.lang, notice.key, **notice.params)):
            sent += 1
    return sent


async def to_group(app: Application, chat_id: int, text: str) -> Message | None:
    """A message to a workshop's group; a group that refuses it is only logged."""
    try:
        return await send(app, chat_id, text)
    except TelegramError as exc:
        log.warning("group %s: %s", chat_id, exc)
        return None


# ------------------------------------------------------------------ answering an update


async def reply(
    context: BotContext,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    quote: bool = True,
    preview: bool = True,
) -> Message | None:
    """The answer in the chat the update came from; in a group it quotes the message
    (as Telegram's "reply" does), unless ``quote`` is False."""
    chat, message = context.chat, context.incoming.effective_message if context.incoming else None
    assert chat is not None
    options: dict[str, Any] = {} if preview else {"link_preview_options": NO_PREVIEW}
    if quote and message is not None and chat.type != Chat.PRIVATE:
        options["reply_parameters"] = ReplyParameters(message.message_id)
    pid = context.person_id if chat.type == Chat.PRIVATE else None
    return await send(context.application, chat.id, text, markup, person_id=pid, **options)


def pressed(context: BotContext) -> Message | None:
    """The message whose button was pressed, if it can still be edited."""
    query = context.incoming.callback_query if context.incoming else None
    return query.message if query is not None and isinstance(query.message, Message) else None


async def edit(
    context: BotContext, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """A button press changes the message it belongs to; a new message when that fails."""
    message = pressed(context)
    if message is not None:
        if message.chat.type == Chat.PRIVATE:
            await live_prompt.forget(context.application, context.person_id, message.message_id)
        try:
            edited = await context.bot.edit_message_text(
                fit([text]),
                chat_id=message.chat_id,
                message_id=message.message_id,
                reply_markup=markup,
            )
            return edited if isinstance(edited, Message) else message
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return message
            log.info("could not edit message %s (%s); sending a new one", message.message_id, exc)
        except Forbidden:
            await unreachable(context.application, context.person_id)
            return None
    return await reply(context, text, markup, quote=False)


async def answer(context: BotContext, text: str | None = None, *, alert: bool = False) -> None:
    """Answer the button press (a short notice, or an alert to dismiss)."""
    query = context.incoming.callback_query if context.incoming else None
    if query is not None:
        await query.answer(text, show_alert=alert)


async def send_outcome(
    context: BotContext, outcome: Outcome, *, edit_pressed: bool = False
) -> bool:
    """The engine's outcome as one message (editing the pressed one when asked); False
    when the person cannot be reached."""
    text = message_text(outcome)
    if not text:
        return True
    markup = keyboard(outcome)
    if edit_pressed:
        sent = await edit(context, text, markup)
    else:
        sent = await reply(context, text, markup, quote=False)
    if sent is None:
        return False
    if sent.chat.type == Chat.PRIVATE:
        live = sent.message_id if markup else None
        before = await live_prompt.now_live(context.application, context.person_id, live)
        if before is not None:
            await _bare(context, sent.chat_id, before)
    return True


async def _bare(context: BotContext, chat_id: int, message_id: int) -> None:
    """Take the buttons off an earlier question (see :mod:`bot.telegram.live_prompt`)."""
    try:
        await context.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)
    except (BadRequest, Forbidden) as exc:  # gone, too old to edit, or already bare
        log.debug("could not take the buttons off message %s: %s", message_id, exc)
