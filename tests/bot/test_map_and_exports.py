"""/map renders in a process pool and sends a Telegram-safe photo plus the full PNG;
/export sends every format as a document (the JSON export to facilitators only);
publishing posts the map to the group."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl

from bot.telegram.callback_data import Action, encode
from tests.bot.fake_telegram import png_size
from tests.bot.harness import BotHarness
from tests.bot.workshop import FACILITATOR, create_workshop, join

GROUP = -100500
ANNA = 21


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
        assert len(formats) == 6
        for label in formats:
            await bot.press(FACILITATOR, menu, label)
        documents = bot.telegram.sent(FACILITATOR, "sendDocument")
        names = {next(iter(d.names.values())) for d in documents}
        assert {
            f"cjm-{ws_id}.{ext}" for ext in ("xlsx", "csv", "json", "mmd", "pdf", "html")
        } <= names
        by_name = {next(iter(d.names.values())): next(iter(d.files.values())) for d in documents}
        exported = json.loads(by_name[f"cjm-{ws_id}.json"])
        assert exported["workshop"]["id"] == ws_id
        book = openpyxl.load_workbook(io.BytesIO(by_name[f"cjm-{ws_id}.xlsx"]))
        assert len(book.sheetnames) >= 2
        assert by_name[f"cjm-{ws_id}.pdf"][:4] == b"%PDF"
        assert b"journey" in by_name[f"cjm-{ws_id}.mmd"]
        assert b"Car buyer journey 2025" in by_name[f"cjm-{ws_id}.html"]


async def test_publish_posts_the_map_and_version_to_the_group(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        await create_workshop(bot)
        await bot.say(FACILITATOR, "/bind", chat_id=GROUP)
        done = await bot.say(FACILITATOR, "/publish")
        assert "version 1" in done["text"]
        posted = [m.get("text", "") for m in bot.telegram.chat_messages(GROUP)]
        assert any("v1" in text for text in posted)
        assert bot.telegram.sent(GROUP, "sendPhoto")


async def test_a_participant_gets_the_spreadsheets_but_not_the_json_export(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        await join(bot, ANNA, codes["sales"], "Anna")
        menu = await bot.say(ANNA, "/export")
        labels = [label for label, _ in bot.telegram.buttons(menu)]
        assert labels == [
            "📊 Excel (XLSX)",
            "📄 CSV",
            "🧜 Mermaid journey",
            "🖨 PDF",
            "🗺 HTML (interactive)",
        ]
        await bot.press(ANNA, menu, "CSV")
        (csv,) = bot.telegram.sent(ANNA, "sendDocument")
        assert next(iter(csv.names.values())) == f"cjm-{ws_id}.csv"
        assert "Car buyer journey 2025" in csv.params["caption"]

        forged = encode(Action.EXPORT, "json")  # the facilitator's button, made by hand
        await bot.feed(bot.telegram.press(ANNA, menu["message_id"], forged))
        await bot.settle()
        refusal = bot.telegram.calls[-1]
        assert refusal.method == "answerCallbackQuery" and refusal.params["show_alert"]
        assert "Only facilitators can download the JSON export" in refusal.params["text"]
        assert len(bot.telegram.sent(ANNA, "sendDocument")) == 1  # still only the CSV
