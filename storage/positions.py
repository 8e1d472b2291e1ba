"""PositionRepo: where each person is in each conversation.

The stored form keeps each loop's id list once. A position's cursor holds the ids of the
loop it is in (``"ids"``: every stage, or every touchpoint of a department — thousands of
characters), and each of its up to 30 back-history entries holds the cursor it had; so
in the stored JSON each distinct list is written once, in ``"_lists"``, and every cursor
names it by its index there (``"ids": 0``). A position stored before that (lists in
every cursor, no ``"_lists"``) reads as it did; it is stored compact when next saved.
The same goes for a large draft value (a stage's touchpoint names, kept through the stage):
each back step holds a copy of the draft, so a value of several entries that repeats is
written once, in ``"_values"``, and each draft names it (``{"_stored_value": 0}``).
Both stores write and read this form (storage/postgres/positions.py)."""

from __future__ import annotations

import copy
from typing import Any

import aiosqlite
from pydantic import Field

from flows.models import Position, utcnow

LISTS = "_lists"
VALUES = "_values"
REF = "_stored_value"
SHARED_FROM = 4  # a dict or list of this many entries is written once (smaller: inline)


class _Stored(Position):
    """The stored form: a position whose cursors name their id lists by index in ``lists``."""

    lists: list[str] = Field(default_factory=list, alias=LISTS)
    values: list[Any] = Field(default_factory=list, alias=VALUES)


def _compact(cursor: Any, lists: dict[str, int]) -> Any:
    ids = cursor.get("ids") if isinstance(cursor, dict) else None
    if not isinstance(ids, str) or not ids:
        return cursor
    return {**cursor, "ids": lists.setdefault(ids, len(lists))}


def _shared(draft: Any, values: list[Any]) -> Any:
    """``draft`` with each large value named by its index in ``values`` (added once)."""
    if not isinstance(draft, dict):
        return draft
    out = {}
    for key, value in draft.items():
        if isinstance(value, dict | list) and len(value) >= SHARED_FROM:
            found = next((i for i, known in enumerate(values) if known == value), None)
            if found is None:
                found = len(values)
                values.append(value)
            value = {REF: found}
        out[key] = value
    return out


def _entry(entry: Any, lists: dict[str, int], values: list[Any]) -> Any:
    if not isinstance(entry, dict):
        return entry
    entry = {**entry, "draft": _shared(entry["draft"], values)} if "draft" in entry else entry
    return {**entry, "cursor": _compact(entry["cursor"], lists)} if "cursor" in entry else entry


def dump(position: Position) -> str:
    """The position as stored: its JSON with each loop's id list, and each large draft
    value of its back steps, written once."""
    lists: dict[str, int] = {}
    values: list[Any] = []
    cursor = _compact(position.cursor, lists)
    history = [_entry(entry, lists, values) for entry in position.history]
    if not lists and not values:
        return position.model_dump_json()
    fields = {
        **dict(position),
        "cursor": cursor,
        "history": history,
        "lists": list(lists),
        "values": values,
    }
    return _Stored.model_construct(**fields).model_dump_json(by_alias=True)


def _restore(draft: Any, values: list[Any]) -> None:
    """Each back step gets its own copy of a shared value (drafts are changed in place)."""
    if not isinstance(draft, dict):
        return
    for key, value in draft.items():
        if isinstance(value, dict) and len(value) == 1 and REF in value:
            ref = value[REF]
            if isinstance(ref, int) and not isinstance(ref, bool) and 0 <= ref < len(values):
                draft[key] = copy.deepcopy(values[ref])


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
    for entry in fields["history"]:
        _restore(entry.get("draft") if isinstance(entry, dict) else None, stored.values)
    return Position.model_construct(stored.model_fields_set - {"lists", "values"}, **fields)


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
