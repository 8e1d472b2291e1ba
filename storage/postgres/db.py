"""Opening the PostgreSQL database: a connection pool, migrations, write transactions.

Writes keep SQLite's guarantee: one write transaction at a time against the database,
whichever instance runs it. A write takes the database-wide write lock (a
transaction-level advisory lock, released by COMMIT or ROLLBACK) as SQLite's
``BEGIN IMMEDIATE`` takes the file's; an asyncio lock queues this instance's writers first,
so they wait in line instead of each holding a pooled connection. A unit of work's reads
see its own writes and nobody else's meanwhile. Reads outside a write take any pooled
connection and see what was committed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import asyncpg

from storage.db import StorageError, migrations

log = logging.getLogger(__name__)

MIGRATIONS = "storage.migrations.postgres"
# advisory lock keys (any two bigints that nothing else of this database uses)
WRITE_LOCK = 0x636A6D01  # "cjm" 1: the one writer at a time
MIGRATION_LOCK = 0x636A6D02  # "cjm" 2: one instance migrates, the others wait


# an escaped U+0000 (not an escaped backslash before "u0000"): jsonb cannot hold it
_NUL = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000")


def jsonb_text(document: str) -> str:
    """A JSON document as jsonb takes it: U+0000, which jsonb refuses (and SQLite keeps),
    becomes U+FFFD, the replacement character."""
    return _NUL.sub(r"\1\\ufffd", document) if "\\u0000" in document else document


async def _init(conn: asyncpg.Connection) -> None:
    """Every pooled connection: documents go in and come out as JSON text."""
    await conn.set_type_codec(
        "jsonb", schema="pg_catalog", encoder=jsonb_text, decoder=str, format="text"
    )


_BEGIN_WRITE = f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"


async def _keep(conn: asyncpg.Connection) -> None:
    """A connection goes back to the pool as it is: nothing here leaves session state (no
    session locks, cursors, LISTEN or SET), so asyncpg's reset query would be a wasted
    round trip after every unit of work."""


def rowcount(status: str) -> int:
    """How many rows a statement touched, from its status ("UPDATE 3", "INSERT 0 1")."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PgDatabase:
    """The pool and the write lock. Open with :meth:`open`."""

    def __init__(self, url: str, pool: asyncpg.Pool) -> None:
        self.url = url
        self.pool = pool
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, url: str, *, max_size: int = 10) -> PgDatabase:
        try:
            pool = await asyncpg.create_pool(
                url, min_size=1, max_size=max_size, init=_init, reset=_keep
            )
        except (OSError, asyncpg.PostgresError) as exc:
            raise StorageError(f"cannot connect to PostgreSQL: {exc}") from exc
        try:
            async with pool.acquire() as conn:
                await apply_migrations(conn)
        except BaseException:
            await pool.close()
            raise
        return cls(url, pool)

    async def close(self) -> None:
        async with self._write_lock:
            await self.pool.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """One write transaction; commits when the block ends, rolls back on an error.
        ``BEGIN`` and the write lock go in one round trip."""
        async with self._write_lock, self.pool.acquire() as conn:
            await conn.execute(_BEGIN_WRITE)
            try:
                yield conn
            except BaseException:
                try:
                    await conn.execute("ROLLBACK")
                except BaseException:
                    conn.terminate()  # the pool replaces it; never reused mid-transaction
                    raise
                raise
            await conn.execute("COMMIT")

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[asyncpg.Connection]:
        async with self.pool.acquire() as conn:
            yield conn

    async def schema_version(self) -> int:
        async with self.reading() as conn:
            return await _version(conn)

    async def integrity_check(self) -> str:
        """PostgreSQL checks its own pages; what can be asked is whether it answers."""
        async with self.reading() as conn:
            return "ok" if await conn.fetchval("SELECT 1") == 1 else "no answer"


async def dump(url: str, target: Path) -> None:
    """``pg_dump --format=custom`` of the database at ``url`` into ``target``."""
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
        host = parts.netloc.rpartition("@")[2]
        user = quote(unquote(parts.username or ""), safe="")
        url = urlunsplit(parts._replace(netloc=f"{user}@{host}" if user else host))
    target.parent.mkdir(parents=True, exist_ok=True)
    done = await asyncio.create_subprocess_exec(
        shutil.which("pg_dump") or "pg_dump",
        "--format=custom",
        f"--file={target}",
        f"--dbname={url}",
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await done.communicate()
    if done.returncode != 0:
        raise StorageError(f"pg_dump failed: {err.decode(errors='replace').strip()}")


async def _version(conn: Any) -> int:
    await conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")
    value = await conn.fetchval("SELECT max(version) FROM schema_version")
    return int(value or 0)


async def apply_migrations(conn: asyncpg.Connection) -> int:
    """Apply every migration newer than the database's version, each in its own transaction
    under the migration lock (instances starting together migrate once); return the new
    version."""
    known = migrations(MIGRATIONS)
    current = 0
    for number, name, sql in [(0, "", ""), *known]:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            current = await _version(conn)
            if current > len(known):
                raise StorageError(
                    f"the database is at schema version {current}, newer than this program "
                    f"knows ({len(known)}); upgrade the program"
                )
            if number <= current:
                continue
            try:
                await conn.execute(sql)
            except asyncpg.PostgresError as exc:
                raise StorageError(f"migration {name} failed: {exc}") from exc
            await conn.execute("DELETE FROM schema_version")
            await conn.execute("INSERT INTO schema_version (version) VALUES ($1)", number)
            log.info("applied migration %s", name)
            current = number
    return current
