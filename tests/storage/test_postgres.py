"""What only PostgreSQL has: its migrations (the same numbers as SQLite's), its indexes on
the jsonb documents, the write lock shared by every instance, and choosing it by
DATABASE_URL. The behaviour both stores share is tested on both by the other modules."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from bot.settings import SettingsError, load_settings
from flows.models import Person, Review, Workshop
from storage.db import StorageError, migrations
from storage.open_store import open_store
from storage.postgres.db import MIGRATIONS, WRITE_LOCK, PgDatabase
from storage.postgres.store import PgStore
from tests.backends import a_write_waits_until
from tests.builders import NOW, review_workshop
from tests.pg_cluster import Cluster

pytestmark = pytest.mark.postgres_only
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def empty_url(pg_cluster: Cluster) -> AsyncIterator[str]:
    url = await pg_cluster.new_database(migrated=False)
    yield url
    await pg_cluster.drop_database(url)


def test_both_stores_have_the_same_numbered_migrations() -> None:
    sqlite = [(n, name) for n, name, _ in migrations()]
    postgres = [(n, name) for n, name, _ in migrations(MIGRATIONS)]
    assert postgres == sqlite


async def test_a_fresh_database_gets_every_migration_once(empty_url: str) -> None:
    store = await PgStore.open(empty_url)
    ws = Workshop(title="Kept")
    async with store.write() as uow:
        await uow.workshops.add(ws)
    await store.close()
    store = await PgStore.open(empty_url)  # reopening applies nothing again
    try:
        assert await store.db.schema_version() == len(migrations())
        async with store.read() as uow:
            assert (await uow.workshops.get(ws.id)).title == "Kept"
    finally:
        await store.close()
    conn = await asyncpg.connect(empty_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM schema_version") == 1
        types = dict(
            await conn.fetch(
                "SELECT table_name, data_type FROM information_schema.columns "
                "WHERE column_name = 'data' AND table_schema = 'public'"
            )
        )
    finally:
        await conn.close()
    assert set(types.values()) == {"jsonb"}
    assert {"workshops", "items", "people", "positions", "audit"} <= set(types)


async def test_instances_starting_together_migrate_once(empty_url: str) -> None:
    stores = await asyncio.gather(*(PgStore.open(empty_url) for _ in range(4)))
    try:
        assert {await s.db.schema_version() for s in stores} == {len(migrations())}
    finally:
        for s in stores:
            await s.close()


async def test_a_database_from_a_newer_program_is_refused(empty_url: str) -> None:
    db = await PgDatabase.open(empty_url)
    async with db.transaction() as conn:
        await conn.execute("UPDATE schema_version SET version = 999")
    await db.close()
    with pytest.raises(StorageError, match="newer than this program"):
        await PgDatabase.open(empty_url)


async def test_migration_002_indexes_the_reviews_already_written(empty_url: str) -> None:
    store = await PgStore.open(empty_url)
    built = await review_workshop(store, owners=2, schedule=NOW)
    await store.close()
    conn = await asyncpg.connect(empty_url)  # as the database was before migration 002
    await conn.execute(
        "DROP TABLE review_due; DROP TABLE live_prompts; UPDATE schema_version SET version = 1"
    )
    await conn.close()
    store = await PgStore.open(empty_url)
    try:
        assert await store.db.schema_version() == len(migrations())  # 002 and later
        async with store.read() as uow:
            assert len(await uow.items.due_reviews(NOW)) == 2
            assert len(await uow.items.open_reviews(built.id)) == 2
            due = [r.due_at for r in await uow.items.list(built.id, Review)]
            assert await uow.items.next_review_due() == min(due)
    finally:
        await store.close()


async def test_the_lookups_by_person_code_and_due_time_have_their_indexes(
    store: PgStore,
) -> None:
    async with store.db.reading() as conn:
        rows = await conn.fetch("SELECT indexname, indexdef FROM pg_indexes")
    found = {row["indexname"]: row["indexdef"] for row in rows}
    assert "person_id" in found["items_member_person"]
    assert "UNIQUE" in found["items_invite_code"] and "code" in found["items_invite_code"]
    assert "due_at" in found["review_due_scheduled"]


async def test_a_write_waits_for_another_instance_without_stalling_the_loop(
    store: PgStore, pg_tests_url: str
) -> None:
    other = await asyncpg.connect(pg_tests_url)  # another instance, mid-write
    await other.execute("BEGIN")
    await other.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)

    async def release() -> None:
        await other.execute("COMMIT")
        await other.close()

    await a_write_waits_until(store, release)


async def test_a_write_sees_nothing_of_another_unfinished_one(store: PgStore) -> None:
    """A unit of work is one transaction: what it wrote is seen by nobody until it ends,
    and by everybody at once afterwards."""
    inside = asyncio.Event()
    done = asyncio.Event()

    async def slow() -> None:
        async with store.write() as uow:
            await uow.people.save(Person(id="tg:2", name="Boris"))
            await uow.updates.first_time("update:2")
            inside.set()
            await done.wait()

    writing = asyncio.create_task(slow())
    await inside.wait()
    async with store.read() as uow:
        assert await uow.people.get("tg:2") is None
    done.set()
    await writing
    async with store.read() as uow:
        assert (await uow.people.get("tg:2")).name == "Boris"
    async with store.write() as uow:
        assert await uow.updates.first_time("update:2") is False


async def test_database_url_selects_postgresql_and_database_path_sqlite(
    pg_tests_url: str, tmp_path: object
) -> None:
    settings = load_settings(_env_file=None, database_url=pg_tests_url)
    store = await open_store(settings.database)
    try:
        assert isinstance(store, PgStore)
    finally:
        await store.close()
    sqlite = load_settings(_env_file=None, database_path=f"{tmp_path}/x.sqlite3")
    assert sqlite.database == sqlite.database_path
    with pytest.raises(SettingsError, match="DATABASE_URL: must start with postgresql://"):
        load_settings(_env_file=None, database_url="mysql://x")
    with_password = "postgresql://cjm:hunter2@db.internal:5432/cjm"
    assert "hunter2" not in repr(load_settings(_env_file=None, database_url=with_password))


async def test_due_reviews_on_postgresql_come_in_due_order_per_owner(store: PgStore) -> None:
    built = await review_workshop(store, owners=3, schedule=NOW)
    async with store.read() as uow:
        every = await uow.items.due_reviews(NOW + timedelta(minutes=1))
        first = await uow.items.due_reviews(NOW + timedelta(minutes=1), owners=1)
    assert len(every) == 3 and len(first) == 1
    assert first[0].id == every[0].id
    assert {r.workshop_id for r in every} == {built.id}


LEADER = """
import asyncio, sys
from storage.postgres.store import PgStore

