"""The workshop's content as JSON, and back: every item (deleted ones too) and the audit
trail, so export -> import -> export gives the same document.

What leaves the bot is least privilege: no credentials (invite codes; an import makes
fresh ones), no Telegram ids or chat ids, nobody's conversation position or unfinished
draft. Anonymous items carry no author (storage keeps none). The full operational copy
is ``cjm-bot backup``."""

from __future__ import annotations

import json
from typing import Any

import aiosqlite
from pydantic import ValidationError

from flows.models import ITEM_TYPES, Invite, Workshop

FORMAT = "cjm-workshop"
FORMAT_VERSION = 2  # 1 also held positions and people; they are not read any more
READABLE = (1, 2)
# per kind, the fields that identify a Telegram account or open the workshop
_PRIVATE: dict[str, dict[str, Any]] = {
    "workshop": {"created_by": "", "group_chat_id": None},
    "member": {"person_id": None},
    "invite": {"code": None},
}


def _public(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    if kind == "map_version" and isinstance(data.get("snapshot"), dict):
        snapshot = data["snapshot"]
        return {**data, "snapshot": {**snapshot, **_public_map(snapshot)}}
    hidden = _PRIVATE.get(kind)
    return {**data, **{k: v for k, v in hidden.items() if k in data}} if hidden else data


def _public_map(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A version's frozen map (a ``JourneyMap``) without what identifies an account."""
    out: dict[str, Any] = {}
    if isinstance(snapshot.get("workshop"), dict):
        out["workshop"] = _public("workshop", snapshot["workshop"])
    if isinstance(snapshot.get("members"), list):
        out["members"] = [_public("member", m) for m in snapshot["members"]]
    return out


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
        items.setdefault(item["kind"], []).append(_public(item["kind"], json.loads(item["data"])))
    audit = [
        {k: a[k] for k in ("item_id", "kind", "action", "actor", "at")}
        | {"data": _public(a["kind"], json.loads(a["data"]))}
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
        "workshop": _public("workshop", json.loads(row["data"])),
        "items": items,
        "audit": audit,
    }


def _restored(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    """An item as this database stores it: an invite exported without its code gets a
    fresh one (the old link does not open the copy)."""
    if kind == "invite" and not raw.get("code"):
        fresh = {k: v for k, v in raw.items() if k != "code"}
        return Invite.model_validate(fresh).model_dump(mode="json")
    return raw


def _check(data: Any) -> Workshop:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise WorkshopImportError('this is not a CJM workshop export (no "format": "cjm-workshop")')
    if data.get("format_version") not in READABLE:
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
                ITEM_TYPES[kind].model_validate(_restored(kind, raw))
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
            raw = _restored(kind, raw)
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
    await index_reviews(conn, workshop.id)
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


async def index_reviews(conn: aiosqlite.Connection, workshop_id: str) -> None:
    """The imported reviews' rows in ``review_due`` (as migration 002 fills it)."""
    await conn.execute(
        "INSERT OR REPLACE INTO review_due "
        "(review_id, workshop_id, touchpoint_id, owner_id, status, due_at, sent_at, delivered) "
        "SELECT id, workshop_id, json_extract(data, '$.touchpoint_id'), "
        "json_extract(data, '$.owner_id'), "
        "CASE WHEN deleted_at IS NULL THEN json_extract(data, '$.status') ELSE 'deleted' END, "
        "(julianday(json_extract(data, '$.due_at')) - 2440587.5) * 86400.0, "
        "(julianday(json_extract(data, '$.sent_at')) - 2440587.5) * 86400.0, "
        "json_extract(data, '$.delivered_at') IS NOT NULL "
        "FROM items WHERE kind = 'review' AND workshop_id = ?",
        (workshop_id,),
    )
