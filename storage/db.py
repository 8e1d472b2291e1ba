"""Opening the SQLite database: pragmas, migrations, one writer and one reader connection.

All writes go through the single writer connection, one ``BEGIN IMMEDIATE`` transaction at
a time (an asyncio lock queues them), so concurrent tasks never meet ``database is
locked``. Reads use a second connection; WAL lets them run beside a write.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

# aiosqlite logs every statement with its parameters (people's answers, their ids) at
# DEBUG: never, whatever LOG_LEVEL says.
logging.getLogger("aiosqlite").setLevel(logging.INFO)

BUSY_TIMEOUT_MS = 10_000
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class StorageError(Exception):
    """Something is wrong with the database file itself."""


def migrations() -> list[tuple[int, str, str]]:
    """The numbered migrations shipped with the package: (number, name, sql)."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise StorageError(f"migrations must be numbered 001, 002, ... without gaps: {numbers}")
    return found


async def _connect(path: str, *, reader: bool = False) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
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

    def __init__(self, path: str, writer: aiosqlite.Connection, reader: aiosqlite.Connection):
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
            await self.writer.execute("BEGIN IMMEDIATE")
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
