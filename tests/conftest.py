"""Shared fixtures: a real store — SQLite on a temporary file, and, for the storage and
engine tests, PostgreSQL too (the ``backend`` parameter).

The PostgreSQL tests run on a throwaway cluster that the first of them starts
(tests/pg_cluster.py) and the end of the session removes. Where no server can be had they
are skipped, saying why — except in CI (``CI=true``), where that is a failure."""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from storage.open_store import OpenStore, open_store
from tests.pg_cluster import Cluster, NoServer

# Tests never read a developer's .env or environment settings.
for _name in list(os.environ):
    if _name.startswith(("TELEGRAM_", "DATABASE_", "DEFAULT_", "FACILITATOR_", "WEBHOOK_")):
        del os.environ[_name]

BACKENDS = ("sqlite", "postgresql")
# The tests that run on both stores: storage and the engine's (tests/flows/). The per-step
# guards and the KPI readings stay on SQLite, for the suite's time: they test the steps,
# and reach the store through the repositories the engine tests cover on both.
# tests/bot/test_on_postgresql.py runs a few end-to-end bot tests on PostgreSQL.
BOTH = ("tests/storage/", "tests/flows/")
SQLITE_ONLY = ("tests/flows/test_guards_", "tests/flows/test_kpi_readings.py")
PG_TESTS_DB = "cjm_tests"
# emptied in this order (what refers to a row goes first)
_TABLES = (
    "review_due",
    "audit",
    "items",
    "positions",
    "people",
    "live_prompts",
    "processed_updates",
    "workshops",
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_stores: runs on SQLite and on PostgreSQL (the backend parameter)"
    )
    config.addinivalue_line("markers", "sqlite_only: reads SQLite itself; not run on PostgreSQL")
    config.addinivalue_line("markers", "postgres_only: PostgreSQL's own; its store is PgStore")


def _on_both(item_path: str, markers: set[str]) -> bool:
    if "sqlite_only" in markers or any(part in item_path for part in SQLITE_ONLY):
        return False
    return "both_stores" in markers or any(part in item_path for part in BOTH)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    markers = {m.name for m in metafunc.definition.iter_markers()}
    path = str(metafunc.definition.path).replace(os.sep, "/")
    backends = BACKENDS if _on_both(path, markers) else BACKENDS[:1]
    if "postgres_only" in markers:
        backends = BACKENDS[1:]
    metafunc.parametrize("backend", backends, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster started for this session (tests/pg_cluster.py)."""
    # a run ended by SIGTERM (a CI time limit) still stops and removes its cluster
    previous = signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        try:
            cluster = Cluster.start()
        except NoServer as exc:
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI must run the PostgreSQL tests, but: {exc}", pytrace=False)
            pytest.skip(f"no PostgreSQL server here: {exc}")
        try:
            yield cluster
        finally:
            cluster.stop()
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


@pytest.fixture(scope="session")
def pg_tests_url(pg_cluster: Cluster) -> str:
    """The database the PostgreSQL store tests share (emptied after each), migrated once."""
    return pg_cluster.prepare(PG_TESTS_DB)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cjm.sqlite3"


@pytest.fixture
async def database(
    backend: str, db_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[str | Path]:
    """Where the test's store is: a SQLite file, or the shared PostgreSQL test database
    (emptied when the test ends)."""
    if backend == "sqlite":
        yield db_path
        return
    url: str = request.getfixturevalue("pg_tests_url")
    try:
        yield url
    finally:
        import asyncpg

        conn = await asyncpg.connect(url)
        try:
            await conn.execute("".join(f"DELETE FROM {table};" for table in _TABLES))
        finally:
            await conn.close()


@pytest.fixture
async def store(database: str | Path) -> AsyncIterator[OpenStore]:
    s = await open_store(database)
    try:
        yield s
    finally:
        await s.close()
