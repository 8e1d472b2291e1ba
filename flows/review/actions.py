"""The review use cases a transport calls, one transaction each: a card's buttons (over
:mod:`flows.review.card`; "Update KPI" and "Add pain point" then run flows on the
engine: flows/review/kpi_value.py, pain.py), "All up to date",
opening one card of a list, handing a touchpoint over and answering the offer, and a
facilitator starting a review round.

Each checks access itself: reviews only by their owner (``ReviewError`` with a message
key otherwise), rounds only by a facilitator (``AccessDenied``). Answers are plain data:
:class:`~flows.workshop.messages.Result` (or its :class:`~flows.review.card.Said`).
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flows.models import (
    Handover,
    Member,
    Review,
    ReviewStatus,
    Stage,
    Touchpoint,
    WorkshopStatus,
)
from flows.ports import Clock, Store
from flows.review import card
from flows.review import cycle as rv
from flows.review.card import Said
from flows.review.rounds import start_round
from flows.texts import t_plain
from flows.workshop.facilitator import require_facilitator
from flows.workshop.insights import stage_label
from flows.workshop.messages import Notice, Result, notice

HANDOVER_CHOICES = 20


async def press(store: Store, clock: Clock, person_id: str, action: str, review_id: str) -> Said:
    """A card's "Up to date" or "Snooze" (see :func:`flows.review.card.press`)."""
    async with store.write() as uow:
        return await card.press(uow, person_id, action, review_id, clock.now())


async def kpi_review(store: Store, person_id: str, review_id: str, kpi_id: str = "") -> str:
    """ "Update KPI" may start (the review is the person's, open, with that KPI): its
    workshop, where the engine then asks. Raises ReviewError with the reason."""
    async with store.read() as uow:
        _, found, _ = await card.kpis_to_update(uow, person_id, review_id, kpi_id)
    return found.workshop.id


async def confirm_all(store: Store, clock: Clock, person_id: str, member_id: str) -> Result:
    """ "All up to date" on a list: every review sent to this owner is confirmed."""
    now = clock.now()
    confirmed: list[Review] = []
    async with store.write() as uow:
        member = await uow.items.get(Member, member_id)
        if member is None or member.person_id != person_id:
            raise rv.ReviewError("review.error.not_owner")
        for item in await rv.open_reviews(uow, member.workshop_id):
            if item.owner_id == member.id and item.status == ReviewStatus.SENT:
                confirmed.append(await rv.confirm(uow, item.id, member, now))
    return Result(
        "review.all_done",
        {"count": len(confirmed)},
        moved=confirmed,
        rounds_of=confirmed[0].workshop_id if confirmed else None,
    )


async def open_review(store: Store, person_id: str, review_id: str) -> tuple[Member, Review]:
    """One touchpoint of a list, for its card: the owner and the (still open) review."""
    async with store.read() as uow:
        member = await card.member_for(uow, person_id, review_id)
        found = await rv.load_review(uow, review_id, member)
    return member, found.review


@dataclass
class Waiting:
    """An owner's list after one of its reviews was answered: what is still open, and what
    of the same round is already answered (shown ✓), so the list never dead-ends."""

    owner: Member
    open: list[Review]
    answered: list[Review]


async def waiting(store: Store, person_id: str, review_id: str) -> Waiting | None:
    """The rest of the list ``review_id`` belonged to; None when it was not the person's."""
    async with store.read() as uow:
        done = await uow.items.get(Review, review_id)
        if done is None:
            return None
        owner = await uow.items.member_of(done.workshop_id, person_id)
        if owner is None:
            return None
        mine = [r for r in await uow.items.list(done.workshop_id, Review) if r.owner_id == owner.id]
    still = [r for r in mine if r.status == ReviewStatus.SENT]
    rounds = {r.round_id for r in [done, *still] if r.round_id is not None}
    answered = [
        r
        for r in mine
        if r.status == ReviewStatus.DONE and (r.id == done.id or r.round_id in rounds)
    ]
    return Waiting(owner, still, answered)


async def my_open_reviews(store: Store, person_id: str, workshop_id: str) -> list[Review]:
    """The reviews sent to this member that still wait for an answer (``/review_me``)."""
    async with store.read() as uow:
        member = await uow.items.member_of(workshop_id, person_id)
        if member is None:
            return []
        found = await rv.open_reviews(uow, workshop_id)
    return [r for r in found if r.owner_id == member.id and r.status == ReviewStatus.SENT]


async def workshop_of(store: Store, review_id: str) -> str:
    """The workshop of a review ("" when there is no such review)."""
    async with store.read() as uow:
        found = await uow.items.get(Review, review_id)
    return found.workshop_id if found else ""


@dataclass
class Choices:
    """Whom the owner can hand a touchpoint to."""

    touchpoint: str
    members: list[Member]


async def handover_choices(store: Store, person_id: str, review_id: str) -> Choices:
    async with store.read() as uow:
        member = await card.member_for(uow, person_id, review_id)
        found = await rv.load_review(uow, review_id, member)
        others = [
            m
            for m in await uow.items.list(member.workshop_id, Member)
            if m.id != member.id and m.person_id
        ]
    return Choices(found.touchpoint.name, others[:HANDOVER_CHOICES])


