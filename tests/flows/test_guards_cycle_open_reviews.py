"""Which reviews an owner can still answer: their own, open, of a published workshop and
a touchpoint that still exists; a KPI reading goes only to a KPI of that touchpoint and
carries who gave it."""

from __future__ import annotations

import pytest

from flows.models import Kpi, KpiReading, Review, Touchpoint, WorkshopStatus
from flows.review import cycle as rv
from storage.store import SqliteStore
from tests.builders import NOW, review_workshop


async def _setup(store: SqliteStore):  # type: ignore[no-untyped-def]
    built = await review_workshop(store, owners=2, kpis=1, schedule=NOW)
    async with store.read() as uow:
        reviews = {r.owner_id: r for r in await uow.items.list(built.id, Review)}
        kpis = {k.touchpoint_id: k for k in await uow.items.list(built.id, Kpi)}
    return built, reviews, kpis


async def test_a_reading_is_recorded_with_its_author_for_the_reviews_own_kpi(
    store: SqliteStore,
) -> None:
    built, reviews, kpis = await _setup(store)
    ann, bob = built.owners
    review = reviews[ann.id]
    other_kpi = kpis[reviews[bob.id].touchpoint_id]
    async with store.write() as uow:
        with pytest.raises(rv.ReviewError, match="unknown_kpi"):
            await rv.record_kpi(uow, review.id, ann, other_kpi.id, 1, NOW)
        following = await rv.record_kpi(uow, review.id, ann, kpis[review.touchpoint_id].id, 7, NOW)
    async with store.read() as uow:
        (reading,) = await uow.items.list(built.id, KpiReading)
    assert (reading.kpi_id, reading.value, reading.author_id) == (
        kpis[review.touchpoint_id].id,
        7,
        ann.id,
    )
    assert reading.department_id == ann.department_id and reading.workshop_id == built.id
    assert following.owner_id == ann.id and following.touchpoint_id == review.touchpoint_id


async def test_only_open_reviews_of_live_published_workshops_can_be_answered(
    store: SqliteStore,
) -> None:
    built, reviews, _ = await _setup(store)
    ann, bob = built.owners
    async with store.write() as uow:
        with pytest.raises(rv.ReviewError, match="not_owner"):
            await rv.load_review(uow, reviews[bob.id].id, ann)
        with pytest.raises(rv.ReviewError, match="unknown"):
            await rv.load_review(uow, "no-such-review", ann)
        opened = await rv.load_review(uow, reviews[ann.id].id, ann)
        assert opened.touchpoint.id == reviews[ann.id].touchpoint_id
        assert opened.workshop.id == built.id and opened.owner.id == ann.id

    async with store.write() as uow:
        tp = await uow.items.get(Touchpoint, reviews[bob.id].touchpoint_id)
        assert tp is not None
        await uow.items.delete(tp)
    async with store.write() as uow:
        with pytest.raises(rv.ReviewError, match="unknown"):
            await rv.load_review(uow, reviews[bob.id].id, bob)

    async with store.write() as uow:
        await rv.confirm(uow, reviews[ann.id].id, ann, NOW)
    async with store.write() as uow:
        with pytest.raises(rv.ReviewError, match="closed"):
            await rv.load_review(uow, reviews[ann.id].id, ann)
        (following,) = [
            r
            for r in await uow.items.list(built.id, Review)
            if r.status.value == "scheduled" and r.owner_id == ann.id
        ]
        workshop = await uow.workshops.get(built.id)
        assert workshop is not None
        workshop.status = WorkshopStatus.CLOSED
        await uow.workshops.update(workshop)
    async with store.write() as uow:
        with pytest.raises(rv.ReviewError, match="closed"):
            await rv.load_review(uow, following.id, ann)
