"""The review cycle in the terminal: ``/review_me`` shows the reviews due to the person as
a card (or a list of cards) whose buttons are a numbered menu — Up to date, Update KPI,
Add pain point, Snooze, Hand over — and a colleague's handover offers with Accept /
Decline; ``/review`` starts a round (facilitators). The use cases are flows.review.actions;
with no scheduler here, ``/review_me`` hands out the person's due reviews itself."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.terminal.session import Choice, Session
from flows.models import Handover, HandoverStatus, JourneyMap, Member, Review, Touchpoint
from flows.ports import SystemClock
from flows.review import actions as review
from flows.review import cycle
from flows.review.card import Said, kpi_value
from flows.review.card import target as kpi_target
from flows.texts import t_plain
from flows.workshop.insights import kpi_status, stage_label
from flows.workshop.messages import Result
from flows.workshop.queries import load_map

RAG_MARK = {"green": "🟢", "amber": "🟡", "red": "🔴", "none": ""}


def said(console: Session, result: Result) -> None:
    """A use case's answer, and what the others are told (as ``≫`` lines)."""
    console.say(result.key, **result.params)
    for told in result.notices:
        console.print("  ≫ " + t_plain(told.lang, told.key, **told.params))


async def _hand_out(console: Session, workshop_id: str) -> None:
    """The person's reviews that are due now are sent (here: shown) — what the scheduler
    does in Telegram."""
    now = SystemClock().now()
    async with console.store.write() as uow:
        me = await uow.items.member_of(workshop_id, console.pid)
        if me is None:
            return
        due = [r for r in await cycle.due_reviews(uow, workshop_id, now) if r.owner_id == me.id]
        await cycle.mark_sent(uow, due, now)
        for item in due:
            item.delivered_at = now
            await uow.items.update(item)


def _card_text(console: Session, journey: JourneyMap, owner: Member, item: Review) -> str:
    lang = console.lang
    tp = next(tp for tp in journey.touchpoints if tp.id == item.touchpoint_id)
    stage = next((s for s in journey.stages if s.id == tp.stage_id), None)
    zone = ZoneInfo(owner.timezone or journey.workshop.timezone)
    when = tp.last_confirmed_at
    confirmed = (
        when.astimezone(zone).strftime("%d.%m.%Y") if when else t_plain(lang, "review.card.never")
    )
    lines = [
        t_plain(
            lang,
            "review.card",
            touchpoint=tp.name,
            stage=stage_label(stage, lang) if stage else "",
            confirmed=confirmed,
        )
    ]
    for kpi in (k for k in journey.kpis if k.touchpoint_id == tp.id):
        status = kpi_status(kpi, journey.readings)
        target = kpi_target(kpi, lang)
        if status.latest is None:
            lines.append(t_plain(lang, "review.card.kpi_empty", name=kpi.name, target=target))
            continue
        value = kpi_value(kpi, status.latest, lang)
        lines.append(
            t_plain(
                lang,
                "review.card.kpi",
                name=kpi.name,
                value=value,
                target=target,
                rag=RAG_MARK.get(str(status.rag), ""),
                trend="",
            )
        )
    lines.append(t_plain(lang, "review.card.question"))
    return "\n".join(lines)


async def show_card(console: Session, owner: Member, item: Review) -> None:
    journey = await load_map(console.store, owner.workshop_id)
    console.print(_card_text(console, journey, owner, item))
    has_kpi = any(k.touchpoint_id == item.touchpoint_id for k in journey.kpis)

    def choice(key: str, act) -> Choice:  # type: ignore[no-untyped-def]
        return Choice(t_plain(console.lang, key), act)

    async def ok() -> None:
        await _press(console, "ok", item.id)

    async def snooze() -> None:
        await _press(console, "snz", item.id)

    async def kpi() -> None:
        workshop_id = await review.kpi_review(console.store, console.pid, item.id)
        console.show(await console.engine.review_kpi(console.pid, item.id, workshop_id))

    async def pain() -> None:
        console.show(await console.engine.review_pain(console.pid, item.id, owner.workshop_id))

    async def hand() -> None:
        await _handover_choices(console, item.id)

    choices = [choice("review.button.ok", ok)]
    if has_kpi:
        choices.append(choice("review.button.kpi", kpi))
    choices += [
        choice("review.button.pain", pain),
        choice("review.button.snooze", snooze),
        choice("review.button.handover", hand),
    ]
    console.offer(choices)