@dataclass
class Offered:
    """The handover offer made: ``result`` for the owner, ``offer`` for the colleague
    (to be sent with Accept / Decline for ``offer_id``)."""

    result: Result
    offer: Notice | None
    offer_id: str


async def offer_handover(
    store: Store, person_id: str, review_id: str, to_id: str, default_lang: str
) -> Offered:
    async with store.write() as uow:
        member = await card.member_for(uow, person_id, review_id)
        found = await rv.load_review(uow, review_id, member)
        to = await uow.items.get(Member, to_id)
        if to is None:
            raise rv.ReviewError("review.error.bad_handover")
        offer = await rv.offer_handover(uow, found.touchpoint.id, member, to)
        colleague = await uow.people.get(to.person_id or "")
        stage = await uow.items.get(Stage, found.touchpoint.stage_id)
    name = found.touchpoint.name
    result = Result("review.handover.sent", {"to_name": to.name, "touchpoint": name})
    if colleague is None:
        return Offered(result, None, offer.id)
    lang = colleague.language or default_lang
    label = stage_label(stage, lang) if stage else "—"
    said = notice(
        colleague,
        lang,
        "review.handover.offer",
        from_name=member.name,
        touchpoint=name,
        stage=label,
    )
    return Offered(result, said, offer.id)


async def answer_handover(
    store: Store, clock: Clock, person_id: str, offer_id: str, accept: bool, default_lang: str
) -> Result:
    """The colleague accepts or declines; the owner who offered is told. An accepted one
    moves the touchpoint and its reviews (the whole schedule is re-armed)."""
    async with store.write() as uow:
        offer = await uow.items.get(Handover, offer_id)
        member = await uow.items.member_of(offer.workshop_id, person_id) if offer else None
        if offer is None or member is None:
            raise rv.ReviewError("review.error.unknown")
        await rv.answer_handover(uow, offer_id, member, accept, clock.now())
        touchpoint = await uow.items.get(Touchpoint, offer.touchpoint_id)
        giver = await uow.items.get(Member, offer.from_id)
        giver_person = await uow.people.get(giver.person_id or "") if giver else None
    name = touchpoint.name if touchpoint else ""
    back = "review.handover.accepted" if accept else "review.handover.declined"
    notices = []
    if giver_person is not None:
        notices.append(
            notice(giver_person, default_lang, back, to_name=member.name, touchpoint=name)
        )
    return Result(
        "review.handover.you_accepted" if accept else "review.handover.you_declined",
        {"touchpoint": name, "from_name": giver.name if giver else ""},
        notices=notices,
        rearm_all=offer.workshop_id if accept else None,
    )


async def start_review_round(
    store: Store, clock: Clock, person_id: str, workshop_id: str
) -> Result:
    """/review, by a facilitator of a published workshop: a round now, for every owned
    touchpoint; the reviews that are due go out at once."""
    now = clock.now()
    async with store.write() as uow:
        workshop, member = await require_facilitator(uow, person_id, workshop_id)
        if workshop.status != WorkshopStatus.PUBLISHED:
            return Result("review.round.not_published")
        await rv.schedule_workshop(uow, workshop, now)
        new_round, joined = await start_round(uow, workshop, member.id, now)
        owners = {m.id: m for m in await uow.items.list(workshop.id, Member)}
    if new_round is None:
        return Result("review.round.nothing")
    closes = new_round.closes_at.astimezone(ZoneInfo(workshop.timezone)).strftime("%d.%m.%Y")
    now_due = [r for r in joined if r.status == ReviewStatus.SENT or r.due_at <= now]
    later = [r for r in joined if r not in now_due]
    return Result(
        "review.round.started",
        {
            "number": new_round.number,
            "count": len(now_due),
            "closes": closes,
            "later": _later(later, owners, workshop.timezone, workshop.language),
        },
        moved=joined,
        due_now=workshop.id,
    )


LATER_SHOWN = 10


def _later(reviews: list[Review], owners: dict[str, Member], zone: str, lang: str) -> str:
    """When the reviews that are not due now go out: each owner's next allowed moment
    (quiet hours, a non-working day, an absence), in their own time zone."""
    if not reviews:
        return ""
    lines = []
    for item in sorted(reviews, key=lambda r: r.due_at)[:LATER_SHOWN]:
        owner = owners.get(item.owner_id)
        own_zone = (owner.timezone if owner else None) or zone
        when = item.due_at.astimezone(ZoneInfo(own_zone)).strftime("%d.%m %H:%M")
        name = owner.name if owner else "—"
        lines.append(t_plain(lang, "review.round.later_line", name=name, when=when, zone=own_zone))
    if len(reviews) > LATER_SHOWN:
        lines.append(t_plain(lang, "map.more", n=len(reviews) - LATER_SHOWN))
    return t_plain(lang, "review.round.later", count=len(reviews), lines="\n".join(lines))
