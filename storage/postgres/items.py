"""ItemRepo on PostgreSQL: every item of a workshop, as a ``jsonb`` document with soft delete
and audit. What is not SQL — what a write does (anonymising, the index, the audit
trail), the audit record — is shared with SQLite's (storage/items.py: ItemWrites)."""

from __future__ import annotations

import asyncio
import builtins
import json
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any, TypeVar

import asyncpg

from flows.models import ITEM_TYPES, Invite, Item, Member, Review
from storage.items import _OPEN, AuditRecord, ItemWrites, _stamps, field_of
from storage.postgres.db import rowcount

T = TypeVar("T", bound=Item)

_PUBLISHED = "w.data->>'status' = 'published'"


def _item(row: asyncpg.Record) -> Item:
    return ITEM_TYPES[row["kind"]].model_validate_json(row["data"])


_PARSE_SLICE = 500  # rows parsed between two turns of the event loop


class PgItemRepo(ItemWrites):
    def __init__(self, conn: asyncpg.Connection, writable: bool) -> None:
        self._conn = conn
        self._writable = writable

    # ------------------------------------------------------------------ writes
    async def _insert(self, item: Item, data: str) -> None:
        await self._conn.execute(
            "INSERT INTO items (id, workshop_id, kind, data, created_at, updated_at, deleted_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            item.id,
            item.workshop_id,
            item.kind,
            data,
            item.created_at,
            item.updated_at,
            item.deleted_at,
        )

    async def _update_row(self, item: Item, data: str) -> int:
        status = await self._conn.execute(
            "UPDATE items SET data = $1, updated_at = $2, deleted_at = $3 "
            "WHERE id = $4 AND kind = $5",
            data,
            item.updated_at,
            item.deleted_at,
            item.id,
            item.kind,
        )
        return rowcount(status)

    async def _forget_author(self, item: Item, actor: str | None, at: datetime) -> None:
        await self._conn.execute(
            "UPDATE audit SET actor = $1, at = $2, data = data || jsonb_build_object("
            "'author_id', null, 'created_at', $3::text, 'updated_at', $4::text) "
            "WHERE item_id = $5",
            actor,
            at,
            *_stamps(item),
            item.id,
        )

    async def _insert_audit(
        self, item: Item, action: str, data: str, actor: str | None, at: datetime
    ) -> None:
        await self._conn.execute(
            "INSERT INTO audit (workshop_id, item_id, kind, action, data, actor, at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            item.workshop_id,
            item.id,
            item.kind,
            action,
            data,
            actor,
            at,
        )

    async def _index(self, item: Item) -> None:
        """A review's row in ``review_due``, in step with its document."""
        if not isinstance(item, Review):
            return
        await self._conn.execute(
            "INSERT INTO review_due (review_id, workshop_id, touchpoint_id, owner_id, status, "
            "due_at, sent_at, delivered, claim) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
            "ON CONFLICT (review_id) DO UPDATE SET workshop_id = excluded.workshop_id, "
            "touchpoint_id = excluded.touchpoint_id, owner_id = excluded.owner_id, "
            "status = excluded.status, due_at = excluded.due_at, sent_at = excluded.sent_at, "
            "delivered = excluded.delivered, claim = excluded.claim, handed = CASE WHEN "
            "excluded.status = 'sent' AND excluded.claim = review_due.claim "
            "THEN review_due.handed ELSE false END",
            item.id,
            item.workshop_id,
            item.touchpoint_id,
            item.owner_id,
            "deleted" if item.deleted_at is not None else item.status.value,
            item.due_at,
            item.sent_at,
            item.delivered_at is not None,
            item.claim,
        )

    # ----------------------------------------------------- fenced reminders
    async def hand_over(self, review_ids: Collection[str], claim: str) -> int:
        """Mark reviews handed to Telegram, only those still claimed by ``claim`` and not
        marked yet (one conditional UPDATE on the index); how many were marked."""
        self._check_writable()
        status = await self._conn.execute(
            "UPDATE review_due SET handed = true WHERE review_id = ANY($1::text[]) "
            "AND claim = $2 AND NOT handed",
            list(review_ids),
            claim,
        )
        return rowcount(status)

    async def open_claims(self, keep: str | None = None) -> builtins.list[tuple[Review, bool]]:
        """Reviews claimed for sending and not settled as delivered, of every pass but
        ``keep``'s, each with whether it was handed to Telegram."""
        rows = await self._conn.fetch(
            "SELECT i.data, d.handed FROM review_due d JOIN items i ON i.id = d.review_id "
            "WHERE d.status = 'sent' AND NOT d.delivered "
            "AND ($1::text IS NULL OR d.claim IS DISTINCT FROM $1) "
            "ORDER BY i.seq",
            keep,
        )
        return [(Review.model_validate_json(row["data"]), bool(row["handed"])) for row in rows]

    # ------------------------------------------------------------------- reads
    async def get(self, cls: type[T], item_id: str) -> T | None:
        data = await self._conn.fetchval(
            "SELECT data FROM items WHERE id = $1 AND kind = $2", item_id, cls.kind
        )
        return cls.model_validate_json(data) if data is not None else None

    async def list(
        self, workshop_id: str, cls: type[T], *, include_deleted: bool = False
    ) -> builtins.list[T]:
        live = "" if include_deleted else " AND deleted_at IS NULL"
        rows = await self._conn.fetch(
            f"SELECT data FROM items WHERE workshop_id = $1 AND kind = $2{live} ORDER BY seq",
            workshop_id,
            cls.kind,
        )
        return [cls.model_validate_json(row["data"]) for row in rows]

    async def list_where(
        self, workshop_id: str, cls: type[T], field: str, value: str, *, limit: int = -1
    ) -> builtins.list[T]:
        """The live items of ``cls`` whose ``field`` is ``value``, in order (the first
        ``limit``)."""
        rows = await self._conn.fetch(
            "SELECT data FROM items WHERE workshop_id = $1 AND kind = $2 AND deleted_at IS NULL "
            f"AND data->>'{field_of(cls, field)}' = $3 ORDER BY seq LIMIT $4",
            workshop_id,
            cls.kind,
            value,
            limit if limit >= 0 else None,
        )
        return [cls.model_validate_json(row["data"]) for row in rows]

    async def all_of_workshop(
        self, workshop_id: str, *, include_deleted: bool = False
    ) -> builtins.list[Item]:
        live = "" if include_deleted else " AND deleted_at IS NULL"
        rows = await self._conn.fetch(
            f"SELECT kind, data FROM items WHERE workshop_id = $1{live} ORDER BY seq",
            workshop_id,
        )
        return [_item(row) for row in rows]

    async def of_kinds(self, workshop_id: str, kinds: Collection[str]) -> builtins.list[Item]:
        """The live items of these kinds, in order (asyncpg reads off the event loop; the
        rows are parsed in slices so the loop keeps turning on a whole map)."""
        rows = await self._conn.fetch(
            "SELECT kind, data FROM items WHERE workshop_id = $1 AND kind = ANY($2::text[]) "
            "AND deleted_at IS NULL ORDER BY seq",
            workshop_id,
            list(kinds),
        )
        items: builtins.list[Item] = []
        for start in range(0, len(rows), _PARSE_SLICE):
            items.extend(_item(row) for row in rows[start : start + _PARSE_SLICE])
            await asyncio.sleep(0)
        return items

    async def rows_of_kinds(
        self, workshop_id: str, kinds: Collection[str]
    ) -> builtins.list[tuple[str, str]]:
        """(kind, stored JSON) of the live items of these kinds, in order, unparsed."""
        rows = await self._conn.fetch(
            "SELECT kind, data FROM items WHERE workshop_id = $1 AND kind = ANY($2::text[]) "
            "AND deleted_at IS NULL ORDER BY seq",
            workshop_id,
            list(kinds),
        )
        return [(row["kind"], row["data"]) for row in rows]

    async def latest_number(self, workshop_id: str, kind: str) -> int:
        """The largest ``number`` among the live items of ``kind``; 0 if none."""
        found = await self._conn.fetchval(
            "SELECT MAX((data->>'number')::int) FROM items "
            "WHERE workshop_id = $1 AND kind = $2 AND deleted_at IS NULL",
            workshop_id,
            kind,
        )
        return int(found or 0)

    async def open_reviews(
        self, workshop_id: str, owner_id: str | None = None
    ) -> builtins.list[Review]:
        """The scheduled or sent reviews of a workshop (of one owner), oldest first."""
        rows = await self._conn.fetch(
            "SELECT i.data FROM review_due d JOIN items i ON i.id = d.review_id "
            "WHERE d.workshop_id = $1 AND d.status = ANY($2::text[]) "
            "AND ($3::text IS NULL OR d.owner_id = $3) ORDER BY i.seq",
            workshop_id,
            list(_OPEN),
            owner_id,
        )
        return [Review.model_validate_json(row["data"]) for row in rows]

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
        args: builtins.list[Any] = [now, workshop_id, owners, sorted(except_owners)]
        select = (
            "SELECT d.review_id, d.owner_id, d.due_at FROM review_due d "
            f"JOIN workshops w ON w.id = d.workshop_id WHERE {_PUBLISHED} "
            "AND ($2::text IS NULL OR d.workshop_id = $2) "
            "AND NOT (d.owner_id = ANY($4::text[])) AND "
        )
        found = select + "d.status = 'scheduled' AND d.due_at <= $1"
        if stuck_before is not None:  # each half reads its own partial index
            args.append(stuck_before)
            found += (
                f" UNION ALL {select}d.status = 'sent' AND NOT d.delivered AND NOT d.handed "
                "AND d.sent_at < $5"
            )
        rows = await self._conn.fetch(
            f"WITH found AS ({found}), "
            "chosen AS (SELECT owner_id, MIN(due_at) AS first FROM found GROUP BY owner_id "
            'ORDER BY first, owner_id COLLATE "C" LIMIT $3) '
            "SELECT i.data FROM found f JOIN chosen c ON c.owner_id = f.owner_id "
            "JOIN items i ON i.id = f.review_id "
            'ORDER BY c.first, c.owner_id COLLATE "C", f.due_at, i.seq',
            *args,
        )
        return [Review.model_validate_json(row["data"]) for row in rows]

    async def next_review_due(self) -> datetime | None:
        """When the earliest scheduled review of a published workshop falls due."""
        first: datetime | None = await self._conn.fetchval(
            "SELECT MIN(d.due_at) FROM review_due d JOIN workshops w ON w.id = d.workshop_id "
            f"WHERE d.status = 'scheduled' AND {_PUBLISHED}"
        )
        return first

    async def unscheduled_workshops(self) -> builtins.list[str]:
        """Published workshops whose schedule is not what their touchpoints say: an owned
        touchpoint without an open review for its owner, or an open review whose
        touchpoint is gone or has another owner."""
        owner = "t.data->>'owner_id'"
        rows = await self._conn.fetch(
            "SELECT w.id FROM workshops w JOIN items t ON t.workshop_id = w.id "
            f"AND t.kind = 'touchpoint' AND t.deleted_at IS NULL WHERE {_PUBLISHED} "
            f"AND {owner} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM review_due d "
            "WHERE d.touchpoint_id = t.id AND d.status = ANY($1::text[]) "
            f"AND d.owner_id = {owner}) "
            "UNION SELECT d.workshop_id FROM review_due d "
            "JOIN workshops w ON w.id = d.workshop_id "
            f"WHERE d.status = ANY($1::text[]) AND {_PUBLISHED} AND NOT EXISTS "
            "(SELECT 1 FROM items t WHERE t.id = d.touchpoint_id AND t.deleted_at IS NULL "
            f"AND {owner} = d.owner_id)",
            list(_OPEN),
        )
        return [row[0] for row in rows]

    async def member_of(self, workshop_id: str, person_id: str) -> Member | None:
        data = await self._conn.fetchval(
            "SELECT data FROM items WHERE kind = 'member' AND workshop_id = $1 "
            "AND data->>'person_id' = $2 AND deleted_at IS NULL ORDER BY seq LIMIT 1",
            workshop_id,
            person_id,
        )
        return Member.model_validate_json(data) if data is not None else None

    async def memberships(
        self, person_id: str, *, include_deleted: bool = False
    ) -> builtins.list[Member]:
        live = "" if include_deleted else " AND deleted_at IS NULL"
        rows = await self._conn.fetch(
            "SELECT data FROM items WHERE kind = 'member' "
            f"AND data->>'person_id' = $1{live} ORDER BY seq",
            person_id,
        )
        return [Member.model_validate_json(row["data"]) for row in rows]

    async def find_invite(self, code: str) -> Invite | None:
        row = await self._conn.fetchrow(
            "SELECT kind, data FROM items WHERE kind = 'invite' "
            "AND data->>'code' = $1 AND deleted_at IS NULL",
            code,
        )
        found = _item(row) if row else None
        return found if isinstance(found, Invite) else None

    async def history(self, item_id: str) -> builtins.list[AuditRecord]:
        rows = await self._conn.fetch(
            "SELECT seq, item_id, kind, action, data, actor, at FROM audit "
            "WHERE item_id = $1 ORDER BY seq",
            item_id,
        )
        return [AuditRecord.of(row, row["at"]) for row in rows]

    # ------------------------------------------------------------- forgetting
    async def rewrite_history(
        self, item_id: str, change: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> int:
        self._check_writable()
        rows = await self._conn.fetch(
            "SELECT seq, data FROM audit WHERE item_id = $1 ORDER BY seq", item_id
        )
        changed = 0
        for row in rows:
            before = json.loads(row["data"])
            after = change(before)
            if after != before:
                await self._conn.execute(
                    "UPDATE audit SET data = $1 WHERE seq = $2", json.dumps(after), row["seq"]
                )
                changed += 1
        return changed

    async def rename_actor(self, old: str, new: str | None, workshop_id: str | None = None) -> int:
        self._check_writable()
        status = await self._conn.execute(
            "UPDATE audit SET actor = $1 WHERE actor = $2 "
            "AND ($3::text IS NULL OR workshop_id = $3)",
            new,
            old,
            workshop_id,
        )
        return rowcount(status)
