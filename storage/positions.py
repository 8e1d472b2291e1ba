"""PositionRepo: where each person is in each conversation.

The stored form keeps each loop's id list once. A position's cursor holds the ids of the
loop it is in (``"ids"``: every stage, or every touchpoint of a department — thousands of
characters), and each of its up to 30 back-history entries holds the cursor it had; so
in the stored JSON each distinct list is written once, in ``"_lists"``, and every cursor
names it by its index there (``"ids": 0``). A position stored before that (lists in
every cursor, no ``"_lists"``) reads as it did; it is stored compact when next saved.
Both stores write and read this form (storage/postgres/positions.py)."""

from __future__ import annotations

from typing import Any

import aiosqlite
from pydantic import Field

from flows.models import Position, utcnow

LISTS = "_lists"


class _Stored(Position):
    """The stored form: a position whose cursors name their id lists by index in ``lists``."""

    lists: list[str] = Field(default_factory=list, alias=LISTS)


def _compact(cursor: Any, lists: dict[str, int]) -> Any:
    ids = cursor.get("ids") if isinstance(cursor, dict) else None
    if not isinstance(ids, str) or not ids:
        return cursor
    return {**cursor, "ids": lists.setdefault(ids, len(lists))}


def dump(position: Position) -> str:
    """The position as stored: its JSON with each loop's id list written once."""
    lists: dict[str, int] = {}
    cursor = _compact(position.cursor, lists)
    history = [
        {**entry, "cursor": _compact(entry["cursor"], lists)} if "cursor" in entry else entry
        for entry in position.history
    ]
    if not lists:
        return position.model_dump_json()
    fields = {**dict(position), "cursor": cursor, "history": history, "lists": list(lists)}
    return _Stored.model_construct(**fields).model_dump_json(by_alias=True)


def _expand(cursor: Any, lists: list[str]) -> None:
    ref = cursor.get("ids") if isinstance(cursor, dict) else None
    if isinstance(ref, int) and not isinstance(ref, bool) and 0 <= ref < len(lists):
        cursor["ids"] = lists[ref]


def load(raw: str | bytes) -> Position:
    """A stored position, in either form (each list once, or in every cursor)."""
    stored = _Stored.model_validate_json(raw)
    fields = {name: getattr(stored, name) for name in Position.model_fields}
    for cursor in [fields["cursor"], *(entry.get("cursor") for entry in fields["history"])]:
        _expand(cursor, stored.lists)
    return Position.model_construct(stored.model_fields_set - {"lists"}, **fields)


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
        return load(row["data"]) if row else None

    async def save(self, position: Position) -> None:
        """Insert or update; refuses an update based on an outdated version."""
        expected = position.version
        position.version = expected + 1
        position.updated_at = utcnow()
        data = dump(position)
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
        return [load(row["data"]) for row in await cursor.fetchall()]

    async def delete_all(self, person_id: str) -> int:
        cursor = await self._conn.execute("DELETE FROM positions WHERE person_id = ?", (person_id,))
        return cursor.rowcount
