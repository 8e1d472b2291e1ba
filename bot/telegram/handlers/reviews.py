"""Review cards in chat: the card's buttons, the KPI value typed after "Update KPI",
"Add pain point" (the pain-point flow through the engine), and handovers."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.telegram.callback_data import Callback, decode, encode
from bot.telegram.delivery import fit
from bot.telegram.handlers.common import Context, language, person_id, services
from bot.telegram.notify import to_person
from bot.telegram.reminders import arm
from bot.telegram.review_cards import card_message
from bot.telegram.review_rounds import close_rounds
from flows.models import Handover, Member, Review, ReviewStatus, Stage, Touchpoint
from flows.review import card as review_chat
from flows.review import cycle as rv
from flows.texts import t
from flows.workshop.insights import stage_label


def _said_text(lang: str, said: review_chat.Said) -> str:
    text = t(lang, said.key, **said.params)
    if said.error is not None:
        text = t(lang, said.error[0], **said.error[1]) + "\n\n" + text
    return text


async def _after(context: Context, said: review_chat.Said) -> None:
    if said.review is not None:
        if said.review.status == ReviewStatus.SCHEDULED:
            arm(context.application, said.review)
        await close_rounds(context.application, said.review.workshop_id)


async def on_review_text(update: Update, context: Context) -> bool:
    """A typed answer a review is waiting for; False when none is (the flows take it)."""
    assert update.message is not None and update.effective_user is not None
    svc = services(context)
    pid = person_id(update.effective_user)
    async with svc.store.read() as uow:  # the common case, no review waiting, writes nothing
        if await review_chat.pending(uow, pid) is None:
            return False
    async with svc.store.write() as uow:
        said = await review_chat.typed(uow, pid, update.message.text or "", svc.clock.now())
    if said is None:
        return False
    lang = await language(context, update.effective_user)
    await update.message.reply_text(_said_text(lang, said))
    await _after(context, said)
    return True


async def on_review_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    callback = decode(query.data)
    lang = await language(context, update.effective_user)
    message = query.message if isinstance(query.message, Message) else None
    if callback is not None and callback.fields[:1] == ("pain",) and len(callback.fields) == 2:
        await _add_pain(update, context, callback.fields[1], message)
        return
    try:
        text, markup = await _review_action(context, update, callback, lang)
    except rv.ReviewError as exc:
        await query.answer(t(lang, exc.key), show_alert=True)
        return
    await query.answer()
    if message is not None:
        await message.edit_text(fit([text]), reply_markup=markup)


async def _add_pain(
    update: Update, context: Context, review_id: str, message: Message | None
) -> None:
    """The pain-point flow for the card's touchpoint, in place of the card."""
    from bot.telegram.handlers.flow import respond

    assert update.callback_query is not None and update.effective_user is not None
    svc = services(context)
    async with svc.store.read() as uow:
        found = await uow.items.get(Review, review_id)
    out = await svc.engine.review_pain(
        person_id(update.effective_user), review_id, found.workshop_id if found else ""
    )
    await update.callback_query.answer()
    await respond(update, context, out, edit=message)


async def _review_action(
    context: Context, update: Update, callback: Callback | None, lang: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    if callback is None or not callback.fields:
        raise rv.ReviewError("review.error.unknown")
    svc = services(context)
    pid = person_id(update.effective_user)  # type: ignore[arg-type]
    action, target = callback.fields[0], callback.fields[1] if len(callback.fields) > 1 else ""
    if action == "all":
        return await _confirm_all(context, pid, target, lang)
    if action in ("open", "hand", "to"):
        return await _card_or_handover(context, pid, action, callback.fields[1:], lang)
    extra = callback.fields[2] if len(callback.fields) > 2 else ""
    async with svc.store.write() as uow:
        said = await review_chat.press(uow, pid, action, target, extra, svc.clock.now())
    await _after(context, said)
    markup = None
    if said.choices:
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label[:40], callback_data=encode("r", "k", target, kpi_id))]
                for label, kpi_id in said.choices
            ]
        )
    return _said_text(lang, said), markup


