"""PositionRepo: where each person is in each conversation."""

from __future__ import annotations

import aiosqlite

from flows.models import Position, utcnow


class StalePosition(Exception):
    """The position changed since it was read: another answer got there first."""


class SqlitePositionRepo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def get(self, person_id: str, workshop_id: str) -> Position | None:
        cursor = await self._conn.execute(
            "SELECT data FROM positions WHERE person_id = ? AND workshop_id = ?",
            (person_id, workshop_id),
        )
        row = await cursor.fetchone()
        return Position.model_validate_json(row["data"]) if row else None

    async def save(self, position: Position) -> None:
        """Insert or update; refuses an update based on an outdated version."""
        expected = position.version
        position.version = expected + 1
        position.updated_at = utcnow()
        data = position.model_dump_json()
        if expected == 0:
            cursor = await self._conn.execute(
                "INSERT INTO positions (person_id, workshop_id, data, version, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    position.person_id,
                    position.workshop_id,
                    data,
                    1,
                    position.updated_at.isoformat(),
                ),
            )
        else:
            cursor = await self._conn.execute(
                "UPDATE positions SET data = ?, version = ?, updated_at = ? "
                "WHERE person_id = ? AND workshop_id = ? AND version = ?",
                (
                    data,
                    position.version,
                    position.updated_at.isoformat(),
                    position.person_id,
                    position.workshop_id,
                    expected,
                ),
            )
        if cursor.rowcount != 1:
            position.version = expected
            raise StalePosition(f"position of {position.person_id} changed meanwhile")

    async def delete(self, person_id: str, workshop_id: str) -> None:
        await self._conn.execute(
            "DELETE FROM positions WHERE person_id = ? AND workshop_id = ?",
            (person_id, workshop_id),
        )

    async def of_workshop(self, workshop_id: str) -> list[Position]:
        cursor = await self._conn.execute(
            "SELECT data FROM positions WHERE workshop_id = ? ORDER BY person_id",
            (workshop_id,),
        )
        return [Position.model_validate_json(row["data"]) for row in await cursor.fetchall()]

    async def delete_all(self, person_id: str) -> int:
        cursor = await self._conn.execute("DELETE FROM positions WHERE person_id = ?", (person_id,))
        return cursor.rowcount
