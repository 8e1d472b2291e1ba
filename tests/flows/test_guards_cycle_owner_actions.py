"""What an owner does with a review card, as the audit and their next reminder show it:
confirming, a KPI value, snoozing, their own time zone and absence are recorded under the
owner; the reading keeps their department; the next review and a snoozed one come at the
owner's local reminder time and after their absence."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from flows.models import HandoverStatus, Kpi, KpiReading, Member, Review, ReviewStatus
from flows.review import cycle as rv
from storage.store import SqliteStore
from tests.builders import NOW, WorkshopBuilder, review_workshop

ALMATY = ZoneInfo("Asia/Almaty")


async def owner_in_almaty(store: SqliteStore) -> tuple[WorkshopBuilder, Member, Review]:
    built = await review_workshop(store, owners=1, kpis=1, schedule=NOW)
    (owner,) = built.owners
    async with store.write() as uow:
        dept = built.department("sales")
        await uow.items.add(dept)
        owner.timezone, owner.department_id = "Asia/Almaty", dept.id
        await uow.items.update(owner)
        (review,) = await uow.items.list(built.id, Review)
        review.status, review.sent_at = ReviewStatus.SENT, NOW
        await uow.items.update(review)
    return built, owner, review


async def last_actor(store: SqliteStore, item_id: str) -> str | None:
    async with store.read() as uow:
        return (await uow.items.history(item_id))[-1].actor


async def test_a_kpi_value_closes_the_review_under_the_owner_and_the_next_is_at_their_time(
    store: SqliteStore,
) -> None:
    built, owner, review = await owner_in_almaty(store)
    async with store.write() as uow:
        (kpi,) = await uow.items.list(built.id, Kpi)
        with pytest.raises(rv.ReviewError) as unknown:
            await rv.record_kpi(uow, review.id, owner, "no-such-kpi", 1.0, NOW)
        following = await rv.record_kpi(uow, review.id, owner, kpi.id, 42.0, NOW)
        (reading,) = [r for r in await uow.items.list(built.id, KpiReading) if r.value == 42.0]
    assert unknown.value.key == "review.error.unknown_kpi"
    assert reading.department_id == owner.department_id is not None
    for item_id in (review.id, built.touchpoints[0].id, kpi.id, reading.id):
        assert await last_actor(store, item_id) == owner.id, item_id
    assert following.due_at.astimezone(ALMATY).time() == time(10, 0)


async def test_a_confirmation_is_recorded_under_the_owner(store: SqliteStore) -> None:
    built, owner, review = await owner_in_almaty(store)
    async with store.write() as uow:
        following = await rv.confirm(uow, review.id, owner, NOW)
    assert await last_actor(store, review.id) == owner.id
    assert await last_actor(store, built.touchpoints[0].id) == owner.id
    assert following.due_at.astimezone(ALMATY).time() == time(10, 0)


async def test_a_snooze_comes_back_at_the_owners_time_after_their_absence(
    store: SqliteStore,
) -> None:
    _, owner, review = await owner_in_almaty(store)
    back = date(2026, 6, 20)
    owner.away_until = back
    async with store.write() as uow:
        snoozed = await rv.snooze(uow, review.id, owner, NOW)
    assert snoozed.snoozed_until == NOW + timedelta(days=rv.SNOOZE_DAYS)
    local = snoozed.due_at.astimezone(ALMATY)
    assert local.date() > back and local.time() == time(10, 0)
    assert await last_actor(store, review.id) == owner.id
    async with store.read() as uow:
        kept = await uow.items.get(Review, review.id)
    assert kept is not None and kept.snoozed_until == snoozed.snoozed_until


async def test_an_owners_zone_and_absence_are_recorded_under_them_at_their_time(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=1, schedule=NOW)
    (owner,) = built.owners
    async with store.write() as uow:
        (moved,) = await rv.set_timezone(uow, owner, "Asia/Almaty", NOW)
    assert await last_actor(store, owner.id) == owner.id
    assert await last_actor(store, moved.id) == owner.id
    back = date(2026, 7, 1)
    async with store.write() as uow:
        (held,) = await rv.set_away(uow, owner, back, NOW)
    assert await last_actor(store, owner.id) == owner.id
    assert await last_actor(store, held.id) == owner.id
    local = held.due_at.astimezone(ALMATY)
    assert local.date() > back and local.time() == time(10, 0)


async def test_each_refusal_names_its_reason(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=2, schedule=NOW)
    ann, bob = built.owners
    async with store.write() as uow:
        theirs = {r.owner_id: r for r in await uow.items.list(built.id, Review)}
        reasons = []
        for review_id, member in (
            ("no-such-review", ann),
            (theirs[bob.id].id, ann),
        ):
            with pytest.raises(rv.ReviewError) as refused:
                await rv.confirm(uow, review_id, member, NOW)
            reasons.append(refused.value.key)
        await rv.confirm(uow, theirs[ann.id].id, ann, NOW)
        with pytest.raises(rv.ReviewError) as again:
            await rv.snooze(uow, theirs[ann.id].id, ann, NOW)
        reasons.append(again.value.key)
        with pytest.raises(rv.ReviewError) as to_self:
            await rv.offer_handover(uow, built.touchpoints[0].id, ann, ann)
        reasons.append(to_self.value.key)
    assert reasons == [
        "review.error.unknown",
        "review.error.not_owner",
        "review.error.closed",
        "review.error.bad_handover",
    ]


async def test_a_declined_hand_over_stays_with_the_owner_and_keeps_their_department(
    store: SqliteStore,
) -> None:
    built, owner, _ = await owner_in_almaty(store)
    async with store.write() as uow:
        colleague = built.member("Cid", tg=300)
        await uow.items.add(colleague)
        offer = await rv.offer_handover(uow, built.touchpoints[0].id, owner, colleague)
        answered = await rv.answer_handover(uow, offer.id, colleague, False, NOW)
        with pytest.raises(rv.ReviewError) as twice:
            await rv.answer_handover(uow, offer.id, colleague, True, NOW)
        tp = await uow.items.get(type(built.touchpoints[0]), built.touchpoints[0].id)
    assert offer.department_id == owner.department_id is not None
    assert (answered.status, answered.answered_at) == (HandoverStatus.DECLINED, NOW)
    assert twice.value.key == "review.error.closed"
    assert tp is not None and tp.owner_id == owner.id
