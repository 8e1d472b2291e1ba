"""Statements run in place on the event loop's thread, except what may wait: a write
transaction while another process holds the write lock waits on the connection's thread
(the bot keeps answering meanwhile) and goes ahead when the lock is free."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest

from flows.models import Person
from storage.store import SqliteStore

pytestmark = pytest.mark.sqlite_only  # tests/storage/test_postgres.py has PostgreSQL's


async def test_a_write_waits_for_another_process_without_stalling_the_loop(
    store: SqliteStore, db_path: Path
) -> None:
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. `cjm-bot import` writing at the same time
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    async def write() -> None:
        async with store.write() as uow:
            await uow.people.save(Person(id="tg:1", name="Anna"))

    beat = asyncio.create_task(ticker())
    started = time.monotonic()
    writing = asyncio.create_task(write())
    await asyncio.sleep(0.3)
    assert not writing.done()  # waiting for the lock, not failed
    assert ticks >= 10  # and the loop went on
    other.execute("COMMIT")
    other.close()
    await asyncio.wait_for(writing, timeout=10)
    beat.cancel()
    assert time.monotonic() - started < 5
    async with store.read() as uow:
        person = await uow.people.get("tg:1")
    assert person is not None and person.name == "Anna"


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
