"""The whole workshop as JSON, and back: items (deleted ones too), positions, people and
the audit trail, so export -> import -> export gives the same document."""

from __future__ import annotations

import json
from typing import Any

import aiosqlite
from pydantic import ValidationError

from flows.models import ITEM_TYPES, Person, Position, Workshop

FORMAT = "cjm-workshop"
FORMAT_VERSION = 1


class WorkshopImportError(ValueError):
    """The file is not a workshop export this program can read; the message says why."""


async def export_workshop(conn: aiosqlite.Connection, workshop_id: str) -> dict[str, Any]:
    row = await (
        await conn.execute("SELECT data FROM workshops WHERE id = ?", (workshop_id,))
    ).fetchone()
    if row is None:
        raise KeyError(f"no workshop with id {workshop_id}")
    items: dict[str, list[Any]] = {kind: [] for kind in ITEM_TYPES}
    cursor = await conn.execute(
        "SELECT kind, data FROM items WHERE workshop_id = ? ORDER BY seq", (workshop_id,)
    )
    for item in await cursor.fetchall():
        items.setdefault(item["kind"], []).append(json.loads(item["data"]))
    positions = [
        json.loads(p["data"])
        for p in await (
            await conn.execute(
                "SELECT data FROM positions WHERE workshop_id = ? ORDER BY person_id",
                (workshop_id,),
            )
        ).fetchall()
    ]
    person_ids = sorted(
        {m["person_id"] for m in items["member"] if m.get("person_id")}
        | {p["person_id"] for p in positions}
    )
    people = []
    for pid in person_ids:
        prow = await (await conn.execute("SELECT data FROM people WHERE id = ?", (pid,))).fetchone()
        if prow:
            people.append(json.loads(prow["data"]))
    audit = [
        {k: a[k] for k in ("item_id", "kind", "action", "actor", "at")}
        | {"data": json.loads(a["data"])}
        for a in await (
            await conn.execute(
                "SELECT item_id, kind, action, data, actor, at FROM audit "
                "WHERE workshop_id = ? ORDER BY seq",
                (workshop_id,),
            )
        ).fetchall()
    ]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "workshop": json.loads(row["data"]),
        "items": items,
        "positions": positions,
        "people": people,
        "audit": audit,
    }


def _check(data: Any) -> Workshop:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise WorkshopImportError('this is not a CJM workshop export (no "format": "cjm-workshop")')
    if data.get("format_version") != FORMAT_VERSION:
        raise WorkshopImportError(
            f"export format version {data.get('format_version')!r} is not supported "
            f"(this program reads version {FORMAT_VERSION})"
        )
    try:
        workshop = Workshop.model_validate(data["workshop"])
        for kind, rows in data.get("items", {}).items():
            if kind not in ITEM_TYPES:
                raise WorkshopImportError(f"unknown item kind {kind!r}")
            for raw in rows:
                ITEM_TYPES[kind].model_validate(raw)
        for raw in data.get("positions", []):
            Position.model_validate(raw)
        for raw in data.get("people", []):
            Person.model_validate(raw)
    except (ValidationError, KeyError, TypeError, AttributeError) as exc:
        raise WorkshopImportError(f"the export is damaged: {exc}") from exc
    return workshop


async def import_workshop(
    conn: aiosqlite.Connection, data: dict[str, Any], *, replace: bool = False
) -> str:
    """Write an export into the database (inside the caller's transaction)."""
    workshop = _check(data)
    exists = await (
        await conn.execute("SELECT 1 FROM workshops WHERE id = ?", (workshop.id,))
    ).fetchone()
    if exists and not replace:
        raise WorkshopImportError(
            f"workshop {workshop.id} already exists here; import with replace"
        )
    if exists:
        for table in ("items", "positions", "audit"):
            await conn.execute(f"DELETE FROM {table} WHERE workshop_id = ?", (workshop.id,))
        await conn.execute("DELETE FROM workshops WHERE id = ?", (workshop.id,))
    ws = data["workshop"]
    await conn.execute(
        "INSERT INTO workshops (id, data, created_at, updated_at, deleted_at) VALUES (?,?,?,?,?)",
        (workshop.id, json.dumps(ws), ws["created_at"], ws["updated_at"], ws.get("deleted_at")),
    )
    for kind, rows in data["items"].items():
        for raw in rows:
            await conn.execute(
                "INSERT INTO items (id, workshop_id, kind, data, created_at, updated_at, "
                "deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    raw["id"],
                    workshop.id,
                    kind,
                    json.dumps(raw),
                    raw["created_at"],
                    raw["updated_at"],
                    raw.get("deleted_at"),
                ),
            )
    for raw in data.get("positions", []):
        await conn.execute(
            "INSERT INTO positions (person_id, workshop_id, data, version, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (raw["person_id"], workshop.id, json.dumps(raw), raw["version"], raw["updated_at"]),
        )
    for raw in data.get("people", []):
        await conn.execute(
            "INSERT OR IGNORE INTO people (id, data, updated_at) VALUES (?, ?, ?)",
            (raw["id"], json.dumps(raw), raw["updated_at"]),
        )
    for entry in data.get("audit", []):
        await conn.execute(
            "INSERT INTO audit (workshop_id, item_id, kind, action, data, actor, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                workshop.id,
                entry["item_id"],
                entry["kind"],
                entry["action"],
                json.dumps(entry["data"]),
                entry["actor"],
                entry["at"],
            ),
        )
    return workshop.id
