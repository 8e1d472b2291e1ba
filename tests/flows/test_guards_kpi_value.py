"""flows/review/kpi_value.py — "Update KPI" on a review card, a flow on the engine: it asks
for the number (choosing the KPI first when there are several), a typed number is saved
as a reading that answers the review, a bad one gets the question again, /cancel records
nothing and leaves the review open."""

from __future__ import annotations

import pytest

from flows.conversation.engine import Answer, Outcome
from flows.models import Kpi, KpiReading, Review, ReviewOutcome, ReviewStatus
from flows.ports import FixedClock
from flows.review import actions, card
from flows.review import cycle as rv
from storage.store import SqliteStore
from tests.builders import NOW, STALE, WorkshopBuilder, review_workshop
from tests.flows.flowkit import make_engine

OWNER = "tg:100"


async def open_review(store: SqliteStore, built: WorkshopBuilder) -> Review:
    async with store.read() as uow:
        (review,) = await uow.items.list(built.id, Review)
    return review


async def press(store: SqliteStore, action: str, review: Review) -> card.Said:
    async with store.write() as uow:
        return await card.press(uow, OWNER, action, review.id, NOW)


async def update_kpi(store: SqliteStore, review: Review, kpi_id: str = "") -> Outcome:
    """ "Update KPI" pressed: the engine's first question."""
    return await make_engine(store, FixedClock(NOW)).review_kpi(
        OWNER, review.id, review.workshop_id, kpi_id
    )


async def typed(store: SqliteStore, text: str) -> Outcome:
    return await make_engine(store, FixedClock(NOW)).advance(OWNER, Answer.text(text))


async def test_one_kpi_is_asked_for_with_its_unit_and_target(store: SqliteStore) -> None:
    b = WorkshopBuilder("Shop", status="published", timezone="Europe/Warsaw")
    stage = b.stage("Visit")
    owner = b.member("Olga", tg=100)
    tp = b.touchpoint(stage, "Checkout", owner=owner, confirmed=STALE)
    b.kpi(tp, "Conversion", unit="%", target=12.5)
    await b.save(store, schedule=NOW)
    review = await open_review(store, b)
    asked = await update_kpi(store, review)
    assert asked.prompt is not None and asked.prompt.key == "review.kpi.ask"
    assert asked.prompt.params == {"kpi": "Conversion", "unit": ", %", "target": "12.5%"}
    assert asked.prompt.buttons == [] and asked.prompt.progress is None  # just the question


async def test_several_kpis_are_offered_to_choose_from_then_the_chosen_one_is_asked(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=1, kpis=2, schedule=NOW)
    review = await open_review(store, built)
    async with store.read() as uow:
        kpis = await uow.items.list(built.id, Kpi)
    choose = await update_kpi(store, review)
    assert choose.prompt is not None and choose.prompt.key == "review.kpi.choose"
    assert choose.prompt.params == {"touchpoint": "TP 0.0"}
    assert [(b.label, b.value) for row in choose.prompt.buttons for b in row] == [
        (k.name, k.id) for k in kpis
    ]
    not_yet = await typed(store, "5")  # no number is expected yet: the choice is asked again
    assert not_yet.prompt is not None and not_yet.prompt.key == "review.kpi.choose"
    asked = await make_engine(store, FixedClock(NOW)).advance(
        OWNER, Answer.button(kpis[1].id, choose.prompt.token)
    )
    assert asked.prompt is not None and asked.prompt.key == "review.kpi.ask"
    assert asked.prompt.params == {"kpi": "KPI 1", "unit": "", "target": "50"}
    async with store.read() as uow:
        assert await uow.items.list(built.id, KpiReading) == []
    chosen = await update_kpi(store, review, kpis[0].id)  # a KPI chosen on the card itself
    assert chosen.prompt is not None and chosen.prompt.params["kpi"] == "KPI 0"
    with pytest.raises(rv.ReviewError, match="unknown_kpi"):
        await actions.kpi_review(store, OWNER, review.id, "no-such-kpi")


async def test_a_touchpoint_without_kpis_has_none_to_update(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=1, schedule=NOW)
    review = await open_review(store, built)
    with pytest.raises(rv.ReviewError, match="unknown_kpi"):
        await actions.kpi_review(store, OWNER, review.id)
    refused = await update_kpi(store, review)  # the engine checks too, and starts nothing
    assert refused.keys[0] == "review.error.unknown_kpi"
    async with store.read() as uow:
        position = await uow.positions.get(OWNER, built.id)
    assert position is None or position.flow != "review_kpi"


async def test_a_typed_number_is_saved_and_a_bad_one_asked_again(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=1, kpis=1, schedule=NOW)
    review = await open_review(store, built)
    await update_kpi(store, review)
    again = await typed(store, "lots")
    assert again.keys == ["engine.error.number", "review.kpi.ask"]
    assert again.prompt is not None
    assert again.prompt.params == {"kpi": "KPI 0", "unit": "", "target": "50"}
    saved = await typed(store, "42")
    assert saved.replies[0].key == "review.kpi.saved"
    assert saved.replies[0].params == {"kpi": "KPI 0", "value": "42"}
    (answered,) = [r for r in saved.requests if r.kind == "review_answered"]
    assert answered.params["answered"] == review.id and answered.workshop_id == built.id
    async with store.read() as uow:
        (reading,) = await uow.items.list(built.id, KpiReading)
        closed = await uow.items.get(Review, review.id)
        following = await uow.items.get(Review, answered.params["review"])
        position = await uow.positions.get(OWNER, built.id)
    assert (reading.value, reading.at, reading.source) == (42, NOW, "review")
    assert closed is not None and closed.outcome == ReviewOutcome.KPI_UPDATED
    assert following is not None and following.status == ReviewStatus.SCHEDULED
    assert position is not None and position.flow == "home"  # back where they were
    after = await typed(store, "43")  # nothing expected any more: the home menu takes it
    async with store.read() as uow:
        assert len(await uow.items.list(built.id, KpiReading)) == 1
    assert "review.kpi.saved" not in after.keys


async def test_cancel_records_nothing_and_leaves_the_review_open(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=1, kpis=1, schedule=NOW)
    review = await open_review(store, built)
    await update_kpi(store, review)
    cancelled = await make_engine(store, FixedClock(NOW)).cancel(OWNER)
    assert cancelled.keys[0] == "review_kpi.cancelled"
    await typed(store, "55")
    async with store.read() as uow:
        assert await uow.items.list(built.id, KpiReading) == []
        still = await uow.items.get(Review, review.id)
    assert still is not None and still.status == review.status


async def test_a_number_for_a_review_that_closed_meanwhile_is_not_saved(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=1, kpis=1, schedule=NOW)
    review = await open_review(store, built)
    await update_kpi(store, review)
    await press(store, "ok", review)
    said = await typed(store, "42")
    assert said.keys[0] == "review.error.closed"
    async with store.read() as uow:
        assert await uow.items.list(built.id, KpiReading) == []
        position = await uow.positions.get(OWNER, built.id)
    assert position is not None and position.flow != "review_kpi"
