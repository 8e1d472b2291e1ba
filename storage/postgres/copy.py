"""Moving a SQLite database into PostgreSQL (``cjm-bot migrate --to postgresql://...``).

Everything is copied as it is stored — every workshop (deleted ones too), item, audit
record, person, position and processed update; nothing is filtered as an export is. Each
workshop is copied in one transaction that first removes what an earlier run copied of
it, so running the copy again leaves one copy, not two. Then each workshop is verified:
the counts and a content hash (of the documents, times and actors, read back from both
databases the same way) must be equal on both sides.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiosqlite
import asyncpg

from storage.db import Database
from storage.postgres.db import PgDatabase
from storage.postgres.transfer import index_reviews

# per table, the columns copied (the order both sides are read in, for the hash)
_WORKSHOP = ("id", "data", "created_at", "updated_at", "deleted_at")
_ITEM = ("id", "workshop_id", "kind", "data", "created_at", "updated_at", "deleted_at")
_AUDIT = ("workshop_id", "item_id", "kind", "action", "data", "actor", "at")
_POSITION = ("person_id", "workshop_id", "data", "version", "updated_at")
_TIMES = {"created_at", "updated_at", "deleted_at", "at"}
_JSON = {"data"}
_ORDER = {"items": "seq", "audit": "seq", "positions": "person_id", "workshops": "id"}


@dataclass(frozen=True)
class Copied:
    """One workshop as found on both sides after the copy."""

    workshop_id: str
    items: int
    audit: int
    positions: int
    digest: str  # the source's content hash
    verified: bool  # the target's counts and hash are the same


def _time(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _json_text(value: Any) -> str:
    return json.dumps(json.loads(value), sort_keys=True, ensure_ascii=False)


def _values(columns: tuple[str, ...], row: Any) -> tuple[Any, ...]:
    """A row as PostgreSQL takes it: times as datetimes, documents as JSON text."""
    out = []
    for column in columns:
        value = row[column]
        out.append(_time(value) if column in _TIMES else value)
    return tuple(out)


def _canonical(columns: tuple[str, ...], row: Any) -> list[Any]:
    """A row as the hash reads it, the same from either database."""
    out: list[Any] = []
    for column in columns:
        value = row[column]
        if column in _TIMES:
            at = _time(value)
            value = at.astimezone(UTC).isoformat() if at else None
        elif column in _JSON:
            value = _json_text(value)
        out.append(value)
    return out


async def _rows(conn: Any, table: str, columns: tuple[str, ...], workshop_id: str) -> list[Any]:
    key = "id" if table == "workshops" else "workshop_id"
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE {key} = "
    order = f" ORDER BY {_ORDER[table]}"
    if isinstance(conn, aiosqlite.Connection):
        cursor = await conn.execute(sql + "?" + order, (workshop_id,))
        return list(await cursor.fetchall())
    collate = ' COLLATE "C"' if table in ("positions", "workshops") else ""
    return list(await conn.fetch(sql + "$1" + order + collate, workshop_id))


_TABLES = (("workshops", _WORKSHOP), ("items", _ITEM), ("audit", _AUDIT), ("positions", _POSITION))


async def _content(conn: Any, workshop_id: str) -> tuple[dict[str, int], str]:
    """How many rows of each table a workshop has, and the hash of them all."""
    digest = hashlib.sha256()
    counts = {}
    for table, columns in _TABLES:
        rows = await _rows(conn, table, columns, workshop_id)
        counts[table] = len(rows)
        for row in rows:
            digest.update(json.dumps([table, *_canonical(columns, row)]).encode())
    return counts, digest.hexdigest()


async def _copy_workshop(
    source: aiosqlite.Connection, target: asyncpg.Connection, wid: str
) -> None:
    for table in ("audit", "positions", "items"):  # what an earlier run copied
        await target.execute(f"DELETE FROM {table} WHERE workshop_id = $1", wid)
    await target.execute("DELETE FROM workshops WHERE id = $1", wid)
    for table, columns in _TABLES:
        rows = await _rows(source, table, columns, wid)
        marks = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
        await target.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
            [_values(columns, row) for row in rows],
        )
    await index_reviews(target, wid)


async def _copy_shared(source: aiosqlite.Connection, target: asyncpg.Connection) -> None:
    """People, positions outside any workshop (a setup in progress) and processed updates:
    upserted, so a second run changes nothing."""
    people = await (await source.execute("SELECT id, data, updated_at FROM people")).fetchall()
    await target.executemany(
        "INSERT INTO people (id, data, updated_at) VALUES ($1, $2, $3) ON CONFLICT (id) "
        "DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
        [_values(("id", "data", "updated_at"), row) for row in people],
    )
    loose = await (
        await source.execute(
            f"SELECT {', '.join(_POSITION)} FROM positions "
            "WHERE workshop_id NOT IN (SELECT id FROM workshops)"
        )
    ).fetchall()
    await target.executemany(
        f"INSERT INTO positions ({', '.join(_POSITION)}) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (person_id, workshop_id) DO UPDATE SET data = excluded.data, "
        "version = excluded.version, updated_at = excluded.updated_at",
        [_values(_POSITION, row) for row in loose],
    )
    updates = await (await source.execute("SELECT key, at FROM processed_updates")).fetchall()
    await target.executemany(
        "INSERT INTO processed_updates (key, at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        [(row["key"], _time(row["at"])) for row in updates],
    )


async def copy_database(source: Database, target: PgDatabase) -> tuple[list[Copied], int]:
    """Copy ``source`` into ``target``; each workshop as found on both sides afterwards, and
    how many people the target has."""
    reader = source.reader
    ids = [row[0] for row in await (await reader.execute("SELECT id FROM workshops")).fetchall()]
    async with target.transaction() as conn:
        await _copy_shared(reader, conn)
    copied = []
    for wid in ids:
        async with target.transaction() as conn:
            await _copy_workshop(reader, conn, wid)
        counts, digest = await _content(reader, wid)
        async with target.reading() as conn:
            there = await _content(conn, wid)
        copied.append(
            Copied(
                wid,
                counts["items"],
                counts["audit"],
                counts["positions"],
                digest,
                verified=there == (counts, digest),
            )
        )
    async with target.reading() as conn:
        people = int(await conn.fetchval("SELECT count(*) FROM people"))
    return copied, people
