"""``/rules``: a facilitator's rules of the living map (the flow is
``flows.review.rules_flow``; the scheduler runs them through ``bot.telegram.rules_run``)."""

from __future__ import annotations

from telegram import Update

from bot.telegram.handlers.access import seat
from bot.telegram.handlers.common import Context
from bot.telegram.handlers.flow import respond
from flows.review import rules_flow


async def on_rules(update: Update, context: Context) -> None:
    """The list of rules, to add, switch off or delete one (facilitators only)."""
    found = await seat(context, facilitator=True)
    if found is None:
        return
    engine = context.services.engine
    out = await engine.start(context.person_id, rules_flow.begin, workshop_id=found.workshop.id)
    await respond(context, out)
