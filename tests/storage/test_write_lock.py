"""Statements run in place on the event loop's thread, except what may wait: a write
transaction while another process holds the write lock waits on the connection's thread
(the bot keeps answering meanwhile) and goes ahead when the lock is free."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from flows.models import Person
from storage.store import SqliteStore
from tests.backends import a_write_waits_until

pytestmark = pytest.mark.sqlite_only  # tests/storage/test_postgres.py has PostgreSQL's


async def test_a_write_waits_for_another_process_without_stalling_the_loop(
    store: SqliteStore, db_path: Path
) -> None:
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. `cjm-bot import` writing at the same time

    async def release() -> None:
        other.execute("COMMIT")
        other.close()

    await a_write_waits_until(store, release)


async def test_reads_and_writes_in_place_see_each_other(store: SqliteStore) -> None:
    async with store.write() as uow:
        await uow.people.save(Person(id="tg:2", name="Bo"))
        assert (await uow.people.get("tg:2")) is not None  # inside the transaction
    async with store.read() as uow:
        found = await uow.people.get("tg:2")
        cursor = await store.db.reader.execute("SELECT id FROM people ORDER BY id")
        first, rest = await cursor.fetchone(), await cursor.fetchall()
    assert found is not None and found.name == "Bo"
    assert [first["id"], *(r["id"] for r in rest)] == ["tg:2"]
    assert await cursor.fetchone() is None