async def main(url):
    store = await PgStore.open(url)
    print("leads" if await store.leads() else "follows", flush=True)
    await asyncio.sleep(60)

asyncio.run(main(sys.argv[1]))
"""


async def test_one_instance_leads_and_another_takes_over_within_10_s_of_a_sigkill(
    store: PgStore, pg_tests_url: str
) -> None:
    leader = await asyncio.create_subprocess_exec(
        sys.executable, "-c", LEADER, pg_tests_url, stdout=asyncio.subprocess.PIPE, cwd=ROOT
    )
    try:
        assert leader.stdout is not None
        line = await asyncio.wait_for(leader.stdout.readline(), timeout=30)
        assert line.strip() == b"leads"
        assert await store.leads() is False  # the other one leads
        assert await store.leads() is False
        leader.send_signal(signal.SIGKILL)
        await leader.wait()
        killed = time.monotonic()
        while not await store.leads():
            assert time.monotonic() - killed < 10
            await asyncio.sleep(0.5)
        assert await store.leads() is True  # and keeps leading
    finally:
        if leader.returncode is None:
            leader.kill()
            await leader.wait()


async def test_a_backup_is_a_pg_dump_that_pg_restore_reads(store: PgStore, tmp_path: Path) -> None:
    async with store.write() as uow:
        await uow.people.save(Person(id="tg:3", name="Celina"))
    target = tmp_path / "backups" / "cjm.dump"
    await store.backup(target)
    listed = subprocess.run(
        ["pg_restore", "--list", str(target)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA public people" in listed and "TABLE DATA public items" in listed
    restored = subprocess.run(
        ["pg_restore", "--data-only", "--table=people", "--file=-", str(target)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Celina" in restored


async def test_a_text_with_a_nul_character_is_stored_with_a_replacement(store: PgStore) -> None:
    """jsonb cannot hold U+0000 (SQLite can): it is stored as U+FFFD, and the answer is
    not refused; a typed backslash-u-0000 stays as typed."""
    async with store.write() as uow:
        await uow.people.save(Person(id="tg:4", name="Da\x00wid \\u0000"))
    async with store.read() as uow:
        person = await uow.people.get("tg:4")
    assert person is not None and person.name == "Da\ufffdwid \\u0000"
