"""/map renders in a process pool and sends a Telegram-safe photo plus the full PNG;
/export sends every format as a document; publishing posts the map to the group."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl

from tests.bot.fake_telegram import png_size
from tests.bot.harness import BotHarness
from tests.bot.workshop import FACILITATOR, create_workshop

GROUP = -100500


async def test_map_and_every_export_arrive_as_files(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, _ = await create_workshop(bot)
        await bot.say(FACILITATOR, "/map")
        photo = bot.telegram.sent(FACILITATOR, "sendPhoto")[-1]
        width, height = png_size(next(iter(photo.files.values())))
        assert width + height <= 10_000 and width / height <= 20
        assert "Car buyer journey 2025" in photo.params["caption"]

        menu = await bot.say(FACILITATOR, "/export")
        formats = [label for label, _ in bot.telegram.buttons(menu)]
        assert len(formats) == 5
        for label in formats:
            await bot.press(FACILITATOR, menu, label)
        documents = bot.telegram.sent(FACILITATOR, "sendDocument")
        names = {next(iter(d.names.values())) for d in documents}
        assert {f"cjm-{ws_id}.{ext}" for ext in ("xlsx", "csv", "json", "mmd", "pdf")} <= names
        by_name = {next(iter(d.names.values())): next(iter(d.files.values())) for d in documents}
        exported = json.loads(by_name[f"cjm-{ws_id}.json"])
        assert exported["workshop"]["id"] == ws_id
        book = openpyxl.load_workbook(io.BytesIO(by_name[f"cjm-{ws_id}.xlsx"]))
        assert len(book.sheetnames) >= 2
        assert by_name[f"cjm-{ws_id}.pdf"][:4] == b"%PDF"
        assert b"journey" in by_name[f"cjm-{ws_id}.mmd"]


async def test_publish_posts_the_map_and_version_to_the_group(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        await create_workshop(bot)
        await bot.say(FACILITATOR, "/bind", chat_id=GROUP)
        done = await bot.say(FACILITATOR, "/publish")
        assert "version 1" in done["text"]
        posted = [m.get("text", "") for m in bot.telegram.chat_messages(GROUP)]
        assert any("v1" in text for text in posted)
        assert bot.telegram.sent(GROUP, "sendPhoto")
