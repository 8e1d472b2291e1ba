from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.db import Database, StorageError, migrations
from storage.store import SqliteStore


async def test_fresh_database_gets_every_migration_and_wal(db_path: Path) -> None:
    db = await Database.open(db_path)
    try:
        assert await db.schema_version() == len(migrations())
        mode = await (await db.reader.execute("PRAGMA journal_mode")).fetchone()
        assert mode[0] == "wal"
        fk = await (await db.writer.execute("PRAGMA foreign_keys")).fetchone()
        assert fk[0] == 1
        sync = await (await db.writer.execute("PRAGMA synchronous")).fetchone()
        assert sync[0] == 2  # FULL
        tables = {
            row[0]
            for row in await (
                await db.reader.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ).fetchall()
        }
        assert {"workshops", "items", "people", "positions", "audit"} <= tables
    finally:
        await db.close()


async def test_reopening_keeps_data_and_applies_nothing_twice(db_path: Path) -> None:
    from flows.models import Workshop

    store = await SqliteStore.open(db_path)
    ws = Workshop(title="Kept")
    async with store.write() as uow:
        await uow.workshops.add(ws)
    await store.close()

    store = await SqliteStore.open(db_path)
    try:
        assert await store.db.schema_version() == len(migrations())
        async with store.read() as uow:
            assert (await uow.workshops.get(ws.id)).title == "Kept"
    finally:
        await store.close()


async def test_a_database_from_a_newer_program_is_refused(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StorageError, match="newer than this program"):
        await Database.open(db_path)


async def test_a_failed_write_rolls_back_everything_in_it(store: SqliteStore) -> None:
    from flows.models import Workshop

    ws = Workshop(title="never stored")
    with pytest.raises(RuntimeError):
        async with store.write() as uow:
            await uow.workshops.add(ws)
            raise RuntimeError("crash mid-answer")
    async with store.read() as uow:
        assert await uow.workshops.get(ws.id) is None


async def test_read_units_refuse_writes(store: SqliteStore) -> None:
    from flows.models import Department

    async with store.read() as uow:
        with pytest.raises(RuntimeError, match="store.write"):
            await uow.items.add(Department(workshop_id="x", name="x"))


async def test_processed_update_ids_are_remembered_then_forgotten(store: SqliteStore) -> None:
    from datetime import UTC, datetime, timedelta

    async with store.write() as uow:
        assert await uow.updates.first_time("tg:1")
        assert not await uow.updates.first_time("tg:1")
    async with store.write() as uow:
        assert await uow.updates.forget_before(datetime.now(UTC) + timedelta(seconds=1)) == 1
        assert await uow.updates.first_time("tg:1")
