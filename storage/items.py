"""ItemRepo: every item of a workshop, as a JSON document with soft delete and audit."""

from __future__ import annotations

import asyncio
import builtins
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import aiosqlite

from flows.models import ITEM_TYPES, Invite, Item, Member, Review, ReviewStatus, utcnow
from storage.db import Connection

T = TypeVar("T", bound=Item)

_COLUMNS = "id, workshop_id, kind, data, created_at, updated_at, deleted_at"
_OPEN = (ReviewStatus.SCHEDULED.value, ReviewStatus.SENT.value)
_PUBLISHED = "json_extract(w.data, '$.status') = 'published'"
_PARSE_SLICE = 500  # rows parsed between two turns of the event loop
# a review's "handed to Telegram" mark outlives writes of its document while the same
# pass's claim stands; released or claimed again, it starts unmarked
_KEEP_HANDED = (
    "CASE WHEN excluded.status = 'sent' AND excluded.claim = review_due.claim "
    "THEN review_due.handed ELSE 0 END"
)


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    item_id: str
    kind: str
    action: str
    data: dict[str, Any]
    actor: str | None
    at: datetime

    @classmethod
    def of(cls, row: Any, at: datetime) -> AuditRecord:
        """An audit row (seq, item_id, kind, action, data as JSON text, actor)."""
        return cls(
            seq=row["seq"],
            item_id=row["item_id"],
            kind=row["kind"],
            action=row["action"],
            data=json.loads(row["data"]),
            actor=row["actor"],
            at=at,
        )


def _is_anonymous(item: Item) -> bool:
    return getattr(item, "anonymous", False) is True


def _hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def _stamps(item: Item) -> tuple[str, str]:
    return item.created_at.isoformat(), item.updated_at.isoformat()


def _anonymise(item: Item, actor: str | None) -> str | None:
    """An anonymous item keeps no link to its author anywhere: no author id, the actor of
    its audit is its department, and its times are only to the hour (so they cannot be
    matched with the author's other answers of that minute)."""
    if not _is_anonymous(item):
        return actor
    item.author_id = None
    item.created_at, item.updated_at = _hour(item.created_at), _hour(item.updated_at)
    return f"anonymous:{item.department_id or ''}"


def field_of(cls: type[Item], name: str) -> str:
    """``name`` when it is a field of ``cls`` (it goes into the SQL as it is)."""
    if name not in cls.model_fields:
        raise ValueError(f"{cls.__name__} has no field {name!r}")
    return name


def item_from_row(row: aiosqlite.Row) -> Item:
    return ITEM_TYPES[row["kind"]].model_validate_json(row["data"])


class ItemWrites:
    """What writing an item means, whatever the database: anonymise it, write its row and
    its review index, and record the change in the audit trail (an item made anonymous
    later has its earlier history rewritten first). The SQL is the subclass's."""

    _writable: bool

    async def add(self, item: Item, actor: str | None = None) -> None:
        self._check_writable()
        actor = _anonymise(item, actor)
        data = item.model_dump_json()
        await self._insert(item, data)
        await self._index(item)
        await self._audit(item, "create", data, actor)

    async def update(self, item: Item, actor: str | None = None) -> None:
        self._check_writable()
        item.updated_at = utcnow()
        await self._write(item, "update", actor)

    async def delete(self, item: Item, actor: str | None = None) -> None:
        self._check_writable()
        item.deleted_at = item.updated_at = utcnow()
        await self._write(item, "delete", actor)

    async def _write(self, item: Item, action: str, actor: str | None) -> None:
        actor = _anonymise(item, actor)
        data = item.model_dump_json()
        if await self._update_row(item, data) != 1:
            raise KeyError(f"no {item.kind} with id {item.id}")
        await self._index(item)
        if _is_anonymous(item):  # made anonymous later: its earlier history forgets the author
            await self._forget_author(item, actor, _hour(utcnow()))
        await self._audit(item, action, data, actor)

    async def _audit(self, item: Item, action: str, data: str, actor: str | None) -> None:
        at = _hour(utcnow()) if _is_anonymous(item) else utcnow()
        await self._insert_audit(item, action, data, actor, at)

    def _check_writable(self) -> None:
        if not self._writable:
            raise RuntimeError("writes need store.write(), not store.read()")

    # the SQL of each database
    async def _insert(self, item: Item, data: str) -> None:
        raise NotImplementedError

    async def _update_row(self, item: Item, data: str) -> int:
        """Write the item's row; how many rows there were (1, or 0 for an unknown item)."""
        raise NotImplementedError

    async def _forget_author(self, item: Item, actor: str | None, at: datetime) -> None:
        """Every audit entry of the item: ``actor``, ``at``, no author, the item's times."""
        raise NotImplementedError

    async def _insert_audit(
        self, item: Item, action: str, data: str, actor: str | None, at: datetime
    ) -> None:
        raise NotImplementedError

    async def _index(self, item: Item) -> None:
        raise NotImplementedError


