"""With WEBAPP_URL set, /map also offers "Open the map" (a Telegram web-app button for that
workshop), and the bot serves the page and its data itself, beside its updates."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from tornado.httpclient import AsyncHTTPClient

from tests.bot.harness import TOKEN, BotHarness
from tests.bot.workshop import FACILITATOR, create_workshop
from tests.web.conftest import init_data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_map_offers_the_mini_app_which_the_bot_serves(tmp_path: Path) -> None:
    port = free_port()
    url = "https://maps.example/cjm/app"
    async with BotHarness(tmp_path, webapp_url=url, webapp_port=port) as bot:
        ws_id, _ = await create_workshop(bot)
        await bot.say(FACILITATOR, "/map")
        offers = [m for m in bot.telegram.chat_messages(FACILITATOR) if "reply_markup" in m]
        rows = offers[-1]["reply_markup"]["inline_keyboard"]
        (button,) = [b for row in rows for b in row]
        assert button["text"] == "Open the map"
        link = urlparse(button["web_app"]["url"])
        assert f"{link.scheme}://{link.netloc}{link.path}" == url
        assert parse_qs(link.query) == {"w": [ws_id], "l": ["en"]}

        client = AsyncHTTPClient()
        base = f"http://127.0.0.1:{port}/cjm"
        page = await client.fetch(f"{base}/app?{link.query}")
        assert b"cjm-config" in page.body
        auth = {"X-Telegram-Init-Data": init_data(FACILITATOR, token=TOKEN)}
        data = await client.fetch(f"{base}/api/map?w={ws_id}", headers=auth)
        assert json.loads(data.body)["map"]["title"] == "Car buyer journey 2025"


async def test_without_webapp_url_map_has_no_such_button(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        await create_workshop(bot)
        await bot.say(FACILITATOR, "/map")
        texts = [
            b["text"]
            for m in bot.telegram.chat_messages(FACILITATOR)
            for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row
        ]
        assert "Open the map" not in texts
