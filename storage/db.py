"""Opening the SQLite database: pragmas, migrations, one writer and one reader connection.

All writes go through the single writer connection, one ``BEGIN IMMEDIATE`` transaction at
a time (an asyncio lock queues them), so concurrent tasks never meet ``database is
locked``. Reads use a second connection; WAL lets them run beside a write.

Each connection has its own thread (aiosqlite) for what may wait: ``BEGIN`` (another
process may hold the write lock), ``COMMIT`` (the fsync of ``synchronous = FULL``),
pragmas (``integrity_check``), backups. Every other statement is short — a lookup or a
write into the WAL, microseconds — and runs in place, its rows read with it: a trip to the
thread and back costs more CPU than the statement itself (:class:`Connection`).
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite
from aiosqlite.context import contextmanager

# aiosqlite logs every statement with its parameters (people's answers, their ids) at
# DEBUG: never, whatever LOG_LEVEL says.
logging.getLogger("aiosqlite").setLevel(logging.INFO)

BUSY_TIMEOUT_MS = 10_000
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class StorageError(Exception):
    """Something is wrong with the database file itself."""


def migrations(package: str = "storage.migrations") -> list[tuple[int, str, str]]:
    """The numbered migrations shipped with the package: (number, name, sql). SQLite's are
    in ``storage.migrations``, PostgreSQL's (the same numbers) in its ``postgres`` folder."""
    found = []
    for entry in resources.files(package).iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise StorageError(f"migrations must be numbered 001, 002, ... without gaps: {numbers}")
    return found


class FetchedCursor(aiosqlite.Cursor):
    """The rows of a statement that were read with it: fetching takes no further trip."""

    def __init__(self, conn: aiosqlite.Connection, cursor: sqlite3.Cursor, rows: list[Any]):
        super().__init__(conn, cursor)
        self._rows = rows
        self._at = 0

    async def fetchone(self) -> Any:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        end = self._at + (size if size is not None else self._cursor.arraysize)
        rows, self._at = self._rows[self._at : end], min(end, len(self._rows))
        return rows

    async def fetchall(self) -> list[Any]:
        rows, self._at = self._rows[self._at :], len(self._rows)
        return rows

    async def close(self) -> None:
        self._rows, self._at = [], 0


