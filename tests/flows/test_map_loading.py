"""The map is read from what it draws only: the same map as from every item of the
workshop, without reading its reviews or its version snapshots."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.models import JourneyMap, MapVersion, Review
from flows.workshop.exports import ExportFormat, prepare_export
from flows.workshop.queries import load_map
from flows.workshop.versions import save_version
from storage.store import SqliteStore
from tests.builders import NOW, complete_workshop


async def _with_history(store: SqliteStore) -> tuple[str, str]:
    b = await complete_workshop(store)
    async with store.write() as uow:
        for _ in range(3):
            await save_version(uow, b.workshop, NOW)
        owner = b.members[0]
        for tp in b.touchpoints:
            await uow.items.add(
                Review(
                    workshop_id=b.id,
                    touchpoint_id=tp.id,
                    owner_id=owner.id,
                    due_at=NOW - timedelta(days=1),
                )
            )
        dropped = MapVersion(workshop_id=b.id, number=9)
        await uow.items.add(dropped)
        await uow.items.delete(dropped)  # a deleted version is not the map's version
    return b.id, b.members[0].person_id or ""


async def _break(store: SqliteStore, workshop_id: str, kind: str) -> None:
    """Make every stored item of ``kind`` unreadable as its model (its number kept)."""
    async with store.db.transaction() as conn:
        await conn.execute(
            "UPDATE items SET data = json_set(data, '$.snapshot', 'broken', "
            "'$.due_at', 'broken') WHERE workshop_id = ? AND kind = ?",
            (workshop_id, kind),
        )


async def test_the_map_is_the_same_as_from_every_item(store: SqliteStore) -> None:
    wid, _ = await _with_history(store)
    async with store.read() as uow:
        workshop = await uow.workshops.get(wid)
        items = await uow.items.all_of_workshop(wid)
    assert workshop is not None
    whole = JourneyMap.from_items(workshop, items, version=3, at=NOW)
    assert await load_map(store, wid, at=NOW) == whole
    assert whole.touchpoints and whole.kpis and whole.readings and whole.pains


@pytest.mark.sqlite_only  # breaks rows through SQLite's own connection
async def test_reviews_and_version_snapshots_are_not_read(store: SqliteStore) -> None:
    wid, person = await _with_history(store)
    await _break(store, wid, "map_version")
    await _break(store, wid, "review")
    journey = await load_map(store, wid, at=NOW)
    assert journey.version == 3 and journey.touchpoints
    source = await prepare_export(store, person, wid, ExportFormat.CSV, NOW)
    assert source.journey == journey
