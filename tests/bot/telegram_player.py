"""A scripted person in Telegram: the demo's scripts (``bot.demo.script``), played by
typing and tapping buttons over the fake Bot API. The current step id is read from the
bot's SQLite file, the way a test peeks behind the screen; everything the person does
goes through Telegram updates."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flows.conversation.spec import DONE, NEXT, SKIP
from tests.bot.live import LiveBot

STOP = "home.menu"


def read_db(db: Path, sql: str, *args: Any) -> list[sqlite3.Row]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def current_step(db: Path, user_id: int) -> str | None:
    rows = read_db(db, "SELECT data FROM people WHERE id = ?", f"tg:{user_id}")
    if not rows:
        return None
    workshop = json.loads(rows[0]["data"]).get("current_workshop_id") or ""
    rows = read_db(
        db,
        "SELECT data FROM positions WHERE person_id = ? AND workshop_id = ?",
        f"tg:{user_id}",
        workshop,
    )
    return json.loads(rows[0]["data"])["step"] if rows else None


def invite_codes(db: Path) -> dict[str, str]:
    """Department key -> invite code."""
    departments = {
        r["id"]: json.loads(r["data"]).get("key")
        for r in read_db(db, "SELECT id, data FROM items WHERE kind = 'department'")
    }
    codes = {}
    for row in read_db(db, "SELECT data FROM items WHERE kind = 'invite'"):
        invite = json.loads(row["data"])
        if invite.get("revoked_at") is None:
            codes[departments.get(invite["department_id"]) or ""] = invite["code"]
    return codes


class TelegramPlayer:
    def __init__(self, bot: LiveBot, user_id: int, script: dict[str, Iterable[str]]) -> None:
        self.bot = bot
        self.user_id = user_id
        self.actions = 0
        self.queues = {step: list(entries) for step, entries in script.items()}

    def keyboard(self) -> dict[str, Any] | None:
        for message in reversed(self.bot.telegram.chat_messages(self.user_id)):
            if self.bot.telegram.buttons(message):
                return message
        return None

    def values(self) -> list[str]:
        message = self.keyboard()
        data = [d for _, d in self.bot.telegram.buttons(message)] if message else []
        return [d.split("|", 3)[3] for d in data if d.startswith("c1|a|")]

    def tap(self, value: str) -> dict[str, Any]:
        message = self.keyboard()
        assert message is not None, "no keyboard to tap"
        data = next(
            (d for _, d in self.bot.telegram.buttons(message) if d.endswith("|" + value)), None
        )
        assert data is not None, f"no button {value!r} in {self.values()}"
        label = next(t for t, d in self.bot.telegram.buttons(message) if d == data)
        self.actions += 1
        return self.bot.press(self.user_id, message, label)

    def do(self, entry: str) -> dict[str, Any]:
        if entry.startswith("!"):
            return self.tap(entry)
        if entry.startswith("="):
            return self.tap(entry[1:])
        self.actions += 1
        return self.bot.say(self.user_id, entry)

    def default(self) -> str:
        values = self.values()
        for wanted in (SKIP, NEXT, DONE):
            if wanted in values:
                return wanted
        return "=" + next((v for v in values if not v.startswith("!")), values[0])

    def play(self, *, until: str = STOP, stop_after: int | None = None) -> str | None:
        """Answer from the script until ``until`` (or after ``stop_after`` actions in all);
        returns the step reached. Call again to go on where it stopped."""
        queues = self.queues
        for _ in range(2000):
            step = current_step(self.bot.db, self.user_id)
            if step is None or step == until:
                return step
            if stop_after is not None and self.actions >= stop_after:
                return step
            queue = queues.get(step) or []
            self.do(queue.pop(0) if queue else self.default())
        raise AssertionError("the script did not finish")
