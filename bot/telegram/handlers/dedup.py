"""Before any handler: an update that Telegram delivers twice (after a restart before the
offset was confirmed) is handled once — its id is recorded and a repeat stops here — and
the private chat of whoever wrote is remembered (reminders and notices need it).

A typed answer is the exception (every one is a flow's, a review's KPI value and pain
point included): the engine records its id in the answer's own transaction (a crash
loses both or neither) and recognises a repeat there. Remembering the chat writes only
when it changed.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, filters

from bot.telegram.callback_data import Action, decode
from bot.telegram.context import display_name
from bot.telegram.handlers.common import Context
from flows.workshop import people

TYPED = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND


def _answer_button(update: Update) -> bool:
    query = update.callback_query
    pressed = decode(query.data) if query is not None else None
    return pressed is not None and pressed.action is Action.ANSWER and len(pressed.fields) == 2


async def on_any_update(update: Update, context: Context) -> None:
    if not await _recorded_by_the_answer(update, context) and not await context.first_time():
        raise ApplicationHandlerStop
    user, svc = update.effective_user, context.services
    if user is None or not context.private or context.chat is None:
        return
    person = await people.remember_chat(
        svc.store,
        context.person_id,
        name=display_name(user),
        chat_id=context.chat.id,
        language_code=user.language_code,
        default_lang=svc.settings.default_language,
    )
    context.remember(person)


async def _recorded_by_the_answer(update: Update, context: Context) -> bool:
    """A typed answer, or a press of a question's button: the engine records the update in
    the answer's own transaction (one commit; a crash loses both or neither)."""
    if _answer_button(update):
        context.recorded_by_answer = context.update_key
        return True
    if update.message is None or not TYPED.check_update(update):
        return False
    context.recorded_by_answer = context.update_key
    return True
