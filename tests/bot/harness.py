"""The real python-telegram-bot Application, driven in process through FakeRequest."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.settings import load_settings
from bot.telegram.app import _post_init, _post_shutdown, build_application
from bot.telegram.effects import BACKGROUND
from flows.ports import FixedClock
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_transport import FakeRequest

TOKEN = "123456:TEST-token-for-the-fake-bot-api-000"


class BotHarness:
    def __init__(self, tmp_path: Path, clock: FixedClock | None = None, **settings: Any) -> None:
        self.telegram = FakeTelegram()
        self.settings = load_settings(
            _env_file=None,
            telegram_bot_token=TOKEN,
            database_path=tmp_path / "cjm.sqlite3",
            **settings,
        )
        self.clock = clock
        self.app: Application = build_application(
            self.settings,
            request=FakeRequest(self.telegram),
            get_updates_request=FakeRequest(self.telegram),
        )

    async def __aenter__(self) -> BotHarness:
        await self.app.initialize()
        await _post_init(self.app)
        if self.clock is not None:
            services = self.app.bot_data["services"]
            services.clock = self.clock
            services.engine.clock = self.clock
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.settle()
        await _post_shutdown(self.app)
        await self.app.shutdown()
        if exc[0] is None:  # every test: nobody read a "{placeholder}"
            assert self.telegram.leaked_placeholders() == []

    @property
    def services(self) -> Any:
        return self.app.bot_data["services"]

    async def settle(self) -> None:
        """Wait for handlers that run without blocking (the map, exports)."""
        while True:
            pending = [
                task
                for task in asyncio.all_tasks()
                if ("non_blocking" in task.get_name() or BACKGROUND in task.get_name())
                and not task.done()
            ]
            if not pending:
                return
            await asyncio.gather(*pending, return_exceptions=True)

    async def feed(self, update: dict[str, Any]) -> None:
        self.telegram.updates.remove(update)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        await self.settle()

    async def say(self, user_id: int, text: str, chat_id: int | None = None) -> dict[str, Any]:
        """The person sends text; returns the last message in their chat afterwards."""
        await self.feed(self.telegram.text_update(user_id, text, chat_id))
        return self.telegram.last(chat_id or user_id)

    async def press(self, user_id: int, message: dict[str, Any], label: str) -> dict[str, Any]:
        """Press the button whose text contains ``label`` on ``message``."""
        data = next(
            (
                d
                for text, d in self.telegram.buttons(message)
                if label.casefold() in text.casefold()
            ),
            None,
        )
        if data is None:
            raise AssertionError(f"no button {label!r} in {self.telegram.buttons(message)}")
        await self.feed(self.telegram.press(user_id, message["message_id"], data))
        return self.telegram.last(user_id)

    def texts(self, chat_id: int) -> list[str]:
        return [
            m.get("text") or m.get("caption") or "" for m in self.telegram.chat_messages(chat_id)
        ]
