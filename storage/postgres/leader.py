"""Which instance is the leader — the one that runs the scheduler — among several on one
PostgreSQL database: the one holding the session-level advisory lock :data:`LEADER_LOCK`
on a connection of its own.

When the leader dies its connection closes, the server frees the lock at once, and the
next instance to ask (they ask every few seconds) takes it. A leader whose connection
broke stops leading at its next check. Keepalives make the server notice a connection
that went silent (a machine gone, not just a process) within about 10 s. Two leaders for
a moment would still not send a reminder twice: claims are write transactions, one at a
time (storage/postgres/db.py), a claimed review is not due any more, and a message goes
only after its reviews were marked handed to Telegram under the claim of the pass that
sends it (bot/telegram/reminders.py) — a claim the new leader released is void.
"""

from __future__ import annotations

import asyncio
import logging

import asyncpg

log = logging.getLogger(__name__)

LEADER_LOCK = 0x636A6D03  # "cjm" 3
_KEEPALIVES = {
    "tcp_keepalives_idle": "4",
    "tcp_keepalives_interval": "2",
    "tcp_keepalives_count": "2",
}


class Leadership:
    def __init__(self, url: str) -> None:
        self._url = url
        self._conn: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()  # one check at a time on the connection

    async def check(self) -> bool:
        """Whether this instance leads now: keeps the lock it holds, or takes a free one."""
        async with self._lock:
            if self._conn is not None:
                try:
                    await self._conn.fetchval("SELECT 1", timeout=5)
                    return True
                except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
                    log.warning("lost the connection that held the scheduler's leadership")
                    await self._drop()
            try:
                conn = await asyncpg.connect(self._url, timeout=5, server_settings=_KEEPALIVES)
            except (OSError, asyncpg.PostgresError, TimeoutError):
                return False
            try:
                taken = bool(await conn.fetchval("SELECT pg_try_advisory_lock($1)", LEADER_LOCK))
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
                taken = False
            if taken:
                self._conn = conn
                log.info("this instance leads the scheduler")
            else:
                await conn.close()
            return taken

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.terminate()

    async def close(self) -> None:
        async with self._lock:
            if self._conn is not None:
                await self._conn.close()  # the lock goes with the session
                self._conn = None
