"""A tidy chat: only the current question carries buttons.

When a new question goes out as a new message (after a typed answer or a command), the
previous question's buttons are taken off its message. The message of each person's live
question (in their private chat) is kept in the database (``live_prompts``), so with
several instances on one database whichever sends the next question takes the buttons
off the one another instance sent, and a restart forgets nothing. Review cards are sent
elsewhere and never retired here.

Only a change is written: a reply without buttons after one without buttons reads the
row and leaves it; a question with buttons is a new message, so it is written at once
(one transaction per answer, not a read and then a write).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.ext import Application

if TYPE_CHECKING:
    from storage.open_store import OpenStore


def _store(app: Application) -> OpenStore:
    return app.bot_data["services"].store  # type: ignore[no-any-return]


async def now_live(app: Application, person_id: str, message_id: int | None) -> int | None:
    """``message_id`` now holds the person's live question (None: no question is live);
    returns the message whose buttons should come off (the one before), if any."""
    store = _store(app)
    if message_id is None:  # a reply without buttons: most often after one without
        async with store.read() as uow:
            if await uow.people.live_prompt(person_id) is None:
                return None  # nothing changes
    async with store.write() as uow:  # a new question is a new message: always a change
        before = await uow.people.swap_live_prompt(person_id, message_id)
    return None if before == message_id else before


async def forget(app: Application, person_id: str, message_id: int) -> None:
    """``message_id`` became something else (e.g. a review card): it is no question."""
    store = _store(app)
    async with store.read() as uow:
        if await uow.people.live_prompt(person_id) != message_id:
            return
    async with store.write() as uow:
        await uow.people.forget_live_prompt(person_id, message_id)