class SqliteItemRepo(ItemWrites):
    def __init__(self, conn: aiosqlite.Connection, writable: bool) -> None:
        self._conn = conn
        self._writable = writable

    # ------------------------------------------------------------------ writes
    async def _insert(self, item: Item, data: str) -> None:
        await self._conn.execute(
            f"INSERT INTO items ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                item.id,
                item.workshop_id,
                item.kind,
                data,
                item.created_at.isoformat(),
                item.updated_at.isoformat(),
                item.deleted_at.isoformat() if item.deleted_at else None,
            ),
        )

    async def _update_row(self, item: Item, data: str) -> int:
        cursor = await self._conn.execute(
            "UPDATE items SET data = ?, updated_at = ?, deleted_at = ? WHERE id = ? AND kind = ?",
            (
                data,
                item.updated_at.isoformat(),
                item.deleted_at.isoformat() if item.deleted_at else None,
                item.id,
                item.kind,
            ),
        )
        return cursor.rowcount

    async def _forget_author(self, item: Item, actor: str | None, at: datetime) -> None:
        await self._conn.execute(
            "UPDATE audit SET actor = ?, at = ?, "
            "data = json_set(data, '$.author_id', json('null'), "
            "'$.created_at', ?, '$.updated_at', ?) WHERE item_id = ?",
            (actor, at.isoformat(), *_stamps(item), item.id),
        )

    async def _insert_audit(
        self, item: Item, action: str, data: str, actor: str | None, at: datetime
    ) -> None:
        await self._conn.execute(
            "INSERT INTO audit (workshop_id, item_id, kind, action, data, actor, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (item.workshop_id, item.id, item.kind, action, data, actor, at.isoformat()),
        )

    async def _index(self, item: Item) -> None:
        """A review's row in ``review_due``, in step with its document."""
        if not isinstance(item, Review):
            return
        status = "deleted" if item.deleted_at is not None else item.status.value
        await self._conn.execute(
            "INSERT INTO review_due (review_id, workshop_id, touchpoint_id, owner_id, status, "
            "due_at, sent_at, delivered, claim) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (review_id) DO UPDATE SET workshop_id = excluded.workshop_id, "
            "touchpoint_id = excluded.touchpoint_id, owner_id = excluded.owner_id, "
            "status = excluded.status, due_at = excluded.due_at, sent_at = excluded.sent_at, "
            f"delivered = excluded.delivered, claim = excluded.claim, handed = {_KEEP_HANDED}",
            (
                item.id,
                item.workshop_id,
                item.touchpoint_id,
                item.owner_id,
                status,
                item.due_at.timestamp(),
                item.sent_at.timestamp() if item.sent_at else None,
                item.delivered_at is not None,
                item.claim,
            ),
        )

    # ----------------------------------------------------- fenced reminders
    async def hand_over(self, review_ids: Collection[str], claim: str) -> int:
        """Mark reviews handed to Telegram, only those still claimed by ``claim`` and not
        marked yet (one conditional UPDATE on the index); how many were marked."""
        self._check_writable()
        cursor = await self._conn.execute(
            "UPDATE review_due SET handed = 1 WHERE review_id IN "
            "(SELECT value FROM json_each(?)) AND claim = ? AND handed = 0",
            (json.dumps(list(review_ids)), claim),
        )
        return cursor.rowcount

    async def open_claims(self, keep: str | None = None) -> builtins.list[tuple[Review, bool]]:
        """Reviews claimed for sending and not settled as delivered, of every pass but
        ``keep``'s, each with whether it was handed to Telegram."""
        cursor = await self._conn.execute(
            "SELECT i.data, d.handed FROM review_due d JOIN items i ON i.id = d.review_id "
            "WHERE d.status = 'sent' AND d.delivered = 0 "
            "AND (:keep IS NULL OR d.claim IS NOT :keep) ORDER BY i.seq",
            {"keep": keep},
        )
        return [
            (Review.model_validate_json(row["data"]), bool(row["handed"]))
            for row in await cursor.fetchall()
        ]

    # ------------------------------------------------------------------- reads
    async def get(self, cls: type[T], item_id: str) -> T | None:
        cursor = await self._conn.execute(
            "SELECT kind, data FROM items WHERE id = ? AND kind = ?", (item_id, cls.kind)
        )
        row = await cursor.fetchone()
        return cls.model_validate_json(row["data"]) if row else None

    async def list(
        self, workshop_id: str, cls: type[T], *, include_deleted: bool = False
    ) -> builtins.list[T]:
        live = "" if include_deleted else " AND deleted_at IS NULL"
        cursor = await self._conn.execute(
            f"SELECT data FROM items WHERE workshop_id = ? AND kind = ?{live} ORDER BY seq",
            (workshop_id, cls.kind),
        )
        return [cls.model_validate_json(row["data"]) for row in await cursor.fetchall()]

    async def list_where(
        self, workshop_id: str, cls: type[T], field: str, value: str, *, limit: int = -1
    ) -> builtins.list[T]:
        """The live items of ``cls`` whose ``field`` is ``value``, in order (the first
        ``limit``): only those rows are parsed (a stage's touchpoints, not the workshop's)."""
        cursor = await self._conn.execute(
            "SELECT data FROM items WHERE workshop_id = ? AND kind = ? AND deleted_at IS NULL "
            f"AND json_extract(data, '$.{field_of(cls, field)}') = ? ORDER BY seq LIMIT ?",
            (workshop_id, cls.kind, value, limit),
        )
        return [cls.model_validate_json(row["data"]) for row in await cursor.fetchall()]

    async def all_of_workshop(
        self, workshop_id: str, *, include_deleted: bool = False
    ) -> builtins.list[Item]:
        live = "" if include_deleted else " AND deleted_at IS NULL"
        cursor = await self._conn.execute(
            f"SELECT kind, data FROM items WHERE workshop_id = ?{live} ORDER BY seq",
            (workshop_id,),
        )
        return [item_from_row(row) for row in await cursor.fetchall()]

    async def open_reviews(
        self, workshop_id: str, owner_id: str | None = None
    ) -> builtins.list[Review]:
        """The scheduled or sent reviews of a workshop (of one owner), oldest first."""
        mine = "" if owner_id is None else " AND d.owner_id = ?"
        params = (workshop_id, *_OPEN) if owner_id is None else (workshop_id, *_OPEN, owner_id)
        cursor = await self._conn.execute(
            "SELECT i.data FROM review_due d JOIN items i ON i.id = d.review_id "
            f"WHERE d.workshop_id = ? AND d.status IN (?, ?){mine} ORDER BY i.seq",
            params,
        )
        return [Review.model_validate_json(row["data"]) for row in await cursor.fetchall()]

    async def due_reviews(
        self,
        now: datetime,
        *,
        stuck_before: datetime | None = None,
        workshop_id: str | None = None,
        owners: int | None = None,
        except_owners: Collection[str] = (),
    ) -> builtins.list[Review]:
        """Reviews of published workshops to send now, in due order: scheduled ones due by
        ``now`` and (with ``stuck_before``) sent ones claimed before it but never
        delivered nor handed to Telegram. With ``owners``, only those of the first so many
        owners — all of each one's, so an owner's due reviews go in one message — leaving
        out ``except_owners``."""
        scope = "" if workshop_id is None else " AND d.workshop_id = :workshop"
        if except_owners:
            scope += " AND d.owner_id NOT IN (SELECT value FROM json_each(:skip))"
        params = {
            "now": now.timestamp(),
            "stuck": stuck_before.timestamp() if stuck_before else None,
            "workshop": workshop_id,
            "owners": -1 if owners is None else owners,
            "skip": json.dumps(sorted(except_owners)),
        }
        select = (
            "SELECT d.review_id, d.owner_id, d.due_at FROM review_due d "
            f"JOIN workshops w ON w.id = d.workshop_id WHERE {_PUBLISHED}{scope} AND "
        )
        found = select + "d.status = 'scheduled' AND d.due_at <= :now"
        if stuck_before is not None:  # each half reads its own partial index
            stuck = "d.status = 'sent' AND d.delivered = 0 AND d.handed = 0 AND d.sent_at < :stuck"
            found += f" UNION ALL {select}{stuck}"
        cursor = await self._conn.execute(
            f"WITH found AS ({found}), "
            "chosen AS (SELECT owner_id, MIN(due_at) AS first FROM found GROUP BY owner_id "
            "ORDER BY first, owner_id LIMIT :owners) "
            "SELECT i.data FROM found f JOIN chosen c ON c.owner_id = f.owner_id "
            "JOIN items i ON i.id = f.review_id ORDER BY c.first, c.owner_id, f.due_at, i.seq",
            params,
        )
        return [Review.model_validate_json(row["data"]) for row in await cursor.fetchall()]

    async def next_review_due(self) -> datetime | None:
        """When the earliest scheduled review of a published workshop falls due."""
        cursor = await self._conn.execute(
            "SELECT MIN(d.due_at) FROM review_due d JOIN workshops w ON w.id = d.workshop_id "
            f"WHERE d.status = 'scheduled' AND {_PUBLISHED}"
        )
        row = await cursor.fetchone()
        return None if row is None or row[0] is None else datetime.fromtimestamp(row[0], UTC)

    async def unscheduled_workshops(self) -> builtins.list[str]:
        """Published workshops whose schedule is not what their touchpoints say: an owned
        touchpoint without an open review for its owner, or an open review whose
        touchpoint is gone or has another owner."""
        owner = "json_extract(t.data, '$.owner_id')"
        cursor = await self._conn.execute(
            "SELECT w.id FROM workshops w JOIN items t ON t.workshop_id = w.id "
            f"AND t.kind = 'touchpoint' AND t.deleted_at IS NULL WHERE {_PUBLISHED} "
            f"AND {owner} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM review_due d "
            "WHERE d.touchpoint_id = t.id AND d.status IN (?, ?) "
            f"AND d.owner_id = {owner}) "
            "UNION SELECT d.workshop_id FROM review_due d "
            "JOIN workshops w ON w.id = d.workshop_id "
            f"WHERE d.status IN (?, ?) AND {_PUBLISHED} AND NOT EXISTS (SELECT 1 FROM items t "
            "WHERE t.id = d.touchpoint_id AND t.deleted_at IS NULL "
            f"AND {owner} = d.owner_id)",
            (*_OPEN, *_OPEN),
        )
        return [row[0] for row in await cursor.fetchall()]

    async def of_kinds(self, workshop_id: str, kinds: Collection[str]) -> builtins.list[Item]:
        """The live items of these kinds, in order. A large read (a whole map): the query
        runs on the connection's thread and the rows are parsed in slices, so the event
        loop is never held for long."""
        marks = ", ".join("?" for _ in kinds)
        rows = await self._read_large(
            f"SELECT kind, data FROM items WHERE workshop_id = ? AND kind IN ({marks}) "
            "AND deleted_at IS NULL ORDER BY seq",
            (workshop_id, *kinds),
        )
        items: builtins.list[Item] = []
        for start in range(0, len(rows), _PARSE_SLICE):
            items.extend(item_from_row(row) for row in rows[start : start + _PARSE_SLICE])
            await asyncio.sleep(0)
        return items

    async def rows_of_kinds(
        self, workshop_id: str, kinds: Collection[str]
    ) -> builtins.list[tuple[str, str]]:
        """(kind, stored JSON) of the live items of these kinds, in order, unparsed (read
        on the connection's thread)."""
        marks = ", ".join("?" for _ in kinds)
        rows = await self._read_large(
            f"SELECT kind, data FROM items WHERE workshop_id = ? AND kind IN ({marks}) "
            "AND deleted_at IS NULL ORDER BY seq",
            (workshop_id, *kinds),
        )
        return [(row["kind"], row["data"]) for row in rows]

    async def latest_number(self, workshop_id: str, kind: str) -> int:
        """The largest ``number`` among the live items of ``kind`` (a map version's), 0 if
        none; read on the connection's thread (versions hold whole snapshots)."""
        rows = await self._read_large(
            "SELECT MAX(json_extract(data, '$.number')) AS n FROM items "
            "WHERE workshop_id = ? AND kind = ? AND deleted_at IS NULL",
            (workshop_id, kind),
        )
        return int(rows[0]["n"] or 0) if rows else 0

    async def _read_large(self, sql: str, parameters: tuple[Any, ...]) -> builtins.list[Any]:
        if isinstance(self._conn, Connection):
            return await self._conn.read_in_thread(sql, parameters)
        cursor = await self._conn.execute(sql, parameters)
        return list(await cursor.fetchall())

    async def member_of(self, workshop_id: str, person_id: str) -> Member | None:
        cursor = await self._conn.execute(
            "SELECT data FROM items WHERE kind = 'member' AND workshop_id = ? "
            "AND json_extract(data, '$.person_id') = ? AND deleted_at IS NULL "
            "ORDER BY seq LIMIT 1",
            (workshop_id, person_id),
        )
        row = await cursor.fetchone()
        return Member.model_validate_json(row["data"]) if row else None

    async def memberships(
        self, person_id: str, *, include_deleted: bool = False
    ) -> builtins.list[Member]:
        live = "" if include_deleted else " AND deleted_at IS NULL"
        cursor = await self._conn.execute(
            "SELECT data FROM items WHERE kind = 'member' "
            f"AND json_extract(data, '$.person_id') = ?{live} ORDER BY seq",
            (person_id,),
        )
        return [Member.model_validate_json(row["data"]) for row in await cursor.fetchall()]

    async def find_invite(self, code: str) -> Invite | None:
        cursor = await self._conn.execute(
            "SELECT kind, data FROM items WHERE kind = 'invite' "
            "AND json_extract(data, '$.code') = ? AND deleted_at IS NULL",
            (code,),
        )
        row = await cursor.fetchone()
        found = item_from_row(row) if row else None
        return found if isinstance(found, Invite) else None

    async def history(self, item_id: str) -> builtins.list[AuditRecord]:
        cursor = await self._conn.execute(
            "SELECT seq, item_id, kind, action, data, actor, at FROM audit "
            "WHERE item_id = ? ORDER BY seq",
            (item_id,),
        )
        rows = await cursor.fetchall()
        return [AuditRecord.of(row, datetime.fromisoformat(row["at"])) for row in rows]

    # ------------------------------------------------------------- forgetting
    async def rewrite_history(
        self, item_id: str, change: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> int:
        self._check_writable()
        cursor = await self._conn.execute(
            "SELECT seq, data FROM audit WHERE item_id = ? ORDER BY seq", (item_id,)
        )
        changed = 0
        for row in await cursor.fetchall():
            before = json.loads(row["data"])
            after = change(before)
            if after != before:
                await self._conn.execute(
                    "UPDATE audit SET data = ? WHERE seq = ?", (json.dumps(after), row["seq"])
                )
                changed += 1
        return changed

    async def rename_actor(self, old: str, new: str | None, workshop_id: str | None = None) -> int:
        self._check_writable()
        where = "" if workshop_id is None else " AND workshop_id = ?"
        params = (new, old) if workshop_id is None else (new, old, workshop_id)
        cursor = await self._conn.execute(
            f"UPDATE audit SET actor = ? WHERE actor = ?{where}", params
        )
        return cursor.rowcount
