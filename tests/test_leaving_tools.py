"""/leave and /forget_me in the terminal, and ``cjm-bot forget PERSON`` for the operator."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli import main
from storage.store import SqliteStore
from tests.flows.test_leaving import ZOFIA, dealership
from tests.test_console import SETUP, _session


async def test_leave_and_forget_me_in_the_terminal(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    text = await _session(db, SETUP, "anna")
    code = next(line.split(": ")[1] for line in text.splitlines() if line.startswith("• Sales: "))
    await _session(db, f"/join {code}\n1\nBoris\nNurse\n/skip\n", "boris")

    text = await _session(db, "/leave\n", "anna")
    assert "You are the only facilitator of «Clinic»" in text
    assert "Send /leave N to hand «Clinic» over to one of them and leave:\n1) Boris · Sales" in text
    text = await _session(db, "/leave 1\n", "anna")
    assert "Boris now runs «Clinic» as a facilitator, and you left it." in text

    text = await _session(db, "/leave\n", "boris")
    assert "You are the only facilitator of «Clinic», and nobody else has joined" in text
    text = await _session(db, "/forget_me\n", "boris")
    assert "your name (boris, Boris)" in text and "Send /forget_me yes to erase your data." in text
    text = await _session(db, "/forget_me yes\n/workshops\n", "boris")
    assert "Done: your personal data is erased" in text
    store = await SqliteStore.open(db)
    try:
        async with store.read() as uow:
            assert await uow.people.get("cli:boris") is None
            assert await uow.items.memberships("cli:boris", include_deleted=True) == []
    finally:
        await store.close()


def _database(tmp_path: Path) -> Path:
    db = tmp_path / "data" / "cjm.sqlite3"

    async def build() -> None:
        store = await SqliteStore.open(db)
        try:
            await dealership(store)
        finally:
            await store.close()

    asyncio.run(build())
    return db


def test_cjm_bot_forget_erases_a_person_and_says_what(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _database(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(db))
    cached = db.parent / "maps" / "abc123"
    cached.mkdir(parents=True)
    (cached / "map.png").write_bytes(b"a map that shows her name")
    (cached / "done").touch()

    assert main(["forget", "777123456"]) == 0

    out = capsys.readouterr().out
    assert out.startswith("Forgot tg:777123456:\n")
    assert "• memberships that no longer name them: 1\n" in out
    assert "• touchpoints left without an owner: 1\n" in out
    assert ZOFIA not in out
    assert not cached.exists()
    assert main(["forget", "tg:777123456"]) == 1  # nobody left to forget
    assert "cjm-bot: nobody with the id tg:777123456 is known" in capsys.readouterr().err
