"""What a test reads of a store beside its ports, on either backend: raw rows (SQL both
dialects read alike; ``?`` placeholders) and the position repository class to patch."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from flows.models import Person
from storage.positions import SqlitePositionRepo
from storage.postgres.positions import PgPositionRepo
from storage.postgres.store import PgStore


async def rows(store: Any, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    if isinstance(store, PgStore):
        numbered = iter(range(1, len(args) + 1))
        sql = re.sub(r"\?", lambda _: f"${next(numbered)}", sql)
        async with store.db.reading() as conn:
            return [tuple(row) for row in await conn.fetch(sql, *args)]
    cursor = await store.db.reader.execute(sql, args)
    return [tuple(row) for row in await cursor.fetchall()]


def position_repo(store: Any) -> type[SqlitePositionRepo] | type[PgPositionRepo]:
    return PgPositionRepo if isinstance(store, PgStore) else SqlitePositionRepo


async def a_write_waits_until(store: Any, release: Callable[[], Awaitable[None]]) -> None:
    """While someone else holds the write lock, a write waits (the event loop goes on
    meanwhile); once ``release()`` frees it, the write goes ahead at once."""
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
    await release()
    await asyncio.wait_for(writing, timeout=10)
    beat.cancel()
    assert time.monotonic() - started < 5
    async with store.read() as uow:
        person = await uow.people.get("tg:1")
    assert person is not None and person.name == "Anna"
