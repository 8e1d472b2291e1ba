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


class SqliteUpdateLog:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def first_time(self, key: str) -> bool:
        cursor = await self._conn.execute(
            "INSERT OR IGNORE INTO processed_updates (key, at) VALUES (?, ?)",
            (key, utcnow().isoformat()),
        )
        return cursor.rowcount == 1

    async def forget_before(self, when: datetime) -> int:
        """Drop keys older than ``when`` (Telegram redelivers within hours, not days)."""
        cursor = await self._conn.execute(
            "DELETE FROM processed_updates WHERE at < ?", (when.isoformat(),)
        )
        return cursor.rowcount
