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
        await self._conn.execute("DELETE FROM live_prompts WHERE person_id = $1", person_id)

    async def live_prompt(self, person_id: str) -> int | None:
        found = await self._conn.fetchval(
            "SELECT message_id FROM live_prompts WHERE person_id = $1", person_id
        )
        return None if found is None else int(found)

    async def swap_live_prompt(self, person_id: str, message_id: int | None) -> int | None:
        before = await self.live_prompt(person_id)
        if message_id is None:
            await self._conn.execute("DELETE FROM live_prompts WHERE person_id = $1", person_id)
        else:
            await self._conn.execute(
                "INSERT INTO live_prompts (person_id, message_id, updated_at) "
                "VALUES ($1, $2, $3) ON CONFLICT (person_id) DO UPDATE "
                "SET message_id = excluded.message_id, updated_at = excluded.updated_at",
                person_id,
                message_id,
                utcnow(),
            )
        return before

    async def forget_live_prompt(self, person_id: str, message_id: int) -> None:
        await self._conn.execute(
            "DELETE FROM live_prompts WHERE person_id = $1 AND message_id = $2",
            person_id,
            message_id,
        )


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

    async def recorded(self, key: str) -> bool:
        found = await self._conn.fetchval("SELECT 1 FROM processed_updates WHERE key = $1", key)
        return found is not None

    async def forget_before(self, when: datetime) -> int:
        """Drop keys older than ``when`` (Telegram redelivers within hours, not days)."""
        status = await self._conn.execute("DELETE FROM processed_updates WHERE at < $1", when)
        return rowcount(status)
