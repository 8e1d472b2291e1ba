"""The conversation handlers: typed answers, button presses, non-text messages and the
flow commands. Each loads nothing itself: the engine does, from storage."""

from __future__ import annotations

from telegram import Update

from bot.telegram import delivery
from bot.telegram.callback_data import decode
from bot.telegram.effects import perform
from bot.telegram.handlers.common import Context, display_name, tell
from bot.telegram.review_cards import after_review_flow
from flows.conversation.outcome import Answer, Outcome
from flows.texts import t


async def respond(context: Context, outcome: Outcome, *, edit: bool = False) -> None:
    """The outcome as one message (the pressed one edited when ``edit``; with what is left
    of the owner's list when it answered a review), then its requests — unless the person
    cannot be reached."""
    listed = await after_review_flow(context.services, context.person_id, outcome)
    if listed is None:
        sent = await delivery.send_outcome(context, outcome, edit_pressed=edit)
    else:
        send = (
            delivery.edit(context, *listed)
            if edit
            else delivery.reply(context, *listed, quote=False)
        )
        sent = await send is not None
    if sent:
        await perform(context.application, outcome, context.person_id)


async def on_text(update: Update, context: Context) -> None:
    """A typed answer: stored, its update recorded, in one commit."""
    assert update.message is not None
    answer = Answer.text(update.message.text or "")
    engine = context.services.engine
    out = await engine.advance(context.person_id, answer, update_id=context.recorded_by_answer)
    await respond(context, out)


async def on_non_text(update: Update, context: Context) -> None:
    out = await context.services.engine.advance(context.person_id, Answer.non_text())
    await respond(context, out)


async def on_answer_button(update: Update, context: Context) -> None:
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    engine, pid = context.services.engine, context.person_id
    if callback is None or len(callback.fields) != 2:
        out = await engine.resume(pid)
    else:
        answer = Answer.button(callback.fields[1], callback.fields[0])
        out = await engine.advance(pid, answer, update_id=context.recorded_by_answer)
    stale = "engine.closed" in out.keys or callback is None
    lang = await context.language()
    await delivery.answer(context, t(lang, "bot.button.closed") if stale else None)
    await respond(context, out, edit=not stale)


def _command(update: Update) -> str:
    assert update.message is not None
    return (update.message.text or "/").split()[0][1:].split("@")[0].lower()


async def on_flow_command(update: Update, context: Context) -> None:
    """/back, /skip, /cancel, /continue — the position is kept in storage throughout."""
    command, svc = _command(update), context.services
    if command == "continue":
        out = await svc.engine.resume(context.person_id)
    else:
        out = await svc.engine.advance(context.person_id, Answer.command(command))
    await respond(context, out)


async def on_start(update: Update, context: Context) -> None:
    user, engine = context.user, context.services.engine
    lang = await context.language()
    if context.args:
        code = context.args[0][:64]
        out = await engine.join(
            context.person_id, code, name=display_name(user), language=user.language_code
        )
        await respond(context, out)
        return
    out = await engine.resume(context.person_id)
    if out.prompt is None:
        await delivery.reply(context, t(lang, "bot.start.welcome", name=display_name(user)))
        return
    await respond(context, out)


async def on_new(update: Update, context: Context) -> None:
    user, svc = context.user, context.services
    allowed = svc.settings.facilitator_allowlist
    if allowed and user.id not in allowed:
        await tell(context, "bot.error.not_allowed_create")
        return
    out = await svc.engine.start_setup(
        context.person_id, name=display_name(user), language=user.language_code
    )
    await respond(context, out)