class Connection(aiosqlite.Connection):
    """aiosqlite's connection, with short statements run in place.

    A statement runs on the event loop's thread unless it is one that may wait (see the
    module notes) or the connection's thread is still busy with something (a backup, a
    commit): then it goes to the thread, behind that work, and the connection is never
    used by two threads at once.
    """

    def __init__(self, connector: Any, iter_chunk_size: int) -> None:
        super().__init__(connector, iter_chunk_size)
        self._in_thread = 0  # calls queued to or running on the thread

    async def _execute(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        future = asyncio.get_running_loop().create_future()
        self._in_thread += 1
        future.add_done_callback(self._thread_done)
        self._tx.put_nowait((future, partial(fn, *args, **kwargs)))
        return await asyncio.shield(future)  # cancelled or not, counted until it ran

    def _thread_done(self, _: asyncio.Future[Any]) -> None:
        self._in_thread -= 1

    async def begin(self) -> None:
        """``BEGIN IMMEDIATE``: in place when the write lock is free (the writer's busy
        timeout is 0, so this never waits), else waiting for it on the thread."""
        if not self._in_thread and self._running and self._connection:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                    raise
        await self._execute(self._begin_waiting)

    def _begin_waiting(self) -> None:
        self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        finally:
            self._conn.execute("PRAGMA busy_timeout = 0")

    def _execute_fetched(self, sql: str, parameters: Any) -> FetchedCursor:
        cursor = self._conn.execute(sql, parameters)
        return FetchedCursor(self, cursor, cursor.fetchall())

    async def read_in_thread(self, sql: str, parameters: Iterable[Any]) -> list[Any]:
        """The rows of a read of many rows or large values (a whole map), on the
        connection's thread: the event loop runs meanwhile."""
        fetched: FetchedCursor = await self._execute(self._execute_fetched, sql, list(parameters))
        return await fetched.fetchall()

    @contextmanager
    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> aiosqlite.Cursor:
        parameters = [] if parameters is None else parameters
        if self._in_thread or _may_wait(sql):
            fetched: FetchedCursor = await self._execute(self._execute_fetched, sql, parameters)
            return fetched
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return self._execute_fetched(sql, parameters)


def _may_wait(sql: str) -> bool:
    return not sql.lstrip()[:8].upper().startswith(_IN_PLACE)


_IN_PLACE = ("SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH", "ROLLBACK")


async def _connect(path: str, *, reader: bool = False) -> Connection:
    def connector() -> sqlite3.Connection:
        return sqlite3.connect(
            path,
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,  # used in place and on its thread, never at once
        )

    conn = Connection(connector, iter_chunk_size=64)
    await conn
    conn.row_factory = aiosqlite.Row
    await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await conn.execute("PRAGMA foreign_keys = ON")
    await conn.execute("PRAGMA synchronous = FULL")
    # freed space is zeroed: an anonymous item's earlier traces do not linger in the file
    await conn.execute("PRAGMA secure_delete = ON")
    if reader:
        await conn.execute("PRAGMA query_only = ON")
    return conn


class Database:
    """The two connections and the write lock. Open with :meth:`open`."""

    def __init__(self, path: str, writer: Connection, reader: Connection):
        self.path = path
        self.writer = writer
        self.reader = reader
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        path = str(path)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        writer = await _connect(path)
        try:
            mode = await (await writer.execute("PRAGMA journal_mode = WAL")).fetchone()
            if mode is None or str(mode[0]).lower() != "wal":
                raise StorageError(f"cannot switch {path} to WAL journal mode")
            await apply_migrations(writer)
            await writer.execute("PRAGMA busy_timeout = 0")  # waiting is begin()'s to do
        except Exception:
            await writer.close()
            raise
        reader = await _connect(path, reader=True)
        return cls(path, writer, reader)

    async def close(self) -> None:
        async with self._write_lock:
            await self.reader.close()
            await self.writer.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction on the writer connection; commits when the block ends."""
        async with self._write_lock:
            await self.writer.begin()
            try:
                yield self.writer
            except BaseException:
                await self.writer.execute("ROLLBACK")
                raise
            else:
                await self.writer.execute("COMMIT")

    async def schema_version(self) -> int:
        row = await (await self.reader.execute("PRAGMA user_version")).fetchone()
        return int(row[0]) if row else 0

    async def integrity_check(self) -> str:
        row = await (await self.reader.execute("PRAGMA integrity_check")).fetchone()
        return str(row[0]) if row else "no answer"

    async def backup(self, target: str | Path) -> None:
        """An online backup through SQLite's backup API; writes may go on meanwhile.

        The copy is taken in one step under a read snapshot: stepping page by page would
        restart whenever the writer commits, and never finish under a steady stream.
        """
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.unlink()
        dest = await aiosqlite.connect(str(target))
        try:
            await self.reader.backup(dest, pages=0)
        finally:
            await dest.close()


async def apply_migrations(conn: aiosqlite.Connection) -> int:
    """Apply every migration newer than ``PRAGMA user_version``; return the new version."""
    row = await (await conn.execute("PRAGMA user_version")).fetchone()
    current = int(row[0]) if row else 0
    known = migrations()
    if current > len(known):
        raise StorageError(
            f"the database is at schema version {current}, newer than this program "
            f"knows ({len(known)}); upgrade the program"
        )
    for number, name, sql in known[current:]:
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(sql):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {number}")
        except Exception as exc:
            await conn.execute("ROLLBACK")
            raise StorageError(f"migration {name} failed: {exc}") from exc
        await conn.execute("COMMIT")
        current = number
    return current


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows the ends)."""
    import sqlite3

    out: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        out.append(buffer.strip())
    return out
