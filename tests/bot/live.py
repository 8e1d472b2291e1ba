"""``cjm-bot run`` as a real process, polling a FakeBotApiServer over HTTP on loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_transport import FakeBotApiServer

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "987654:LIVE-token-for-the-fake-bot-api-0000"


class LiveBot:
    def __init__(self, tmp_path: Path, extra_env: dict[str, str] | None = None) -> None:
        self.extra_env = extra_env or {}
        self.telegram = FakeTelegram()
        self.server = FakeBotApiServer(self.telegram, TOKEN)
        self.db = tmp_path / "live.sqlite3"
        self.log = tmp_path / "bot.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LiveBot:
        self.server.__enter__()
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.server.__exit__()
        if exc[0] is None:  # every test: nobody read a "{placeholder}"
            assert self.telegram.leaked_placeholders() == []

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
        env.update(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=self.server.base_url,
            DATABASE_PATH=str(self.db),
            LOG_LEVEL="INFO",
            PYTHONPATH=str(ROOT),
            # the one-process-per-token lock lives in the temporary folder: a test's own, so
            # test runs side by side on this machine do not see each other's bots
            TMPDIR=str(self.db.parent),
        )
        env.update(self.extra_env)
        return env

    def start(self) -> None:
        calls = len(self.telegram.calls)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run"],
                cwd=ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        ready = "setWebhook" if "WEBHOOK_URL" in self.extra_env else "getUpdates"
        self.wait_for(
            lambda: any(c.method == ready for c in self.telegram.calls[calls:]),
            what=f"the bot to start ({ready})",
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def wait_for(self, condition: Any, what: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"the bot exited while waiting for {what}:\n{self.output()}")
            time.sleep(0.02)
        raise AssertionError(f"timed out waiting for {what}:\n{self.output()[-3000:]}")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def _answers(self, chat_id: int) -> int:
        """What the person sees as an answer: a message sent or edited — not the buttons
        taken off an earlier question (a tidy chat), which may come just after."""
        return sum(c.method != "editMessageReplyMarkup" for c in self.telegram.sent(chat_id))

    def _answered(self, chat_id: int, before: int) -> bool:
        return self._answers(chat_id) > before

    def say(self, user_id: int, text: str) -> dict[str, Any]:
        before = self._answers(user_id)
        self.telegram.text_update(user_id, text)
        self.wait_for(lambda: self._answered(user_id, before), what=f"an answer to {text!r}")
        return self.telegram.last(user_id)

    def press(self, user_id: int, message: dict[str, Any], label: str) -> dict[str, Any]:
        data = next(
            (d for t, d in self.telegram.buttons(message) if label.casefold() in t.casefold()), None
        )
        assert data is not None, f"no button {label!r} in {self.telegram.buttons(message)}"
        before = self._answers(user_id)
        self.telegram.press(user_id, message["message_id"], data)
        self.wait_for(lambda: self._answered(user_id, before), what=f"the result of {label!r}")
        return self.telegram.last(user_id)
