from __future__ import annotations

from pathlib import Path

from tests.bot.harness import BotHarness


async def test_start_without_invite_explains_the_bot(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        bot.telegram.user(10, "Anna", "en")
        reply = await bot.say(10, "/start")
        assert "Customer Journey Map" in reply["text"]


async def test_new_starts_the_setup(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        bot.telegram.user(10, "Anna", "ru")
        reply = await bot.say(10, "/new")
        print(reply)
        assert reply["text"]
