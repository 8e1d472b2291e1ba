"""Concurrency, crash safety and online backup: on real SQLite files, and the concurrent
writers on PostgreSQL too."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from flows.models import NoteLane, Stage, StageNote, Workshop
from storage.store import SqliteStore

ROOT = Path(__file__).resolve().parents[2]


async def _workshop_with_stage(store: SqliteStore) -> tuple[str, str]:
    ws = Workshop(title="Load")
    stage = Stage(workshop_id=ws.id, order=1, name="Search")
    async with store.write() as uow:
        await uow.workshops.add(ws)
        await uow.items.add(stage)
    return ws.id, stage.id


async def test_fifty_concurrent_writers_store_all_5000_answers(store: SqliteStore) -> None:
    ws_id, stage_id = await _workshop_with_stage(store)

    async def participant(n: int) -> None:
        for i in range(100):
            async with store.write() as uow:
                await uow.items.add(
                    StageNote(
                        workshop_id=ws_id,
                        stage_id=stage_id,
                        lane=NoteLane.THOUGHTS,
                        text=f"p{n}-a{i}",
                        author_id=f"m{n}",
                    )
                )

    await asyncio.gather(*(participant(n) for n in range(50)))
    async with store.read() as uow:
        notes = await uow.items.list(ws_id, StageNote)
    assert len(notes) == 5000
    assert len({n.text for n in notes}) == 5000
    assert await store.db.integrity_check() == "ok"


def test_sigkill_mid_stream_loses_no_committed_answer(db_path: Path) -> None:
    async def prepare() -> tuple[str, str]:
        store = await SqliteStore.open(db_path)
        try:
            return await _workshop_with_stage(store)
        finally:
            await store.close()

    ws_id, stage_id = asyncio.run(prepare())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "tests/storage/writer_process.py"),
            str(db_path),
            ws_id,
            stage_id,
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    acknowledged = []
    assert proc.stdout is not None
    for line in proc.stdout:
        acknowledged.append(line.strip())
        if len(acknowledged) >= 300:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    acknowledged += [line.strip() for line in proc.stdout if line.strip()]

    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT id FROM items WHERE kind='stage_note'")}
    finally:
        conn.close()
    assert len(acknowledged) >= 300
    assert set(acknowledged) <= stored


@pytest.mark.sqlite_only  # SQLite's online backup; PostgreSQL's is pg_dump
async def test_backup_taken_during_writes_is_sound(store: SqliteStore, tmp_path: Path) -> None:
    ws_id, stage_id = await _workshop_with_stage(store)
    stop = asyncio.Event()

    async def writer() -> int:
        n = 0
        while not stop.is_set():
            async with store.write() as uow:
                await uow.items.add(
                    StageNote(workshop_id=ws_id, stage_id=stage_id, lane=NoteLane.GOAL, text=str(n))
                )
            n += 1
            await asyncio.sleep(0)
        return n

    task = asyncio.create_task(writer())
    await asyncio.sleep(0.2)
    backups = []
    for i in range(3):
        target = tmp_path / f"backup-{i}.sqlite3"
        await store.backup(target)
        backups.append(target)
        await asyncio.sleep(0.05)
    stop.set()
    written = await task
    assert written > 0
    counts = []
    for target in backups:
        conn = sqlite3.connect(target)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            counts.append(conn.execute("SELECT count(*) FROM items").fetchone()[0])
        finally:
            conn.close()
    assert counts == sorted(counts) and counts[0] >= 1
    assert counts[-1] <= written + 1
