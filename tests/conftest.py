"""Shared fixtures: a real SQLite store on a temporary file."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.store import SqliteStore

# Tests never read a developer's .env or environment settings.
for _name in list(os.environ):
    if _name.startswith(("TELEGRAM_", "DATABASE_", "DEFAULT_", "FACILITATOR_", "WEBHOOK_")):
        del os.environ[_name]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cjm.sqlite3"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[SqliteStore]:
    s = await SqliteStore.open(db_path)
    try:
        yield s
    finally:
        await s.close()
