"""PgStore: the Store port on a PostgreSQL database, with units of work — the same as
storage/store.py's SqliteStore, on a pool instead of two connections."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncpg

from flows import ports
from storage.postgres.db import PgDatabase, dump
from storage.postgres.items import PgItemRepo
from storage.postgres.leader import Leadership
from storage.postgres.people import PgPersonRepo, PgUpdateLog
from storage.postgres.positions import PgPositionRepo
from storage.postgres.workshops import PgWorkshopRepo
from storage.store import UnitOfWork


class PgUnitOfWork(UnitOfWork):
    """On one pooled connection: in one write transaction, or reading what is committed."""

    def __init__(self, db: PgDatabase, *, writable: bool) -> None:
        super().__init__(writable=writable)
        self._db = db

    def _connection(self) -> AbstractAsyncContextManager[Any]:
        return self._db.transaction() if self._writable else self._db.reading()

    def _bind(self, conn: asyncpg.Connection) -> None:
        self.workshops = PgWorkshopRepo(conn)
        self.items = PgItemRepo(conn, self._writable)
        self.people = PgPersonRepo(conn)
        self.positions = PgPositionRepo(conn)
        self.updates = PgUpdateLog(conn)


class PgStore:
    def __init__(self, db: PgDatabase) -> None:
        self.db = db
        self.leadership = Leadership(db.url)

    @classmethod
    async def open(cls, url: str) -> PgStore:
        return cls(await PgDatabase.open(url))

    async def close(self) -> None:
        await self.leadership.close()
        await self.db.close()

    async def leads(self) -> bool:
        """Whether this instance runs the scheduler (storage/postgres/leader.py)."""
        return await self.leadership.check()

    def write(self) -> PgUnitOfWork:
        return PgUnitOfWork(self.db, writable=True)

    def read(self) -> PgUnitOfWork:
        return PgUnitOfWork(self.db, writable=False)

    async def export_workshop(self, workshop_id: str) -> dict[str, Any]:
        from storage.postgres.transfer import export_workshop

        async with self.db.reading() as conn:
            return await export_workshop(conn, workshop_id)

    async def import_workshop(self, data: dict[str, Any], *, replace: bool = False) -> str:
        from storage.postgres.transfer import import_workshop

        async with self.db.transaction() as conn:
            return await import_workshop(conn, data, replace=replace)

    async def backup(self, target: str | Path) -> None:
        """``pg_dump`` into ``target`` (its custom format: ``pg_restore`` reads it); a
        consistent snapshot while writes go on. The password goes by the environment, not
        the command line."""
        await dump(self.db.url, Path(target))


if TYPE_CHECKING:  # mypy proves the adapters satisfy the ports
    _store: type[ports.Store] = PgStore
    _unit_of_work: type[ports.UnitOfWork] = PgUnitOfWork
