"""PositionRepo on PostgreSQL: where each person is in each conversation."""

from __future__ import annotations

import asyncpg

from flows.models import Position, utcnow
from storage.positions import StalePosition, dump, load
from storage.postgres.db import rowcount


class PgPositionRepo:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def get(self, person_id: str, workshop_id: str) -> Position | None:
        data = await self._conn.fetchval(
            "SELECT data FROM positions WHERE person_id = $1 AND workshop_id = $2",
            person_id,
            workshop_id,
        )
        return load(data) if data is not None else None

    async def save(self, position: Position) -> None:
        """Insert or update; refuses an update based on an outdated version."""
        expected = position.version
        position.version = expected + 1
        position.updated_at = utcnow()
        if expected == 0:
            sql = (
                "INSERT INTO positions (data, version, updated_at, person_id, workshop_id) "
                "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"
            )
            args: tuple[object, ...] = ()
        else:
            sql = (
                "UPDATE positions SET data = $1, version = $2, updated_at = $3 "
                "WHERE person_id = $4 AND workshop_id = $5 AND version = $6"
            )
            args = (expected,)
        status = await self._conn.execute(
            sql,
            dump(position),
            position.version,
            position.updated_at,
            position.person_id,
            position.workshop_id,
            *args,
        )
        if rowcount(status) != 1:
            position.version = expected
            raise StalePosition(f"position of {position.person_id} changed meanwhile")

    async def delete(self, person_id: str, workshop_id: str) -> None:
        await self._conn.execute(
            "DELETE FROM positions WHERE person_id = $1 AND workshop_id = $2",
            person_id,
            workshop_id,
        )

    async def of_workshop(self, workshop_id: str) -> list[Position]:
        rows = await self._conn.fetch(
            'SELECT data FROM positions WHERE workshop_id = $1 ORDER BY person_id COLLATE "C"',
            workshop_id,
        )
        return [load(row["data"]) for row in rows]

    async def delete_all(self, person_id: str) -> int:
        status = await self._conn.execute("DELETE FROM positions WHERE person_id = $1", person_id)
        return rowcount(status)
