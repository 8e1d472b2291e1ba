"""The owner's review card, button by button: "Up to date" closes the review and plans the
next, "Snooze" moves it on, "Update KPI" asks for the number (choosing the KPI first when
there are several) and a typed number is saved — a bad one gets the question again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.models import Kpi, KpiReading, Review, ReviewOutcome, ReviewStatus
from flows.review import card
from flows.review import cycle as rv
from storage.store import SqliteStore
from tests.builders import NOW, STALE, WorkshopBuilder, review_workshop

OWNER = "tg:100"


async def open_review(store: SqliteStore, built: WorkshopBuilder) -> Review:
    async with store.read() as uow:
        (review,) = await uow.items.list(built.id, Review)
    return review


async def press(store: SqliteStore, action: str, review: Review, extra: str = "") -> card.Said:
    async with store.write() as uow:
        return await card.press(uow, OWNER, action, review.id, extra, NOW)


async def typed(store: SqliteStore, text: str) -> card.Said | None:
    async with store.write() as uow:
        return await card.typed(uow, OWNER, text, NOW)


async def test_up_to_date_closes_the_review_and_plans_the_next(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=1, kpis=1, schedule=NOW)
    review = await open_review(store, built)
    said = await press(store, "ok", review)
    assert (said.key, said.params, said.done) == (
        "review.done",
        {"touchpoint": "TP 0.0", "next": "01.07.2026"},  # 30 days on, in the owner's time
        True,
    )
    assert said.review is not None and said.moved == [said.review]
    assert said.rounds_of == built.id
    async with store.read() as uow:
        closed = await uow.items.get(Review, review.id)
        kpi = (await uow.items.list(built.id, Kpi))[0]
    assert closed is not None and closed.status == ReviewStatus.DONE
    assert closed.outcome == ReviewOutcome.UP_TO_DATE and closed.answered_at == NOW
    assert kpi.last_confirmed_at == NOW
    assert said.review.due_at > NOW + timedelta(days=25)
    with pytest.raises(rv.ReviewError, match="closed"):
        await press(store, "ok", review)


async def test_snooze_keeps_the_review_open_for_later(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=1, schedule=NOW)
    review = await open_review(store, built)
    said = await press(store, "snz", review)
    assert (said.key, said.params, said.done) == (
        "review.snoozed",
        {"touchpoint": "TP 0.0", "next": "08.06.2026"},  # a week on
        True,
    )
    assert said.review is not None and said.review.id == review.id
    assert said.review.status == ReviewStatus.SCHEDULED and said.moved == [said.review]
    assert said.review.due_at >= NOW + timedelta(days=rv.SNOOZE_DAYS)


async def test_one_kpi_is_asked_for_with_its_unit_and_target(store: SqliteStore) -> None:
    b = WorkshopBuilder("Shop", status="published", timezone="Europe/Warsaw")
    stage = b.stage("Visit")
    owner = b.member("Olga", tg=100)
    tp = b.touchpoint(stage, "Checkout", owner=owner, confirmed=STALE)
    b.kpi(tp, "Conversion", unit="%", target=12.5)
    await b.save(store, schedule=NOW)
    review = await open_review(store, b)
    said = await press(store, "kpi", review)
    assert said.key == "review.kpi.ask" and not said.done
    assert said.params == {"kpi": "Conversion", "unit": ", %", "target": "12.5"}


async def test_several_kpis_are_offered_to_choose_from_then_the_chosen_one_is_asked(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=1, kpis=2, schedule=NOW)
    review = await open_review(store, built)
    async with store.read() as uow:
        kpis = await uow.items.list(built.id, Kpi)
    said = await press(store, "kpi", review)
    assert said.key == "review.kpi.choose" and said.params == {"touchpoint": "TP 0.0"}
    assert said.choices == [(k.name, k.id) for k in kpis]
    assert await typed(store, "5") is None  # no number is expected yet
    asked = await press(store, "k", review, kpis[1].id)
    assert asked.params == {"kpi": "KPI 1", "unit": "", "target": "50"}
    with pytest.raises(rv.ReviewError, match="unknown_kpi"):
        await press(store, "k", review, "no-such-kpi")


async def test_a_touchpoint_without_kpis_has_none_to_update(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=1, schedule=NOW)
    review = await open_review(store, built)
    with pytest.raises(rv.ReviewError, match="unknown_kpi"):
        await press(store, "kpi", review)


async def test_a_typed_number_is_saved_and_a_bad_one_asked_again(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=1, kpis=1, schedule=NOW)
    review = await open_review(store, built)
    await press(store, "kpi", review)
    again = await typed(store, "lots")
    assert again is not None and again.key == "review.kpi.ask" and not again.done
    assert again.error == ("engine.error.number", {})
    assert again.params == {"kpi": "KPI 0", "unit": "", "target": "50"}
    saved = await typed(store, "42")
    assert saved is not None and saved.done
    assert (saved.key, saved.params) == ("review.kpi.saved", {"kpi": "KPI 0", "value": "42"})
    assert saved.review is not None and saved.review.status == ReviewStatus.SCHEDULED
    async with store.read() as uow:
        (reading,) = await uow.items.list(built.id, KpiReading)
        closed = await uow.items.get(Review, review.id)
        assert await card.pending(uow, OWNER) is None
    assert (reading.value, reading.at, reading.source) == (42, NOW, "review")
    assert closed is not None and closed.outcome == ReviewOutcome.KPI_UPDATED
    assert await typed(store, "43") is None  # nothing expected any more


async def test_a_number_for_a_review_that_closed_meanwhile_is_not_saved(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=1, kpis=1, schedule=NOW)
    review = await open_review(store, built)
    await press(store, "kpi", review)
    await press(store, "ok", review)
    said = await typed(store, "42")
    assert said is not None and (said.key, said.done) == ("review.error.closed", True)
    async with store.read() as uow:
        assert await uow.items.list(built.id, KpiReading) == []
        assert await card.pending(uow, OWNER) is None


async def test_only_the_owner_may_press_and_only_existing_reviews(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=2, schedule=NOW)
    async with store.read() as uow:
        reviews = await uow.items.list(built.id, Review)
    others = next(r for r in reviews if r.owner_id != built.owners[0].id)
    with pytest.raises(rv.ReviewError, match="not_owner"):
        await press(store, "ok", others)
    async with store.write() as uow:
        with pytest.raises(rv.ReviewError, match="not_owner"):
            await card.press(uow, "tg:555", "ok", others.id, "", NOW)
        with pytest.raises(rv.ReviewError, match="unknown"):
            await card.press(uow, OWNER, "ok", "no-such-review", "", NOW)
