"""WorkshopRepo: the root of each workshop."""

from __future__ import annotations

import aiosqlite

from flows.models import Workshop, utcnow


class SqliteWorkshopRepo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def add(self, workshop: Workshop) -> None:
        await self._conn.execute(
            "INSERT INTO workshops (id, data, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (
                workshop.id,
                workshop.model_dump_json(),
                workshop.created_at.isoformat(),
                workshop.updated_at.isoformat(),
            ),
        )
        await self._audit(workshop, "create", None)

    async def update(self, workshop: Workshop, actor: str | None = None) -> None:
        workshop.updated_at = utcnow()
        cursor = await self._conn.execute(
            "UPDATE workshops SET data = ?, updated_at = ?, deleted_at = ? WHERE id = ?",
            (
                workshop.model_dump_json(),
                workshop.updated_at.isoformat(),
                workshop.deleted_at.isoformat() if workshop.deleted_at else None,
                workshop.id,
            ),
        )
        if cursor.rowcount != 1:
            raise KeyError(f"no workshop with id {workshop.id}")
        await self._audit(workshop, "update", actor)

    async def _audit(self, workshop: Workshop, action: str, actor: str | None) -> None:
        await self._conn.execute(
            "INSERT INTO audit (workshop_id, item_id, kind, action, data, actor, at) "
            "VALUES (?, ?, 'workshop', ?, ?, ?, ?)",
            (
                workshop.id,
                workshop.id,
                action,
                workshop.model_dump_json(),
                actor,
                utcnow().isoformat(),
            ),
        )

    async def get(self, workshop_id: str) -> Workshop | None:
        cursor = await self._conn.execute(
            "SELECT data FROM workshops WHERE id = ? AND deleted_at IS NULL", (workshop_id,)
        )
        row = await cursor.fetchone()
        return Workshop.model_validate_json(row["data"]) if row else None

    async def list_all(self) -> list[Workshop]:
        cursor = await self._conn.execute(
            "SELECT data FROM workshops WHERE deleted_at IS NULL ORDER BY created_at, id"
        )
        return [Workshop.model_validate_json(row["data"]) for row in await cursor.fetchall()]
