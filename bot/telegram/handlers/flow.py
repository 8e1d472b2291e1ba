"""The conversation handlers: typed answers, button presses, non-text messages and the
flow commands. Each loads nothing itself: the engine does, from storage."""

from __future__ import annotations

from telegram import Message, Update

from bot.telegram.callback_data import decode
from bot.telegram.delivery import Unreachable, send_outcome
from bot.telegram.effects import perform
from bot.telegram.handlers.common import Context, display_name, language, person_id, services
from bot.telegram.handlers.dedup import unrecorded
from bot.telegram.notify import mark_unreachable
from flows.conversation.outcome import Answer, Outcome
from flows.review import card as review_chat
from flows.texts import t


async def respond(
    update: Update, context: Context, outcome: Outcome, edit: Message | None = None
) -> None:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    try:
        await send_outcome(context.bot, chat.id, outcome, edit=edit)
    except Unreachable:
        await mark_unreachable(context.application, person_id(user))
        return
    await perform(context.application, outcome, person_id(user))


async def on_text(update: Update, context: Context) -> None:
    """A typed answer: stored, the update recorded and the chat remembered in one commit."""
    user, chat = update.effective_user, update.effective_chat
    assert update.message is not None and user is not None and chat is not None
    out = await services(context).engine.advance(
        person_id(user),
        Answer.text(update.message.text or ""),
        update_id=unrecorded(context),
        chat_id=chat.id,
        name=display_name(user),
        language=user.language_code,
    )
    await respond(update, context, out)


async def on_non_text(update: Update, context: Context) -> None:
    assert update.effective_user is not None
    out = await services(context).engine.advance(
        person_id(update.effective_user), Answer.non_text()
    )
    await respond(update, context, out)


async def on_answer_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    callback = decode(query.data)
    engine = services(context).engine
    pid = person_id(update.effective_user)
    if callback is None or len(callback.fields) != 2:
        out = await engine.resume(pid)
    else:
        token, value = callback.fields
        out = await engine.advance(pid, Answer.button(value, token))
    stale = "engine.closed" in out.keys or callback is None
    lang = await language(context, update.effective_user)
    await query.answer(t(lang, "bot.button.closed") if stale else None)
    message = query.message if isinstance(query.message, Message) else None
    await respond(update, context, out, edit=None if stale else message)


async def on_flow_command(update: Update, context: Context) -> None:
    """/back, /skip, /cancel, /continue — the position is kept in storage throughout."""
    assert update.message is not None and update.effective_user is not None
    command = (update.message.text or "/").split()[0][1:].split("@")[0].lower()
    svc = services(context)
    engine = svc.engine
    pid = person_id(update.effective_user)
    if command == "cancel":  # a review waiting for a typed KPI value is cancelled first
        async with svc.store.write() as uow:
            waiting = await review_chat.forget(uow, pid)
        if waiting:
            lang = await language(context, update.effective_user)
            await update.message.reply_text(t(lang, "review.cancelled"))
            return
    if command == "continue":
        out = await engine.resume(pid)
    else:
        out = await engine.advance(pid, Answer.command(command))
    await respond(update, context, out)


async def on_start(update: Update, context: Context) -> None:
    assert update.message is not None and update.effective_user is not None
    user = update.effective_user
    lang = await language(context, user)
    engine = services(context).engine
    if context.args:
        out = await engine.join(
            person_id(user),
            context.args[0][:64],
            name=display_name(user),
            language=user.language_code,
        )
        await respond(update, context, out)
        return
    out = await engine.resume(person_id(user))
    if out.prompt is None:
        await update.message.reply_text(t(lang, "bot.start.welcome", name=display_name(user)))
        return
    await respond(update, context, out)


async def on_new(update: Update, context: Context) -> None:
    assert update.message is not None and update.effective_user is not None
    user = update.effective_user
    svc = services(context)
    allowed = svc.settings.facilitator_allowlist
    if allowed and user.id not in allowed:
        lang = await language(context, user)
        await update.message.reply_text(t(lang, "bot.error.not_allowed_create"))
        return
    out = await svc.engine.start_setup(
        person_id(user), name=display_name(user), language=user.language_code
    )
    await respond(update, context, out)
