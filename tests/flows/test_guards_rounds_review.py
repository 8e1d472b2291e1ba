"""/review by a facilitator: a round for every owned touchpoint of a published workshop,
announced with its number, how many touchpoints and the day it closes (in the workshop's
time zone); the due reviews go out at once. Nothing to review and unpublished workshops
say so; only facilitators may start one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.models import Review, ReviewRound, ReviewStatus, Role, WorkshopStatus
from flows.ports import FixedClock
from flows.review import actions
from flows.workshop.facilitator import AccessDenied
from storage.store import SqliteStore
from tests.builders import NOW, WorkshopBuilder, review_workshop

FACILITATOR = "tg:9000"


async def test_a_round_covers_every_owned_touchpoint_and_closes_in_a_week(
    store: SqliteStore,
) -> None:
    # 22:30 UTC is 00:30 of the next day in Warsaw: the closing day is Warsaw's
    late_evening = NOW.replace(hour=22, minute=30)
    built = await review_workshop(store, owners=2, touchpoints_each=2, schedule=NOW)
    result = await actions.start_review_round(
        store, FixedClock(late_evening), FACILITATOR, built.id
    )
    assert result.key == "review.round.started"
    closes = late_evening + timedelta(days=7)
    # 00:30 in Warsaw is within quiet hours: nothing is due now, all four go out at 09:00
    later = str(result.params.pop("later"))
    assert result.params == {"number": 1, "count": 0, "closes": "09.06.2026"}
    assert "4 more go out" in later and later.count("02.06 09:00 (Europe/Warsaw)") == 4
    assert closes.strftime("%d.%m.%Y") == "08.06.2026"  # UTC would say a day earlier
    assert result.due_now == built.id
    async with store.read() as uow:
        reviews = await uow.items.list(built.id, Review)
        (round_,) = await uow.items.list(built.id, ReviewRound)
    assert sorted(r.id for r in result.moved) == sorted(r.id for r in reviews)
    assert {r.round_id for r in reviews} == {round_.id}
    again = await actions.start_review_round(store, FixedClock(late_evening), FACILITATOR, built.id)
    assert again.params["number"] == 1  # the running round is joined, not a new one


async def test_without_owned_touchpoints_there_is_nothing_to_review(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=0, schedule=NOW)
    result = await actions.start_review_round(store, FixedClock(NOW), FACILITATOR, built.id)
    assert (result.key, result.due_now, result.moved) == ("review.round.nothing", None, [])


async def test_a_workshop_not_yet_published_has_no_rounds(store: SqliteStore) -> None:
    b = WorkshopBuilder("Draft", status=WorkshopStatus.COLLECTING)
    b.member("Fac", tg=9000, role=Role.FACILITATOR)
    await b.save(store)
    result = await actions.start_review_round(store, FixedClock(NOW), FACILITATOR, b.id)
    assert result.key == "review.round.not_published"
    async with store.read() as uow:
        assert await uow.items.list(b.id, ReviewRound) == []


async def test_an_owner_cannot_start_a_round(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=1, schedule=NOW)
    with pytest.raises(AccessDenied):
        await actions.start_review_round(store, FixedClock(NOW), "tg:100", built.id)


async def test_a_round_makes_reviews_due_now_but_waits_for_an_absent_owner(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=2, confirmed=NOW, schedule=NOW)
    away, present = built.owners
    back = (NOW + timedelta(days=20)).date()
    async with store.write() as uow:
        away.away_until = back
        await uow.items.update(away)
        before = {r.owner_id: r for r in await uow.items.list(built.id, Review)}
        sent = before[present.id]
        sent.status, sent.sent_at = ReviewStatus.SENT, NOW
        await uow.items.update(sent)
    result = await actions.start_review_round(store, FixedClock(NOW), FACILITATOR, built.id)
    assert result.params["count"] == 1  # the present owner's; the absent one's comes later
    assert away.name in result.params["later"] and present.name not in result.params["later"]
    async with store.read() as uow:
        after = {r.owner_id: r for r in await uow.items.list(built.id, Review)}
        (round_,) = await uow.items.list(built.id, ReviewRound)
        fac = await uow.items.member_of(built.id, FACILITATOR)
    assert fac is not None and round_.started_by == fac.id and round_.author_id == fac.id
    assert round_.closes_at == NOW + timedelta(days=7) and round_.number == 1
    assert after[away.id].due_at.date() > back  # after the absence
    assert after[away.id].due_at < before[away.id].due_at
    assert after[present.id].due_at == before[present.id].due_at  # sent: left as it is
    assert {r.round_id for r in after.values()} == {round_.id}

    async with store.write() as uow:
        round_.completed_at = NOW + timedelta(days=1)
        await uow.items.update(round_)
    later = await actions.start_review_round(
        store, FixedClock(NOW + timedelta(days=2)), FACILITATOR, built.id
    )
    assert later.params["number"] == 2
