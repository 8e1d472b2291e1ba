"""One answer, one transaction: the transport's update id is recorded in the answer's own
transaction, so a redelivered update changes nothing, and an answer that never committed
(an error, a crash) leaves its update unrecorded — the redelivery then applies it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.conversation.engine import Answer
from flows.models import Touchpoint
from storage.store import SqliteStore
from tests.backends import position_repo, rows
from tests.flows.flowkit import joined, make_engine, new_workshop

ROOT = Path(__file__).resolve().parents[2]
PID = "t:p"


async def _at_touchpoints(store: SqliteStore):  # type: ignore[no-untyped-def]
    engine = make_engine(store)
    _, wid, codes = await new_workshop(engine)
    player = await joined(engine, PID, codes["marketing"])
    await player.play({}, until="touchpoints.name")
    return engine, wid


async def _touchpoints(store: SqliteStore, wid: str) -> list[Touchpoint]:
    async with store.read() as uow:
        return await uow.items.list(wid, Touchpoint)


async def _recorded(store: SqliteStore, key: str) -> bool:
    return bool(await rows(store, "SELECT 1 FROM processed_updates WHERE key = ?", key))


async def test_a_redelivered_answer_is_stored_once_and_answered_once(store) -> None:
    engine, wid = await _at_touchpoints(store)
    await engine.advance(PID, Answer.text("Website"), update_id="tg:0")
    last = Answer.text("website")  # its channel: saved, and on to the next stage
    saved = await engine.advance(PID, last, update_id="tg:3")
    assert "touchpoints.saved" in saved.keys and saved.prompt.step == "touchpoints.name"

    again = await engine.advance(PID, last, update_id="tg:3")  # Telegram sends it again

    assert again.replies == []  # nothing to say: it was answered
    assert [t.name for t in await _touchpoints(store, wid)] == ["Website"]
    now = await engine.resume(PID)
    assert now.prompt.step == "touchpoints.name" and now.prompt.token == saved.prompt.token


async def test_a_redelivery_is_recognised_for_one_person_only(store) -> None:
    engine, _ = await _at_touchpoints(store)
    first = await engine.advance(PID, Answer.text("Website"), update_id="tg:50")
    assert first.prompt.step == "touchpoints.channel"
    second = await engine.advance(PID, Answer.text("website"), update_id="tg:51")
    assert "touchpoints.saved" in second.keys  # a new id is a new answer


async def test_an_answer_that_fails_leaves_its_update_unrecorded(store, monkeypatch) -> None:
    engine, wid = await _at_touchpoints(store)
    repo = position_repo(store)
    original = repo.save

    async def broken(self, position) -> None:  # type: ignore[no-untyped-def]
        raise OSError("disk gone")

    monkeypatch.setattr(repo, "save", broken)
    with pytest.raises(OSError):
        await engine.advance(PID, Answer.text("Website"), update_id="tg:9")
    assert not await _recorded(store, "tg:9")

    monkeypatch.setattr(repo, "save", original)
    out = await engine.advance(PID, Answer.text("Website"), update_id="tg:9")  # redelivered
    assert out.prompt.step == "touchpoints.channel"
    assert await _recorded(store, "tg:9")


CRASHING = """
import asyncio, os, sys
from flows.conversation.engine import Answer
from storage.positions import SqlitePositionRepo
from storage.store import SqliteStore
from tests.flows.flowkit import make_engine

async def main(path, pid):
    store = await SqliteStore.open(path)
    engine = make_engine(store)

    async def die(self, position):  # the answer is parsed and the update recorded: crash
        os._exit(9)

    SqlitePositionRepo.save = die
    await engine.advance(pid, Answer.text("Website"), update_id="tg:77")

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_a_crash_mid_answer_loses_the_record_with_the_answer(db_path: Path) -> None:
    async def prepare() -> str:
        store = await SqliteStore.open(db_path)
        try:
            _, wid = await _at_touchpoints(store)
            return wid
        finally:
            await store.close()

    wid = asyncio.run(prepare())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", CRASHING, str(db_path), PID], env=env, cwd=ROOT, timeout=60
    )
    assert done.returncode == 9  # killed inside the transaction

    async def after_restart() -> None:
        store = await SqliteStore.open(db_path)
        try:
            assert not await _recorded(store, "tg:77")
            engine = make_engine(store)
            assert (await engine.resume(PID)).prompt.step == "touchpoints.name"
            out = await engine.advance(PID, Answer.text("Website"), update_id="tg:77")
            assert out.prompt.step == "touchpoints.channel"  # the redelivery is applied
            again = await engine.advance(PID, Answer.text("Website"), update_id="tg:77")
            assert again.replies == []
            assert (await engine.resume(PID)).prompt.step == "touchpoints.channel"
            assert await _touchpoints(store, wid) == []
        finally:
            await store.close()

    asyncio.run(after_restart())