async def _confirm_all(
    context: Context, pid: str, member_id: str, lang: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    svc = services(context)
    now = svc.clock.now()
    confirmed: list[Review] = []
    async with svc.store.write() as uow:
        member = await uow.items.get(Member, member_id)
        if member is None or member.person_id != pid:
            raise rv.ReviewError("review.error.not_owner")
        for item in await rv.open_reviews(uow, member.workshop_id):
            if item.owner_id == member.id and item.status == ReviewStatus.SENT:
                confirmed.append(await rv.confirm(uow, item.id, member, now))
    for following in confirmed:
        arm(context.application, following)
    if confirmed:
        await close_rounds(context.application, confirmed[0].workshop_id)
    return t(lang, "review.all_done", count=len(confirmed)), None


async def _card_or_handover(
    context: Context, pid: str, action: str, fields: tuple[str, ...], lang: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    svc = services(context)
    review_id = fields[0] if fields else ""
    async with svc.store.write() as uow:
        member = await review_chat.member_for(uow, pid, review_id)
        ctx = await rv.load_review(uow, review_id, member)
        if action == "to":
            to = await uow.items.get(Member, fields[1] if len(fields) > 1 else "")
            if to is None:
                raise rv.ReviewError("review.error.bad_handover")
            offer = await rv.offer_handover(uow, ctx.touchpoint.id, member, to)
        elif action == "hand":
            others = [
                m
                for m in await uow.items.list(member.workshop_id, Member)
                if m.id != member.id and m.person_id
            ]
    if action == "open":
        return await card_message(svc, member, [ctx.review], lang)
    if action == "hand":
        rows = [
            [
                InlineKeyboardButton(
                    m.name[:40] or "?", callback_data=encode("r", "to", review_id, m.id)
                )
            ]
            for m in others[:20]
        ]
        return t(
            lang, "review.handover.choose", touchpoint=ctx.touchpoint.name
        ), InlineKeyboardMarkup(rows)
    await _send_offer(context, offer, member, ctx.touchpoint, to)
    return t(lang, "review.handover.sent", to_name=to.name, touchpoint=ctx.touchpoint.name), None


async def _send_offer(
    context: Context, offer: Handover, owner: Member, touchpoint: Touchpoint, to: Member
) -> None:
    svc = services(context)
    async with svc.store.read() as uow:
        person = await uow.people.get(to.person_id or "")
        stage = await uow.items.get(Stage, touchpoint.stage_id)
    if person is None or person.chat_id is None:
        return
    lang = person.language or svc.settings.default_language
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(lang, "review.handover.accept"), callback_data=encode("h", "y", offer.id)
                ),
                InlineKeyboardButton(
                    t(lang, "review.handover.decline"), callback_data=encode("h", "n", offer.id)
                ),
            ]
        ]
    )
    await context.bot.send_message(
        person.chat_id,
        t(
            lang,
            "review.handover.offer",
            from_name=owner.name,
            touchpoint=touchpoint.name,
            stage=stage_label(stage, lang) if stage else "—",
        ),
        reply_markup=markup,
    )


async def on_handover_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    callback = decode(query.data)
    lang = await language(context, update.effective_user)
    svc = services(context)
    pid = person_id(update.effective_user)
    if callback is None or len(callback.fields) != 2:
        await query.answer(t(lang, "review.error.unknown"), show_alert=True)
        return
    accept, offer_id = callback.fields[0] == "y", callback.fields[1]
    try:
        async with svc.store.write() as uow:
            offer = await uow.items.get(Handover, offer_id)
            member = await uow.items.member_of(offer.workshop_id, pid) if offer else None
            if offer is None or member is None:
                raise rv.ReviewError("review.error.unknown")
            await rv.answer_handover(uow, offer_id, member, accept, svc.clock.now())
            touchpoint = await uow.items.get(Touchpoint, offer.touchpoint_id)
            giver = await uow.items.get(Member, offer.from_id)
            giver_person = await uow.people.get(giver.person_id or "") if giver else None
    except rv.ReviewError as exc:
        await query.answer(t(lang, exc.key), show_alert=True)
        return
    await query.answer()
    name = touchpoint.name if touchpoint else ""
    key = "review.handover.you_accepted" if accept else "review.handover.you_declined"
    if isinstance(query.message, Message):
        await query.message.edit_text(
            t(lang, key, touchpoint=name, from_name=giver.name if giver else "")
        )
    if giver_person is not None:
        back = "review.handover.accepted" if accept else "review.handover.declined"
        await to_person(
            context.application, giver_person, back, to_name=member.name, touchpoint=name
        )
    if accept:
        from bot.telegram.reminders import schedule_workshop

        await schedule_workshop(context.application, offer.workshop_id)
