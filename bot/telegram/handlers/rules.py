"""``/rules``: a facilitator's rules of the living map (the flow is
``flows.review.rules_flow``; the scheduler runs them through ``bot.telegram.rules_run``)."""

from __future__ import annotations

from telegram import Update

from bot.telegram import delivery
from bot.telegram.callback_data import decode
from bot.telegram.handlers.access import seat
from bot.telegram.handlers.common import Context, refuse
from bot.telegram.handlers.flow import respond
from flows.review import rule_pain, rules_flow


async def on_rules(update: Update, context: Context) -> None:
    """The list of rules, to add, switch off or delete one (facilitators only)."""
    found = await seat(context, facilitator=True)
    if found is None:
        return
    engine = context.services.engine
    out = await engine.start(context.person_id, rules_flow.begin, workshop_id=found.workshop.id)
    await respond(context, out)


async def on_rule_pain_button(update: Update, context: Context) -> None:
    """ "Add pain point" under a rule's question: the pain-point flow for that touchpoint,
    as a new message (the question stays readable above it); its owner only."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    tp = callback.field(0) if callback is not None and len(callback.fields) == 1 else ""
    out = await rule_pain.start(context.services.engine, context.person_id, tp) if tp else None
    if out is None:
        await refuse(context, rule_pain.NOT_OWNER, alert=True)
        return
    await delivery.answer(context)
    await respond(context, out)
