"""Handing a touchpoint to a colleague, as both people see it: the colleague is told who
offers what and in which stage; the answer goes back to the owner; an accepted handover
moves the touchpoint and withdraws the other offers for it."""

from __future__ import annotations

import pytest

from flows.models import Handover, HandoverStatus, Member, Review, Touchpoint
from flows.ports import FixedClock
from flows.review import actions
from flows.review import cycle as rv
from storage.store import SqliteStore
from tests.builders import NOW, WorkshopBuilder, review_workshop

CLOCK = FixedClock(NOW)


async def review_of(store: SqliteStore, built: WorkshopBuilder, touchpoint: Touchpoint) -> str:
    async with store.read() as uow:
        reviews = await uow.items.list(built.id, Review)
    return next(r.id for r in reviews if r.touchpoint_id == touchpoint.id)


async def test_the_colleague_is_told_who_offers_which_touchpoint_of_which_stage(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=2, schedule=NOW)
    owner, colleague = built.owners
    review_id = await review_of(store, built, built.touchpoints[0])
    offered = await actions.offer_handover(store, "tg:100", review_id, colleague.id, "ru")
    assert offered.result.key == "review.handover.sent"
    assert offered.result.params == {"to_name": "Owner 1", "touchpoint": "TP 0.0"}
    assert offered.offer is not None
    assert offered.offer.to.id == "tg:101" and offered.offer.lang == "en"
    assert offered.offer.key == "review.handover.offer"
    assert offered.offer.params == {
        "from_name": "Owner 0",
        "touchpoint": "TP 0.0",
        "stage": "Test drive",
    }
    async with store.read() as uow:
        offer = await uow.items.get(Handover, offered.offer_id)
    assert offer is not None and offer.status == HandoverStatus.PENDING
    assert (offer.from_id, offer.to_id) == (owner.id, colleague.id)


async def test_an_offer_to_nobody_is_refused(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=1, schedule=NOW)
    review_id = await review_of(store, built, built.touchpoints[0])
    with pytest.raises(rv.ReviewError, match="bad_handover"):
        await actions.offer_handover(store, "tg:100", review_id, "no-such-member", "en")


async def test_an_accepted_handover_moves_the_touchpoint_and_closes_rival_offers(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=3, schedule=NOW)
    owner, first, second = built.owners
    touchpoint = built.touchpoints[0]
    review_id = await review_of(store, built, touchpoint)
    to_first = await actions.offer_handover(store, "tg:100", review_id, first.id, "en")
    to_second = await actions.offer_handover(store, "tg:100", review_id, second.id, "en")

    result = await actions.answer_handover(store, CLOCK, "tg:101", to_first.offer_id, True, "ru")
    assert result.key == "review.handover.you_accepted"
    assert result.params == {"touchpoint": "TP 0.0", "from_name": "Owner 0"}
    assert result.rearm_all == built.id
    (told,) = result.notices
    assert told.to.id == "tg:100" and told.lang == "en"  # the owner's own language
    assert (told.key, told.params) == (
        "review.handover.accepted",
        {"to_name": "Owner 1", "touchpoint": "TP 0.0"},
    )
    async with store.read() as uow:
        moved = await uow.items.get(Touchpoint, touchpoint.id)
        rival = await uow.items.get(Handover, to_second.offer_id)
        accepted = await uow.items.get(Handover, to_first.offer_id)
    assert moved is not None and moved.owner_id == first.id
    assert accepted is not None and accepted.status == HandoverStatus.ACCEPTED
    assert accepted.answered_at == NOW
    assert rival is not None and rival.status == HandoverStatus.DECLINED
    assert rival.answered_at == NOW
    with pytest.raises(rv.ReviewError, match="closed"):
        await actions.answer_handover(store, CLOCK, "tg:102", to_second.offer_id, True, "en")


async def test_a_declined_handover_tells_the_owner_and_changes_nothing(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=2, schedule=NOW)
    owner, colleague = built.owners
    touchpoint = built.touchpoints[0]
    review_id = await review_of(store, built, touchpoint)
    offered = await actions.offer_handover(store, "tg:100", review_id, colleague.id, "en")
    result = await actions.answer_handover(store, CLOCK, "tg:101", offered.offer_id, False, "en")
    assert result.key == "review.handover.you_declined"
    assert result.params == {"touchpoint": "TP 0.0", "from_name": "Owner 0"}
    assert result.rearm_all is None
    (told,) = result.notices
    assert (told.to.id, told.key) == ("tg:100", "review.handover.declined")
    assert told.params == {"to_name": "Owner 1", "touchpoint": "TP 0.0"}
    async with store.read() as uow:
        kept = await uow.items.get(Touchpoint, touchpoint.id)
    assert kept is not None and kept.owner_id == owner.id
    with pytest.raises(rv.ReviewError, match="closed"):
        await actions.answer_handover(store, CLOCK, "tg:101", offered.offer_id, True, "en")


async def test_an_unknown_offer_or_a_stranger_gets_unknown(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=2, schedule=NOW)
    review_id = await review_of(store, built, built.touchpoints[0])
    offered = await actions.offer_handover(store, "tg:100", review_id, built.owners[1].id, "en")
    with pytest.raises(rv.ReviewError, match="unknown"):
        await actions.answer_handover(store, CLOCK, "tg:101", "no-such-offer", True, "en")
    with pytest.raises(rv.ReviewError, match="unknown"):
        await actions.answer_handover(store, CLOCK, "tg:555", offered.offer_id, True, "en")


async def test_a_touchpoint_goes_only_to_a_joined_colleague_of_the_same_workshop(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=2, schedule=NOW)
    other = await review_workshop(store, owners=1)
    owner, colleague = built.owners
    stranger = other.owners[0]
    touchpoint = built.touchpoints[0]
    invited = Member(workshop_id=built.id, name="Invited")  # has not joined
    gone = Member(workshop_id=built.id, name="Gone", person_id="tg:777")
    async with store.write() as uow:
        await uow.items.add(invited)
        await uow.items.add(gone)
        await uow.items.delete(gone)
    for to in (owner, invited, gone, stranger):
        with pytest.raises(rv.ReviewError, match="bad_handover"):
            async with store.write() as uow:
                await rv.offer_handover(uow, touchpoint.id, owner, to)
    with pytest.raises(rv.ReviewError, match="not_owner"):
        async with store.write() as uow:
            await rv.offer_handover(uow, touchpoint.id, colleague, owner)
    with pytest.raises(rv.ReviewError, match="unknown"):
        async with store.write() as uow:
            await rv.offer_handover(uow, other.touchpoints[0].id, owner, colleague)
    async with store.write() as uow:
        offer = await rv.offer_handover(uow, touchpoint.id, owner, colleague)
    async with store.read() as uow:
        stored = await uow.items.get(Handover, offer.id)
        (created,) = await uow.items.history(offer.id)
    assert stored is not None and stored.author_id == owner.id
    assert stored.department_id == owner.department_id and created.actor == owner.id
