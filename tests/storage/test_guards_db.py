"""The database file as an operator meets it: opening makes its folder, uses WAL, checks
foreign keys, applies each migration once, refuses a file from a newer program; the
reading connection cannot write; a failed write transaction leaves nothing; a backup is
a sound copy that replaces an old one."""

from __future__ import annotations

from pathlib import Path

import aiosqlite
import pytest

from storage.db import Database, StorageError, _statements, apply_migrations, migrations


async def test_opening_makes_the_folder_and_migrates_once(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "cjm.sqlite3"
    db = await Database.open(path)
    try:
        assert path.exists()
        assert await db.schema_version() == len(migrations())
        assert await db.integrity_check() == "ok"
        mode = await (await db.writer.execute("PRAGMA journal_mode")).fetchone()
        keys = await (await db.writer.execute("PRAGMA foreign_keys")).fetchone()
        assert mode is not None and mode[0] == "wal"
        assert keys is not None and keys[0] == 1
        with pytest.raises(aiosqlite.OperationalError):
            await db.reader.execute("CREATE TABLE nope (x)")
        assert await apply_migrations(db.writer) == len(migrations())  # nothing more to do
    finally:
        await db.close()
    again = await Database.open(path)
    try:
        assert await again.schema_version() == len(migrations())
    finally:
        await again.close()


async def test_a_file_from_a_newer_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    newer = len(migrations()) + 1
    async with aiosqlite.connect(path) as conn:
        await conn.execute(f"PRAGMA user_version = {newer}")
        await conn.commit()
    with pytest.raises(StorageError, match=f"version {newer}, newer than this program knows"):
        await Database.open(path)


async def test_a_failed_transaction_writes_nothing(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "t.sqlite3")
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO processed_updates (key, at) VALUES ('k', 'now')")
                raise RuntimeError("boom")
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO processed_updates (key, at) VALUES ('j', 'now')")
        rows = await (await db.reader.execute("SELECT key FROM processed_updates")).fetchall()
        assert [r[0] for r in rows] == ["j"]
    finally:
        await db.close()


async def test_a_backup_is_a_sound_copy_replacing_an_old_one(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "live.sqlite3")
    target = tmp_path / "backups" / "copy.sqlite3"
    try:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO processed_updates (key, at) VALUES ('k', 'now')")
        target.parent.mkdir()
        target.write_bytes(b"an old, broken backup")
        await db.backup(target)
    finally:
        await db.close()
    copy = await Database.open(target)
    try:
        assert await copy.integrity_check() == "ok"
        rows = await (await copy.reader.execute("SELECT key FROM processed_updates")).fetchall()
        assert [r[0] for r in rows] == ["k"]
    finally:
        await copy.close()


def test_a_migration_splits_into_statements_without_its_comments() -> None:
    sql = "-- a comment\nCREATE TABLE a (x);\n-- another\nCREATE TABLE b (\n  y\n);\nSELECT 1"
    assert _statements(sql) == ["CREATE TABLE a (x);", "CREATE TABLE b (\n  y\n);", "SELECT 1"]


async def test_rows_read_in_place_come_in_batches_as_sqlite_hands_them_out(
    tmp_path: Path,
) -> None:
    db = await Database.open(tmp_path / "t.sqlite3")
    try:
        async with db.transaction() as conn:
            for key in "abcdef":
                await conn.execute(
                    "INSERT INTO processed_updates (key, at) VALUES (?, 'now')", (key,)
                )
        cursor = await db.reader.execute("SELECT key FROM processed_updates ORDER BY key")
        assert cursor.arraysize == 1
        first = await cursor.fetchone()
        assert first is not None and first[0] == "a"
        assert [r[0] for r in await cursor.fetchmany(2)] == ["b", "c"]
        assert [r[0] for r in await cursor.fetchmany()] == ["d"]  # arraysize rows
        assert [r[0] for r in await cursor.fetchmany(5)] == ["e", "f"]
        assert await cursor.fetchmany(5) == [] and await cursor.fetchone() is None
        again = await db.reader.execute("SELECT key FROM processed_updates ORDER BY key")
        await again.close()
        assert await again.fetchall() == []
    finally:
        await db.close()


async def test_a_backup_makes_its_folders(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "live.sqlite3")
    target = tmp_path / "backups" / "2026" / "copy.sqlite3"
    try:
        await db.backup(target)
    finally:
        await db.close()
    copy = await Database.open(target)
    try:
        assert await copy.integrity_check() == "ok"
    finally:
        await copy.close()
