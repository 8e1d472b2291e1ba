"""A workshop's content as JSON and back, on PostgreSQL. The document and its checks are
storage/transfer.py's (what leaves, what is refused); only the SQL is here."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import asyncpg

from flows.models import ITEM_TYPES
from storage.transfer import FORMAT, FORMAT_VERSION, WorkshopImportError, _check, _public, _restored


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


async def export_workshop(conn: asyncpg.Connection, workshop_id: str) -> dict[str, Any]:
    data = await conn.fetchval("SELECT data FROM workshops WHERE id = $1", workshop_id)
    if data is None:
        raise KeyError(f"no workshop with id {workshop_id}")
    items: dict[str, list[Any]] = {kind: [] for kind in ITEM_TYPES}
    for row in await conn.fetch(
        "SELECT kind, data FROM items WHERE workshop_id = $1 ORDER BY seq", workshop_id
    ):
        items.setdefault(row["kind"], []).append(_public(row["kind"], json.loads(row["data"])))
    audit = [
        {k: a[k] for k in ("item_id", "kind", "action", "actor")}
        | {"at": a["at"].isoformat(), "data": _public(a["kind"], json.loads(a["data"]))}
        for a in await conn.fetch(
            "SELECT item_id, kind, action, data, actor, at FROM audit "
            "WHERE workshop_id = $1 ORDER BY seq",
            workshop_id,
        )
    ]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "workshop": _public("workshop", json.loads(data)),
        "items": items,
        "audit": audit,
    }


async def import_workshop(
    conn: asyncpg.Connection, data: dict[str, Any], *, replace: bool = False
) -> str:
    """Write an export into the database (inside the caller's transaction)."""
    workshop = _check(data)
    exists = await conn.fetchval("SELECT 1 FROM workshops WHERE id = $1", workshop.id)
    if exists and not replace:
        raise WorkshopImportError(
            f"workshop {workshop.id} already exists here; import with replace"
        )
    if exists:
        for table in ("items", "positions", "audit"):
            await conn.execute(f"DELETE FROM {table} WHERE workshop_id = $1", workshop.id)
        await conn.execute("DELETE FROM workshops WHERE id = $1", workshop.id)
    ws = data["workshop"]
    await conn.execute(
        "INSERT INTO workshops (id, data, created_at, updated_at, deleted_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        workshop.id,
        json.dumps(ws),
        _when(ws["created_at"]),
        _when(ws["updated_at"]),
        _when(ws.get("deleted_at")),
    )
    restored = [
        (kind, _restored(kind, raw)) for kind, raws in data["items"].items() for raw in raws
    ]
    rows = [
        (raw["id"], workshop.id, kind, json.dumps(raw), *_stamps(raw)) for kind, raw in restored
    ]
    await conn.executemany(
        "INSERT INTO items (id, workshop_id, kind, data, created_at, updated_at, deleted_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        rows,
    )
    await index_reviews(conn, workshop.id)
    await conn.executemany(
        "INSERT INTO audit (workshop_id, item_id, kind, action, data, actor, at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [
            (
                workshop.id,
                entry["item_id"],
                entry["kind"],
                entry["action"],
                json.dumps(entry["data"]),
                entry["actor"],
                _when(entry["at"]),
            )
            for entry in data.get("audit", [])
        ],
    )
    return workshop.id


def _stamps(raw: dict[str, Any]) -> tuple[datetime | None, ...]:
    return _when(raw["created_at"]), _when(raw["updated_at"]), _when(raw.get("deleted_at"))


async def index_reviews(conn: asyncpg.Connection, workshop_id: str) -> None:
    """The imported reviews' rows in ``review_due`` (as migration 002 fills it)."""
    await conn.execute(
        "INSERT INTO review_due "
        "(review_id, workshop_id, touchpoint_id, owner_id, status, due_at, sent_at, delivered) "
        "SELECT id, workshop_id, data->>'touchpoint_id', data->>'owner_id', "
        "CASE WHEN deleted_at IS NULL THEN data->>'status' ELSE 'deleted' END, "
        "(data->>'due_at')::timestamptz, (data->>'sent_at')::timestamptz, "
        "data->>'delivered_at' IS NOT NULL "
        "FROM items WHERE kind = 'review' AND workshop_id = $1 "
        "ON CONFLICT (review_id) DO NOTHING",
        workshop_id,
    )
