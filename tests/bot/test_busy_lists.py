"""Over HTTP through the real Application: five touchpoints typed in one message are five
touchpoints, each asked only for its channel; whole sections end in one tap."""

from __future__ import annotations

from pathlib import Path

from flows.models import Touchpoint
from tests.bot.harness import BotHarness
from tests.bot.workshop import create_workshop, join

ANNA = 41


async def test_five_touchpoints_in_one_message_store_five(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        persona = await join(bot, ANNA, codes["marketing"], "Anna")
        stages = await bot.press(ANNA, persona, "Nothing to add")  # the persona stays empty
        assert "Stages" in stages["text"]
        emotions = await bot.press(ANNA, stages, "Nothing more in this section")
        assert "Emotions" in emotions["text"]
        touchpoints = await bot.say(ANNA, "1 1 2 1 1")  # every stage's score at once
        assert "where does the customer meet us?" in touchpoints["text"]
        question = await bot.say(
            ANNA, "Search ads\nWebsite — build and price\nTest drive\nHotline\nShowroom"
        )
        for name in ("Search ads", "Website", "Test drive", "Hotline", "Showroom"):
            assert f"«{name}»: which channel is it?" in question["text"]
            question = await bot.press(ANNA, question, "Website")
        assert "«Evaluation»: where does the customer meet us?" in question["text"]
        async with bot.services.store.read() as uow:
            found = await uow.items.list(ws_id, Touchpoint)
        assert [(t.name, t.channel, t.description) for t in found] == [
            ("Search ads", "website", ""),
            ("Website", "website", "build and price"),
            ("Test drive", "website", ""),
            ("Hotline", "website", ""),
            ("Showroom", "website", ""),
        ]
        for _, data in bot.telegram.buttons(question):
            assert len(data.encode()) <= 64
