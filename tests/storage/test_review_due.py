"""The schedule index (``review_due``) stays in step with the Review documents: written
with them, filled by migration 002 for a database that had reviews before it, and by an
import; it answers what is due, what is stuck, what is open, and the next due time."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from flows.models import Review, ReviewStatus
from storage.db import migrations
from storage.store import SqliteStore
from tests.builders import NOW, review_workshop


async def _by_owner(store: SqliteStore, workshop_id: str) -> dict[str, Review]:
    async with store.read() as uow:
        return {r.owner_id: r for r in await uow.items.list(workshop_id, Review)}


async def test_due_stuck_open_and_next_come_from_the_index(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=4, schedule=NOW)  # all due 10 days ago
    due, later, stuck, answered = built.owners
    reviews = await _by_owner(store, built.id)
    async with store.write() as uow:
        reviews[later.id].due_at = NOW + timedelta(hours=3)
        reviews[stuck.id].status = ReviewStatus.SENT
        reviews[stuck.id].sent_at = NOW - timedelta(minutes=11)
        reviews[answered.id].status = ReviewStatus.DONE
        for owner in (later, stuck, answered):
            await uow.items.update(reviews[owner.id])
    async with store.read() as uow:
        now_due = await uow.items.due_reviews(NOW)
        with_stuck = await uow.items.due_reviews(NOW, stuck_before=NOW - timedelta(minutes=10))
        not_yet = await uow.items.due_reviews(NOW, stuck_before=NOW - timedelta(minutes=12))
        one = await uow.items.due_reviews(NOW, stuck_before=NOW, owners=1)
        skipping = await uow.items.due_reviews(
            NOW, stuck_before=NOW - timedelta(minutes=10), except_owners={due.id}
        )
        opened = await uow.items.open_reviews(built.id)
        first = await uow.items.next_review_due()
    assert [r.owner_id for r in now_due] == [due.id]
    assert {r.owner_id for r in with_stuck} == {due.id, stuck.id}
    assert [r.owner_id for r in not_yet] == [due.id]
    assert len(one) == 1
    assert [r.owner_id for r in skipping] == [stuck.id]  # an owner whose send failed
    assert {r.owner_id for r in opened} == {due.id, later.id, stuck.id}
    assert first == reviews[due.id].due_at


async def test_deleted_reviews_and_other_workshops_states_are_not_due(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=2, schedule=NOW)
    gone = (await _by_owner(store, built.id))[built.owners[0].id]
    async with store.write() as uow:
        await uow.items.delete(gone)
    async with store.read() as uow:
        assert [r.owner_id for r in await uow.items.due_reviews(NOW)] == [built.owners[1].id]
    async with store.write() as uow:
        workshop = await uow.workshops.get(built.id)
        assert workshop is not None
        workshop.status = workshop.status.CLOSED
        await uow.workshops.update(workshop)
    async with store.read() as uow:
        assert await uow.items.due_reviews(NOW) == []
        assert await uow.items.next_review_due() is None


async def test_migration_002_indexes_the_reviews_already_written(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    store = await SqliteStore.open(path)
    built = await review_workshop(store, owners=2, schedule=NOW)
    later = (await _by_owner(store, built.id))[built.owners[1].id]
    async with store.write() as uow:
        later.due_at = NOW + timedelta(days=3, microseconds=250)
        await uow.items.update(later)
    await store.close()
    with sqlite3.connect(path) as conn:  # as the database was before migration 002
        conn.execute("DROP TABLE review_due")
        conn.execute("DROP TABLE live_prompts")  # (and what came after)
        conn.execute("PRAGMA user_version = 1")
    store = await SqliteStore.open(path)
    try:
        assert await store.db.schema_version() == len(migrations())  # 002 and later
        async with store.read() as uow:
            assert [r.owner_id for r in await uow.items.due_reviews(NOW)] == [built.owners[0].id]
            assert len(await uow.items.open_reviews(built.id)) == 2
            after = await uow.items.due_reviews(NOW + timedelta(days=3, microseconds=250))
        assert len(after) == 2
    finally:
        await store.close()


async def test_an_imported_workshop_has_its_reviews_indexed(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=2, schedule=NOW)
    exported = await store.export_workshop(built.id)
    await store.import_workshop(exported, replace=True)
    async with store.read() as uow:
        assert len(await uow.items.due_reviews(NOW)) == 2
        assert len(await uow.items.open_reviews(built.id)) == 2
