"""Who may do what: the person's current workshop and their role in it."""

from __future__ import annotations

from bot.telegram import delivery
from bot.telegram.context import Seat
from bot.telegram.handlers.common import Context, tell
from flows.texts import t

__all__ = ["Seat", "seat"]


async def seat(context: Context, *, facilitator: bool = False, bound: bool = True) -> Seat | None:
    """The person's current workshop (in a group: the workshop bound to it) and their
    membership; tells them why not when there is none (not a member, or not a facilitator
    when ``facilitator`` is asked). ``bound=False`` (for /bind) uses the current workshop
    in a group too. The use cases check again: this only picks the words."""
    found = await context.seat(bound=bound)
    if found is None:
        await tell(context, "bot.error.no_workshop")
        return None
    if facilitator and not found.facilitator:
        text = t(found.lang, "bot.error.not_facilitator", workshop=found.workshop.title)
        await delivery.reply(context, text)
        return None
    return found
