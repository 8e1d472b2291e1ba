"""Which store a setting names: a ``postgresql://`` URL opens the PostgreSQL store
(storage/postgres/), anything else is the path of the SQLite file (storage/store.py).
Everything that opens the configured database goes through :func:`open_store`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from flows import ports

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class OpenStore(ports.Store, Protocol):
    """A store as the program holds it: the port, and closing and backing it up."""

    async def import_workshop(self, data: dict[str, Any], *, replace: bool = False) -> str: ...
    async def backup(self, target: str | Path) -> None: ...
    async def close(self) -> None: ...
    async def leads(self) -> bool:
        """Whether this instance runs the scheduler (several may share a PostgreSQL)."""
        ...


def is_postgres(database: str | Path) -> bool:
    return isinstance(database, str) and database.startswith(POSTGRES_SCHEMES)


async def open_store(database: str | Path) -> OpenStore:
    """Open (and migrate) the store at ``database``: a PostgreSQL URL or a SQLite path."""
    if is_postgres(database):
        from storage.postgres.store import PgStore

        return await PgStore.open(str(database))
    from storage.store import SqliteStore

    return await SqliteStore.open(database)
