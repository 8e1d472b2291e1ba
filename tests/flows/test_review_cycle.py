"""The review cycle on real SQLite: scheduling, answers, snooze, absence, handover,
overdue reviews, rounds and map versions."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from flows.models import (
    Kpi,
    KpiReading,
    Review,
    ReviewOutcome,
    ReviewStatus,
    Touchpoint,
    WorkshopStatus,
)
from flows.review import cycle as rv
from flows.review.rounds import finish_round_if_done, start_round
from flows.workshop.queries import load_map
from flows.workshop.versions import decode_change, save_version
from storage.store import SqliteStore
from tests.builders import NOW, review_workshop


async def test_each_owned_touchpoint_gets_one_review_even_when_scheduled_twice(
    store: SqliteStore,
) -> None:
    ws = (await review_workshop(store, owners=2, kpis=1, confirmed=None)).workshop
    async with store.write() as uow:
        first = await rv.schedule_workshop(uow, ws, NOW)
    async with store.write() as uow:
        second = await rv.schedule_workshop(uow, ws, NOW)
    assert len(first) == 2 and second == []
    due = first[0].due_at.astimezone(rv.rules_for(ws, None).zone)
    assert (due.date(), due.time()) == (date(2026, 7, 1), time(10, 0))  # Wednesday


async def test_a_draft_workshop_schedules_nothing(store: SqliteStore) -> None:
    ws = (await review_workshop(store, owners=2, kpis=1, confirmed=None)).workshop
    ws.status = WorkshopStatus.COLLECTING
    async with store.write() as uow:
        assert await rv.schedule_workshop(uow, ws, NOW) == []


async def test_up_to_date_confirms_and_schedules_the_next(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=2, kpis=1, confirmed=None)
    ws, members, tps = built.workshop, built.owners, built.touchpoints
    async with store.write() as uow:
        reviews = await rv.schedule_workshop(uow, ws, NOW)
    later = NOW + timedelta(days=31)
    async with store.write() as uow:
        due = await rv.due_reviews(uow, ws.id, later)
        assert {r.touchpoint_id for r in due} == {t.id for t in tps}
        await rv.mark_sent(uow, due, later)
        following = await rv.confirm(uow, reviews[0].id, members[0], later)
    async with store.read() as uow:
        tp = await uow.items.get(Touchpoint, tps[0].id)
        kpi = (await uow.items.list(ws.id, Kpi))[0]
        done = await uow.items.get(Review, reviews[0].id)
    assert tp.last_confirmed_at == later and kpi.last_confirmed_at == later
    assert done.status == ReviewStatus.DONE and done.outcome == ReviewOutcome.UP_TO_DATE
    assert following.due_at > later + timedelta(days=29)


async def test_a_kpi_reading_is_stored_and_closes_the_review(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=2, kpis=1, confirmed=None)
    ws, members = built.workshop, built.owners
    async with store.write() as uow:
        reviews = await rv.schedule_workshop(uow, ws, NOW)
        kpi = (await uow.items.list(ws.id, Kpi))[0]
        await rv.record_kpi(uow, reviews[0].id, members[0], kpi.id, 42.5, NOW)
    async with store.read() as uow:
        readings = await uow.items.list(ws.id, KpiReading)
    assert [(r.value, r.author_id) for r in readings] == [(42.5, members[0].id)]


async def test_only_the_owner_answers_and_only_once(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=2, kpis=1, confirmed=None)
    ws, members = built.workshop, built.owners
    async with store.write() as uow:
        reviews = await rv.schedule_workshop(uow, ws, NOW)
    with pytest.raises(rv.ReviewError, match="not_owner"):
        async with store.write() as uow:
            await rv.confirm(uow, reviews[0].id, members[1], NOW)
    async with store.write() as uow:
        await rv.confirm(uow, reviews[0].id, members[0], NOW)
    with pytest.raises(rv.ReviewError, match="closed"):
        async with store.write() as uow:
            await rv.confirm(uow, reviews[0].id, members[0], NOW)
    with pytest.raises(rv.ReviewError, match="unknown_kpi"):
        async with store.write() as uow:
            await rv.record_kpi(uow, reviews[1].id, members[1], "nope", 1.0, NOW)


async def test_snooze_moves_the_review_a_week(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=2, kpis=1, confirmed=None)
    ws, members = built.workshop, built.owners
    async with store.write() as uow:
        reviews = await rv.schedule_workshop(uow, ws, NOW - timedelta(days=31))
        await rv.mark_sent(uow, reviews, NOW)
        snoozed = await rv.snooze(uow, reviews[0].id, members[0], NOW)
    assert snoozed.status == ReviewStatus.SCHEDULED
    assert snoozed.due_at == NOW + timedelta(days=7)
    async with store.read() as uow:
        assert await rv.due_reviews(uow, ws.id, NOW + timedelta(days=6)) == []


async def test_an_absence_holds_scheduled_reviews(store: SqliteStore) -> None:
    built = await review_workshop(
        store, owners=2, kpis=1, confirmed=None, schedule=NOW - timedelta(days=30)
    )
    ws, members = built.workshop, built.owners
    async with store.write() as uow:
        moved = await rv.set_away(uow, members[0], date(2026, 6, 10), NOW)
    assert len(moved) == 1
    local = moved[0].due_at.astimezone(rv.rules_for(ws, None).zone)
    assert local.date() == date(2026, 6, 11) and local.time() == time(10, 0)


async def test_handover_needs_acceptance(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=2, kpis=1, confirmed=None, schedule=NOW)
    ws, members, tps = built.workshop, built.owners, built.touchpoints
    async with store.write() as uow:
        offer = await rv.offer_handover(uow, tps[0].id, members[0], members[1])
    async with store.read() as uow:
        assert (await uow.items.get(Touchpoint, tps[0].id)).owner_id == members[0].id
    with pytest.raises(rv.ReviewError):
        async with store.write() as uow:
            await rv.answer_handover(uow, offer.id, members[0], True, NOW)  # not the receiver
    async with store.write() as uow:
        await rv.answer_handover(uow, offer.id, members[1], True, NOW)
    async with store.read() as uow:
        assert (await uow.items.get(Touchpoint, tps[0].id)).owner_id == members[1].id
        open_ = await rv.open_reviews(uow, ws.id)
    assert sorted(r.owner_id for r in open_ if r.touchpoint_id == tps[0].id) == [members[1].id]


async def test_a_declined_handover_keeps_the_owner(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=2, kpis=1, confirmed=None)
    members, tps = built.owners, built.touchpoints
    async with store.write() as uow:
        offer = await rv.offer_handover(uow, tps[0].id, members[0], members[1])
        await rv.answer_handover(uow, offer.id, members[1], False, NOW)
        assert (await uow.items.get(Touchpoint, tps[0].id)).owner_id == members[0].id
    with pytest.raises(rv.ReviewError, match="not_owner"):
        async with store.write() as uow:
            await rv.offer_handover(uow, tps[0].id, members[1], members[0])


async def test_unanswered_reviews_become_overdue(store: SqliteStore) -> None:
    ws = (await review_workshop(store, owners=2, kpis=1, confirmed=None)).workshop
    async with store.write() as uow:
        reviews = await rv.schedule_workshop(uow, ws, NOW)
        await rv.mark_sent(uow, reviews, NOW)
        assert await rv.overdue(uow, ws.id, NOW + timedelta(days=2), after_days=3) == []
        late = await rv.overdue(uow, ws.id, NOW + timedelta(days=3), after_days=3)
    assert len(late) == 2


async def test_a_round_makes_everything_due_and_ends_with_a_new_version(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=2, kpis=1, confirmed=None)
    ws, members = built.workshop, built.owners
    async with store.write() as uow:
        await save_version(uow, ws, NOW)  # v1 at publication
        await rv.schedule_workshop(uow, ws, NOW)
        round_, joined = await start_round(uow, ws, None, NOW)
        assert len(joined) == 2
        assert len(await rv.due_reviews(uow, ws.id, NOW)) == 2
        again, rejoined = await start_round(uow, ws, None, NOW)  # joins the running one
        assert again.id == round_.id and len(rejoined) == 2
        kpi = (await uow.items.list(ws.id, Kpi))[0]
        await rv.record_kpi(uow, joined[0].id, members[0], kpi.id, 61, NOW)
        assert await finish_round_if_done(uow, ws, NOW) is None
        await rv.confirm(uow, joined[1].id, members[1], NOW)
        finished = await finish_round_if_done(uow, ws, NOW)
    assert finished is not None
    _, version = finished
    assert version.number == 2
    assert [decode_change(c).key for c in version.changes] == ["version.change.kpi"]
    assert decode_change(version.changes[0]).params["after"] == "61"
    journey = await load_map(store, ws.id)
    assert journey.version == 2


async def test_a_round_closes_when_its_window_ends(store: SqliteStore) -> None:
    ws = (await review_workshop(store, owners=2, kpis=1, confirmed=None, schedule=NOW)).workshop
    async with store.write() as uow:
        await start_round(uow, ws, None, NOW)
        assert await finish_round_if_done(uow, ws, NOW + timedelta(days=6)) is None
        finished = await finish_round_if_done(uow, ws, NOW + timedelta(days=7))
    assert finished is not None and finished[1].number == 1
    assert decode_change(finished[1].changes[0]).key == "version.change.first"
