"""PersonRepo on PostgreSQL: who talks to the bot, and the processed-update log."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from flows.models import Person, utcnow
from storage.postgres.db import rowcount


class PgPersonRepo:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def get(self, person_id: str) -> Person | None:
        data = await self._conn.fetchval("SELECT data FROM people WHERE id = $1", person_id)
        return Person.model_validate_json(data) if data is not None else None

    async def save(self, person: Person) -> None:
        person.updated_at = utcnow()
        await self._conn.execute(
            "INSERT INTO people (id, data, updated_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            person.id,
            person.model_dump_json(),
            person.updated_at,
        )

    async def delete(self, person_id: str) -> None:
        await self._conn.execute("DELETE FROM people WHERE id = $1", person_id)


class PgUpdateLog:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def first_time(self, key: str) -> bool:
        status = await self._conn.execute(
            "INSERT INTO processed_updates (key, at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            key,
            utcnow(),
        )
        return rowcount(status) == 1

    async def forget_before(self, when: datetime) -> int:
        """Drop keys older than ``when`` (Telegram redelivers within hours, not days)."""
        status = await self._conn.execute("DELETE FROM processed_updates WHERE at < $1", when)
        return rowcount(status)
