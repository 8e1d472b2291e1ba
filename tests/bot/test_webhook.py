"""Webhook mode: with WEBHOOK_URL set, ``cjm-bot run`` registers the webhook with the
(fake) Bot API and serves updates POSTed to it — only with the right secret."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.bot.live import LiveBot

SECRET = "webhook-secret-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post(url: str, update: dict, secret: str) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(update).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
    )
    deadline = time.monotonic() + 10  # the server may still be starting on a busy machine
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except urllib.error.URLError as error:
            if not isinstance(error.reason, ConnectionRefusedError) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_webhook_mode_serves_updates_with_the_right_secret(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    env = {
        "WEBHOOK_URL": url,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": SECRET,
    }
    with LiveBot(tmp_path, env) as bot:
        assert bot.telegram.webhook is not None
        assert bot.telegram.webhook["url"] == url
        assert bot.telegram.webhook["secret_token"] == SECRET
        bot.telegram.user(10, "Anna", "en")
        forged = bot.telegram.text_update(10, "/start")
        assert post(url, forged, "wrong") == 403
        update = bot.telegram.text_update(10, "/new")
        assert post(url, update, SECRET) == 200
        bot.wait_for(lambda: bool(bot.telegram.chat_messages(10)), what="the answer")
        assert [m["text"].count("question 1 of") for m in bot.telegram.chat_messages(10)] == [1]


@pytest.mark.parametrize("value", ["ftp://example.org/hook"])
def test_a_bad_webhook_url_is_refused_naming_the_setting(value: str) -> None:
    from bot.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match="WEBHOOK_URL"):
        load_settings(_env_file=None, webhook_url=value)
