"""Review cards in chat: the card's buttons — "Update KPI" and "Add pain point" start
their flows on the engine (what is typed next is an ordinary flow answer) — and
handovers. The use cases are in flows.review.actions; here a button becomes a call and
the answer a message."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.telegram import delivery
from bot.telegram.callback_data import Callback, HandoverReply, ReviewPress, decode
from bot.telegram.effects import follow_up
from bot.telegram.handlers.common import Context, refuse, say, tell
from bot.telegram.handlers.flow import respond
from bot.telegram.review_cards import (
    card_message,
    handover_choices,
    offer_buttons,
    rest_of_list,
)
from flows.review import actions as review
from flows.review.card import Said
from flows.review.cycle import ReviewError
from flows.texts import t
from flows.workshop.messages import Result

Answer = tuple[str, InlineKeyboardMarkup | None]
Done = tuple[str, InlineKeyboardMarkup | None, Result | None]  # and what follows, afterwards


async def _with_rest(context: Context, said: Said, lang: str) -> Answer:
    """The answer, then what is still open of the owner's list: never a dead end."""
    text = t(lang, said.key, **said.params)
    if not said.answered:
        return text, None
    svc = context.services
    waiting = await review.waiting(svc.store, context.person_id, said.answered)
    rest, markup = await rest_of_list(svc, waiting, lang)
    return (f"{text}\n\n{rest}" if rest else text), markup


async def on_review_button(update: Update, context: Context) -> None:
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    press = callback.field(0) if callback is not None else ""
    if press == ReviewPress.PAIN and callback is not None and len(callback.fields) == 2:
        await _add_pain(context, callback.fields[1])
        return
    if press in (ReviewPress.KPI, ReviewPress.KPI_CHOSEN) and callback is not None:
        await _update_kpi(context, callback.field(1), callback.field(2))
        return
    lang = await context.language()
    try:
        text, markup, result = await _review_action(context, callback, lang)
    except ReviewError as exc:
        await refuse(context, exc.key, alert=True)
        return
    await delivery.answer(context)
    await delivery.edit(context, text, markup)
    if result is not None:  # the owner is answered first; versions, notices after
        await follow_up(context.application, result)


async def _add_pain(context: Context, review_id: str) -> None:
    """The pain-point flow for the card's touchpoint, in place of the card."""
    svc = context.services
    workshop_id = await review.workshop_of(svc.store, review_id)
    out = await svc.engine.review_pain(context.person_id, review_id, workshop_id)
    await delivery.answer(context)
    await respond(context, out, edit=True)


async def _update_kpi(context: Context, review_id: str, kpi_id: str) -> None:
    """Which KPI (when several) and its value, in place of the card; a review that is not
    the person's, or closed, is refused at once. (``kpi_id``: a KPI chosen on a choice
    message sent before the choice was a question of the flow.)"""
    svc = context.services
    try:
        workshop_id = await review.kpi_review(svc.store, context.person_id, review_id, kpi_id)
    except ReviewError as exc:
        await refuse(context, exc.key, alert=True)
        return
    out = await svc.engine.review_kpi(context.person_id, review_id, workshop_id, kpi_id)
    await delivery.answer(context)
    await respond(context, out, edit=True)


async def _review_action(context: Context, callback: Callback | None, lang: str) -> Done:
    if callback is None or not callback.fields:
        raise ReviewError("review.error.unknown")
    press, target = callback.field(0), callback.field(1)
    if press == ReviewPress.ALL:
        return await _confirm_all(context, target, lang)
    if press == ReviewPress.OPEN:
        return *await _open(context, target, lang), None
    if press == ReviewPress.HAND:
        return *await _handover_choices(context, target, lang), None
    if press == ReviewPress.HAND_TO:
        return *await _offer(context, target, callback.field(2), lang), None
    svc = context.services
    said = await review.press(svc.store, svc.clock, context.person_id, press, target)
    return *await _with_rest(context, said, lang), said


async def _confirm_all(context: Context, member_id: str, lang: str) -> Done:
    svc = context.services
    result = await review.confirm_all(svc.store, svc.clock, context.person_id, member_id)
    return delivery.said(lang, result), None, result


async def _open(context: Context, review_id: str, lang: str) -> Answer:
    """One touchpoint of a list: its card."""
    svc = context.services
    member, item = await review.open_review(svc.store, context.person_id, review_id)
    text, markup = await card_message(svc, member, [item], lang)
    return text, markup


async def _handover_choices(context: Context, review_id: str, lang: str) -> Answer:
    choices = await review.handover_choices(context.services.store, context.person_id, review_id)
    text = t(lang, "review.handover.choose", touchpoint=choices.touchpoint)
    return text, handover_choices(review_id, choices.members)


async def _offer(context: Context, review_id: str, to_id: str, lang: str) -> Answer:
    """The offer goes to the colleague with Accept / Decline; the owner is told it went."""
    svc = context.services
    offered = await review.offer_handover(
        svc.store, context.person_id, review_id, to_id, svc.settings.default_language
    )
    if offered.offer is not None:
        notice, markup = offered.offer, offer_buttons(offered.offer_id, offered.offer.lang)
        text = t(notice.lang, notice.key, **notice.params)
        await delivery.to_person(context.application, notice.to, text, markup)
    return delivery.said(lang, offered.result), None


async def on_review_me(update: Update, context: Context) -> None:
    """/review_me: the reviews still waiting for this owner, as a card or a list."""
    seat = await context.seat(bound=False)
    if seat is None:
        await tell(context, "bot.error.no_workshop")
        return
    svc = context.services
    items = await review.my_open_reviews(svc.store, context.person_id, seat.workshop.id)
    if not items:
        await tell(context, "review.none_waiting", workshop=seat.workshop.title)
        return
    text, markup = await card_message(svc, seat.member, items, seat.lang)
    await delivery.reply(context, text, markup)


async def on_kpi(update: Update, context: Context) -> None:
    """/kpi: a reading of one of the owner's KPIs, at any time."""
    seat = await context.seat(bound=False)
    if seat is None:
        await tell(context, "bot.error.no_workshop")
        return
    out = await context.services.engine.record_reading(context.person_id, seat.workshop.id)
    await respond(context, out)


async def on_handover_button(update: Update, context: Context) -> None:
    """Accept or Decline under a handover offer: the offer's message says what was
    decided, and the owner who offered is told."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    if callback is None or len(callback.fields) != 2:
        await refuse(context, "review.error.unknown", alert=True)
        return
    accept, offer_id = callback.fields[0] == HandoverReply.ACCEPT, callback.fields[1]
    svc = context.services
    try:
        result = await review.answer_handover(
            svc.store, svc.clock, context.person_id, offer_id, accept, svc.settings.default_language
        )
    except ReviewError as exc:
        await refuse(context, exc.key, alert=True)
        return
    await delivery.answer(context)
    await say(context, await context.language(), result, edit=True)
