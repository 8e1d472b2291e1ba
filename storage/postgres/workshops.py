"""WorkshopRepo on PostgreSQL: the root of each workshop."""

from __future__ import annotations

import asyncpg

from flows.models import Workshop, utcnow
from storage.postgres.db import rowcount


class PgWorkshopRepo:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add(self, workshop: Workshop) -> None:
        data = workshop.model_dump_json()
        await self._conn.execute(
            "INSERT INTO workshops (id, data, created_at, updated_at) VALUES ($1, $2, $3, $4)",
            workshop.id,
            data,
            workshop.created_at,
            workshop.updated_at,
        )
        await self._audit(workshop.id, "create", data, None)

    async def update(self, workshop: Workshop, actor: str | None = None) -> None:
        workshop.updated_at = utcnow()
        data = workshop.model_dump_json()
        status = await self._conn.execute(
            "UPDATE workshops SET data = $1, updated_at = $2, deleted_at = $3 WHERE id = $4",
            data,
            workshop.updated_at,
            workshop.deleted_at,
            workshop.id,
        )
        if rowcount(status) != 1:
            raise KeyError(f"no workshop with id {workshop.id}")
        await self._audit(workshop.id, "update", data, actor)

    async def _audit(self, workshop_id: str, action: str, data: str, actor: str | None) -> None:
        await self._conn.execute(
            "INSERT INTO audit (workshop_id, item_id, kind, action, data, actor, at) "
            "VALUES ($1, $1, 'workshop', $2, $3, $4, $5)",
            workshop_id,
            action,
            data,
            actor,
            utcnow(),
        )

    async def get(self, workshop_id: str) -> Workshop | None:
        data = await self._conn.fetchval(
            "SELECT data FROM workshops WHERE id = $1 AND deleted_at IS NULL", workshop_id
        )
        return Workshop.model_validate_json(data) if data is not None else None

    async def list_all(self) -> list[Workshop]:
        rows = await self._conn.fetch(
            "SELECT data FROM workshops WHERE deleted_at IS NULL "
            'ORDER BY created_at, id COLLATE "C"'
        )
        return [Workshop.model_validate_json(row["data"]) for row in rows]
