"""/map reads a workshop's map unparsed (flows.workshop.queries.load_map_rows) for the
render worker to parse: what the worker makes of it is the map load_map reads, stages in
their order, deleted items and items the map does not show left out; the same map read
twice is the same text (one cache entry), an edit makes another."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.demo.sample import sample_map
from flows.models import Review, ReviewStatus, Workshop
from flows.ports import Store
from flows.workshop.queries import load_map, load_map_rows
from flows.workshop.versions import save_version

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


async def _seed(store: Store) -> tuple[Workshop, str]:
    jm = sample_map(5, density=0.8)
    async with store.write() as uow:
        await uow.workshops.add(jm.workshop)
        for field in ("departments", "members", "personas", "notes", "emotions"):
            for item in getattr(jm, field):
                await uow.items.add(item)
        for stage in reversed(jm.stages):  # stored out of order: the map sorts them
            await uow.items.add(stage)
        for field in ("touchpoints", "kpis", "readings", "pains", "ideas"):
            for item in getattr(jm, field):
                await uow.items.add(item)
        gone = jm.touchpoints[0]
        await uow.items.delete(gone)
        await uow.items.add(
            Review(
                workshop_id=jm.workshop.id,
                touchpoint_id=jm.touchpoints[1].id,
                owner_id=jm.members[0].id,
                due_at=AT - timedelta(days=1),
                status=ReviewStatus.DONE,
            )
        )
    async with store.write() as uow:
        await save_version(uow, jm.workshop, AT)
    return jm.workshop, gone.id


async def test_the_worker_parses_the_map_load_map_reads(store: Store) -> None:
    workshop, gone = await _seed(store)
    rows = await load_map_rows(store, workshop.id, at=AT)
    journey = rows.journey()
    assert journey == await load_map(store, workshop.id, at=AT)
    assert journey.version == rows.version == 1 and journey.generated_at == AT
    assert [s.order for s in journey.stages] == sorted(s.order for s in journey.stages)
    assert len(journey.stages) == 5 and journey.touchpoints
    assert gone not in {t.id for t in journey.touchpoints}
    assert {kind for kind, _ in rows.rows} <= set(type(journey).FIELDS)


async def test_the_same_map_is_the_same_text_and_an_edit_another(store: Store) -> None:
    workshop, _ = await _seed(store)
    first = await load_map_rows(store, workshop.id, at=AT)
    again = await load_map_rows(store, workshop.id, at=AT + timedelta(hours=1))
    assert first.body() == again.body()
    stage = first.journey().stages[2]
    stage.name = "Renamed stage"
    async with store.write() as uow:
        await uow.items.update(stage)
    edited = await load_map_rows(store, workshop.id, at=AT)
    assert edited.body() != first.body()
    assert edited.journey().stages[2].name == "Renamed stage"
