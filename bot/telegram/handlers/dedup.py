"""Before any handler: an update that Telegram delivers twice (after a restart before the
offset was confirmed) is handled once — its id is recorded and a repeat stops here — and
the private chat of whoever wrote is remembered (reminders and notices need it).

A typed answer for the flows is the exception: the engine records its id and remembers
the chat in the answer's own transaction (one commit per answer; a crash loses both or
neither), and recognises a repeat there. A typed answer a review is waiting for is
recorded here as before (the review stores it in a transaction of its own).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, filters

from bot.telegram.handlers.common import Context, person_id, remember_chat, services
from flows.review import card as review_chat

TYPED = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
_UNRECORDED = "unrecorded_update"


def update_key(update: Update) -> str:
    return f"tg:{update.update_id}"


def unrecorded(context: Context) -> str | None:
    """The key of this update when the answer's transaction is to record it."""
    key = vars(context).get(_UNRECORDED)
    return str(key) if key else None


async def on_any_update(update: Update, context: Context) -> None:
    if await _recorded_by_the_answer(update, context):
        return
    svc = services(context)
    async with svc.store.write() as uow:
        first = await uow.updates.first_time(update_key(update))
    if not first:
        raise ApplicationHandlerStop
    await remember_chat(context, update)


async def _recorded_by_the_answer(update: Update, context: Context) -> bool:
    user = update.effective_user
    if update.message is None or user is None or not TYPED.check_update(update):
        return False
    async with services(context).store.read() as uow:
        if await review_chat.pending(uow, person_id(user)) is not None:
            return False
    vars(context)[_UNRECORDED] = update_key(update)
    return True