async def _press(console: Session, action: str, review_id: str) -> None:
    answer: Said = await review.press(console.store, SystemClock(), console.pid, action, review_id)
    said(console, answer)
    await show_rest(console, answer.answered)


async def show_rest(console: Session, review_id: str) -> None:
    """What is still open of the owner's list after an answer."""
    waiting = await review.waiting(console.store, console.pid, review_id) if review_id else None
    if waiting is not None and waiting.open:
        await _listing(console, waiting.owner, waiting.open)


async def _listing(console: Session, owner: Member, items: list[Review]) -> None:
    if len(items) == 1:
        await show_card(console, owner, items[0])
        return
    journey = await load_map(console.store, owner.workshop_id)
    names = {tp.id: tp.name for tp in journey.touchpoints}
    console.say("review.list", count=len(items), workshop=journey.workshop.title)
    console.say("review.list.footer")

    def opener(item: Review) -> Choice:
        async def act() -> None:
            member, found = await review.open_review(console.store, console.pid, item.id)
            await show_card(console, member, found)

        return Choice(names.get(item.touchpoint_id, "—"), act)

    async def all_ok() -> None:
        result = await review.confirm_all(console.store, SystemClock(), console.pid, owner.id)
        said(console, result)

    all_label = t_plain(console.lang, "review.button.all_ok")
    console.offer([*(opener(i) for i in items), Choice(all_label, all_ok)])


async def _handover_choices(console: Session, review_id: str) -> None:
    choices = await review.handover_choices(console.store, console.pid, review_id)
    console.say("review.handover.choose", touchpoint=choices.touchpoint)

    def to(member: Member) -> Choice:
        async def act() -> None:
            offered = await review.offer_handover(
                console.store, console.pid, review_id, member.id, console.lang
            )
            said(console, offered.result)
            if offered.offer is not None:
                told = offered.offer
                console.print("  ≫ " + t_plain(told.lang, told.key, **told.params))

        return Choice(member.name, act)

    console.offer([to(m) for m in choices.members])


async def _offers(console: Session, workshop_id: str) -> list[tuple[Handover, str]]:
    """Handover offers waiting for this person: each with its touchpoint's name."""
    async with console.store.read() as uow:
        me = await uow.items.member_of(workshop_id, console.pid)
        if me is None:
            return []
        found = []
        for offer in await uow.items.list(workshop_id, Handover):
            if offer.to_id == me.id and offer.status is HandoverStatus.PENDING:
                tp = await uow.items.get(Touchpoint, offer.touchpoint_id)
                found.append((offer, tp.name if tp else "—"))
        return found


async def _answer_offers(console: Session, offers: list[tuple[Handover, str]]) -> None:
    def reply(offer: Handover, accept: bool, key: str, name: str) -> Choice:
        async def act() -> None:
            result = await review.answer_handover(
                console.store, SystemClock(), console.pid, offer.id, accept, console.lang
            )
            said(console, result)

        return Choice(f"{t_plain(console.lang, key)} — {name}", act)

    choices = []
    for offer, name in offers:
        choices.append(reply(offer, True, "review.handover.accept", name))
        choices.append(reply(offer, False, "review.handover.decline", name))
    console.offer(choices)


async def review_me(console: Session, wid: str, arg: str) -> None:
    """/review_me: the reviews waiting for this owner, then any handover offers."""
    await _hand_out(console, wid)
    offers = await _offers(console, wid)
    if offers:
        await _answer_offers(console, offers)
        return
    items = await review.my_open_reviews(console.store, console.pid, wid)
    if not items:
        async with console.store.read() as uow:
            workshop = await uow.workshops.get(wid)
        console.say("review.none_waiting", workshop=workshop.title if workshop else "")
        return
    async with console.store.read() as uow:
        me = await uow.items.member_of(wid, console.pid)
    if me is not None:
        await _listing(console, me, items)


async def review_round(console: Session, wid: str, arg: str) -> None:
    """/review (facilitators): a round now; each owner sees theirs with /review_me."""
    result = await review.start_review_round(console.store, SystemClock(), console.pid, wid)
    said(console, result)
