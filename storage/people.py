"""PersonRepo: who talks to the bot, and the processed-update log."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from flows.models import Person, utcnow


class SqlitePersonRepo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def get(self, person_id: str) -> Person | None:
        cursor = await self._conn.execute("SELECT data FROM people WHERE id = ?", (person_id,))
        row = await cursor.fetchone()
        return Person.model_validate_json(row["data"]) if row else None

    async def save(self, person: Person) -> None:
        person.updated_at = utcnow()
        await self._conn.execute(
            "INSERT INTO people (id, data, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (person.id, person.model_dump_json(), person.updated_at.isoformat()),
        )

    async def delete(self, person_id: str) -> None:
        await self._conn.execute("DELETE FROM people WHERE id = ?", (person_id,))
        await self._conn.execute("DELETE FROM live_prompts WHERE person_id = ?", (person_id,))

    async def live_prompt(self, person_id: str) -> int | None:
        cursor = await self._conn.execute(
            "SELECT message_id FROM live_prompts WHERE person_id = ?", (person_id,)
        )
        row = await cursor.fetchone()
        return None if row is None else int(row[0])

    async def swap_live_prompt(self, person_id: str, message_id: int | None) -> int | None:
        before = await self.live_prompt(person_id)
        if message_id is None:
            await self._conn.execute("DELETE FROM live_prompts WHERE person_id = ?", (person_id,))
        else:
            await self._conn.execute(
                "INSERT INTO live_prompts (person_id, message_id, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (person_id) DO UPDATE SET message_id = excluded.message_id, "
                "updated_at = excluded.updated_at",
                (person_id, message_id, utcnow().isoformat()),
            )
        return before

    async def forget_live_prompt(self, person_id: str, message_id: int) -> None:
        await self._conn.execute(
            "DELETE FROM live_prompts WHERE person_id = ? AND message_id = ?",
            (person_id, message_id),
        )


class SqliteUpdateLog:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def first_time(self, key: str) -> bool:
        cursor = await self._conn.execute(
            "INSERT OR IGNORE INTO processed_updates (key, at) VALUES (?, ?)",
            (key, utcnow().isoformat()),
        )
        return cursor.rowcount == 1

    async def recorded(self, key: str) -> bool:
        cursor = await self._conn.execute("SELECT 1 FROM processed_updates WHERE key = ?", (key,))
        return await cursor.fetchone() is not None

    async def forget_before(self, when: datetime) -> int:
        """Drop keys older than ``when`` (Telegram redelivers within hours, not days)."""
        cursor = await self._conn.execute(
            "DELETE FROM processed_updates WHERE at < ?", (when.isoformat(),)
        )
        return cursor.rowcount
