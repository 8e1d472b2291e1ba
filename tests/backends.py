"""What a test reads of a store beside its ports, on either backend: raw rows (SQL both
dialects read alike; ``?`` placeholders) and the position repository class to patch."""

from __future__ import annotations

import re
from typing import Any

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
