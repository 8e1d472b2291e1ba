"""SqliteStore: the Store port on one SQLite file, with units of work."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager, AsyncExitStack, nullcontext
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import aiosqlite

from flows import ports
from storage.db import Database
from storage.items import SqliteItemRepo
from storage.people import SqlitePersonRepo, SqliteUpdateLog
from storage.positions import SqlitePositionRepo
from storage.workshops import SqliteWorkshopRepo


class UnitOfWork:
    """Repositories bound to one connection; a writing one is one transaction. Each is
    declared as its port, so mypy proves the repositories satisfy them. A store's unit of
    work says how it gets its connection (:meth:`_connection`) and binds its repositories
    to it (:meth:`_bind`)."""

    workshops: ports.WorkshopRepo
    items: ports.ItemRepo
    people: ports.PersonRepo
    positions: ports.PositionRepo
    updates: ports.UpdateLog

    def __init__(self, *, writable: bool) -> None:
        self._writable = writable
        self._stack: AsyncExitStack | None = None

    def _connection(self) -> AbstractAsyncContextManager[Any]:
        raise NotImplementedError

    def _bind(self, conn: Any) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        self._stack = AsyncExitStack()
        self._bind(await self._stack.enter_async_context(self._connection()))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stack is not None:
            stack, self._stack = self._stack, None
            await stack.__aexit__(exc_type, exc, tb)


class SqliteUnitOfWork(UnitOfWork):
    """On the writer connection in one ``BEGIN IMMEDIATE`` transaction, or the reader."""

    def __init__(self, db: Database, *, writable: bool) -> None:
        super().__init__(writable=writable)
        self._db = db

    def _connection(self) -> AbstractAsyncContextManager[Any]:
        return self._db.transaction() if self._writable else nullcontext(self._db.reader)

    def _bind(self, conn: aiosqlite.Connection) -> None:
        self.workshops = SqliteWorkshopRepo(conn)
        self.items = SqliteItemRepo(conn, self._writable)
        self.people = SqlitePersonRepo(conn)
        self.positions = SqlitePositionRepo(conn)
        self.updates = SqliteUpdateLog(conn)


class SqliteStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    async def open(cls, path: str | Path) -> SqliteStore:
        return cls(await Database.open(path))

    async def close(self) -> None:
        await self.db.close()

    async def leads(self) -> bool:
        """Whether this instance runs the scheduler: always — one instance per file
        (bot/instance_lock.py)."""
        return True

    def write(self) -> SqliteUnitOfWork:
        return SqliteUnitOfWork(self.db, writable=True)

    def read(self) -> SqliteUnitOfWork:
        return SqliteUnitOfWork(self.db, writable=False)

    async def export_workshop(self, workshop_id: str) -> dict[str, Any]:
        from storage.transfer import export_workshop

        return await export_workshop(self.db.reader, workshop_id)

    async def import_workshop(self, data: dict[str, Any], *, replace: bool = False) -> str:
        from storage.transfer import import_workshop

        async with self.db.transaction() as conn:
            return await import_workshop(conn, data, replace=replace)

    async def backup(self, target: str | Path) -> None:
        await self.db.backup(target)


if TYPE_CHECKING:  # mypy proves the adapters satisfy the ports
    _store: type[ports.Store] = SqliteStore
    _unit_of_work: type[ports.UnitOfWork] = SqliteUnitOfWork
