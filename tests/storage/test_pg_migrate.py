"""``cjm-bot migrate --to postgresql://...``: a SQLite database holding a complete workshop,
a 73-stage one and one with scheduled reviews comes over whole — the same workshops,
items, history, people, positions and due reviews, verified by counts and a content hash
per workshop — and a second run duplicates nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.cli import main as cli
from flows.models import Role
from storage.postgres.store import PgStore
from storage.store import SqliteStore
from tests.backends import rows
from tests.builders import NOW, WorkshopBuilder, complete_workshop, review_workshop
from tests.pg_cluster import Cluster, run_now

pytestmark = pytest.mark.postgres_only
COUNTS = (
    "SELECT (SELECT count(*) FROM workshops), (SELECT count(*) FROM items), "
    "(SELECT count(*) FROM audit), (SELECT count(*) FROM people), "
    "(SELECT count(*) FROM positions), (SELECT count(*) FROM review_due)"
)


@pytest.fixture
def target(pg_cluster: Cluster) -> Iterator[str]:
    """An empty database (the migration makes its tables)."""
    url = run_now(pg_cluster.new_database(migrated=False))
    yield url
    run_now(pg_cluster.drop_database(url))


async def _source(path: Path) -> list[str]:
    store = await SqliteStore.open(path)
    try:
        complete = await complete_workshop(store)
        long = WorkshopBuilder("Seventy-three stages")
        long.member("Fac", tg=9000, role=Role.FACILITATOR)
        for n in range(73):
            long.stage(f"Stage {n + 1}")
        await long.save(store)
        reviews = await review_workshop(store, owners=3, schedule=NOW)
        return [complete.id, long.id, reviews.id]
    finally:
        await store.close()


async def _everything(store: SqliteStore | PgStore, ids: list[str]) -> list[object]:
    out: list[object] = []
    async with store.read() as uow:
        for wid in ids:
            out.append((await uow.workshops.get(wid)).model_dump())
            out.append(
                [i.model_dump() for i in await uow.items.all_of_workshop(wid, include_deleted=True)]
            )
            out.append([p.model_dump() for p in await uow.positions.of_workshop(wid)])
            for item in await uow.items.all_of_workshop(wid, include_deleted=True):
                out.append(
                    [(h.action, h.actor, h.data, h.at) for h in await uow.items.history(item.id)]
                )
            person = await uow.people.get("tg:1")
            out.append(person.model_dump() if person else None)
        out.append([r.id for r in await uow.items.due_reviews(NOW, stuck_before=NOW)])
        out.append(await uow.items.next_review_due())
    return out


def test_a_sqlite_database_comes_over_whole_and_a_second_run_adds_nothing(
    tmp_path: Path, target: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cjm.sqlite3"
    ids = run_now(_source(path))
    monkeypatch.setenv("DATABASE_PATH", str(path))

    assert cli(["migrate", "--to", target]) == 0
    first = capsys.readouterr().out
    assert first.count("the same in PostgreSQL") == 3 and "DIFFERENT" not in first
    assert "Copied 3 workshops" in first
    assert cli(["migrate", "--to", target]) == 0  # again: nothing twice
    assert capsys.readouterr().out == first

    sqlite, pg = (
        run_now(_read(SqliteStore.open(path), ids)),
        run_now(_read(PgStore.open(target), ids)),
    )
    assert pg == sqlite
    assert pg[0][0][0] == 3 and pg[0][0][1] > 73  # the workshops, and the stages at least


async def _read(opening: Any, ids: list[str]) -> tuple[object, list[object]]:
    store = await opening
    try:
        return await rows(store, COUNTS), await _everything(store, ids)
    finally:
        await store.close()


def test_a_workshop_changed_in_postgresql_is_found_different(
    tmp_path: Path, target: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The verification reads what is there: a copy that differs is reported, exit 1."""
    from storage.db import Database
    from storage.postgres.copy import Copied, copy_database
    from storage.postgres.db import PgDatabase

    path = tmp_path / "cjm.sqlite3"
    ids = run_now(_source(path))

    async def spoilt() -> list[Copied]:
        source, pg = await Database.open(path), await PgDatabase.open(target)
        try:
            await copy_database(source, pg)
            conn = await asyncpg.connect(target)  # something changes what is written there
            await conn.execute(
                "CREATE FUNCTION spoil() RETURNS trigger AS $$ BEGIN "
                "NEW.actor := 'someone else'; RETURN NEW; END $$ LANGUAGE plpgsql; "
                "CREATE TRIGGER spoil BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION spoil()"
            )
            await conn.close()
            copied, _ = await copy_database(source, pg)
            return copied
        finally:
            await source.close()
            await pg.close()

    copied = run_now(spoilt())
    assert [c.verified for c in copied] == [False, False, False]
    assert {c.workshop_id for c in copied} == set(ids)
    monkeypatch.setenv("DATABASE_PATH", str(path))
    assert cli(["migrate", "--to", target]) == 1
    assert "3 workshops differ" in capsys.readouterr().err
    assert cli(["migrate", "--to", "sqlite:///elsewhere"]) == 2
