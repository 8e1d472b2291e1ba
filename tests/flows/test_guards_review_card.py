"""The owner's review card, button by button: "Up to date" closes the review and plans the
next, "Snooze" moves it on; "Update KPI" is refused for a review that is not the owner's
(its flow: test_guards_kpi_value.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.models import Kpi, Review, ReviewOutcome, ReviewStatus
from flows.review import actions, card
from flows.review import cycle as rv
from storage.store import SqliteStore
from tests.builders import NOW, WorkshopBuilder, review_workshop

OWNER = "tg:100"


async def open_review(store: SqliteStore, built: WorkshopBuilder) -> Review:
    async with store.read() as uow:
        (review,) = await uow.items.list(built.id, Review)
    return review


async def press(store: SqliteStore, action: str, review: Review) -> card.Said:
    async with store.write() as uow:
        return await card.press(uow, OWNER, action, review.id, NOW)


async def test_up_to_date_closes_the_review_and_plans_the_next(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=1, kpis=1, schedule=NOW)
    review = await open_review(store, built)
    said = await press(store, "ok", review)
    assert (said.key, said.params, said.answered) == (
        "review.done",
        {"touchpoint": "TP 0.0", "next": "01.07.2026"},  # 30 days on, in the owner's time
        review.id,
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
    assert (said.key, said.params, said.answered) == (
        "review.snoozed",
        {"touchpoint": "TP 0.0", "next": "08.06.2026"},  # a week on
        review.id,
    )
    assert said.review is not None and said.review.id == review.id
    assert said.review.status == ReviewStatus.SCHEDULED and said.moved == [said.review]
    assert said.review.due_at >= NOW + timedelta(days=rv.SNOOZE_DAYS)


async def test_only_the_owner_may_press_and_only_existing_reviews(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=2, schedule=NOW)
    async with store.read() as uow:
        reviews = await uow.items.list(built.id, Review)
    others = next(r for r in reviews if r.owner_id != built.owners[0].id)
    mine = next(r for r in reviews if r.owner_id == built.owners[0].id)
    with pytest.raises(rv.ReviewError, match="not_owner"):
        await press(store, "ok", others)
    async with store.write() as uow:
        with pytest.raises(rv.ReviewError, match="not_owner"):
            await card.press(uow, "tg:555", "ok", others.id, NOW)
        with pytest.raises(rv.ReviewError, match="unknown"):
            await card.press(uow, OWNER, "ok", "no-such-review", NOW)
        with pytest.raises(rv.ReviewError, match="unknown"):  # no such button
            await card.press(uow, OWNER, "kpi", mine.id, NOW)
    with pytest.raises(rv.ReviewError, match="not_owner"):
        await actions.kpi_review(store, "tg:555", others.id)
    with pytest.raises(rv.ReviewError, match="not_owner"):
        await actions.kpi_review(store, OWNER, others.id)
