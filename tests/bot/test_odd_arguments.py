"""Every command argument of any length and content gets a clear message: never the
generic error, never silence, exactly one answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.texts import t
from tests.bot.harness import BotHarness
from tests.bot.workshop import FACILITATOR, create_workshop

ODD = [
    "x" * 300,
    "Europe/" + "../" * 40,
    "\u200b\u2060\ufeff",
    "<b>&amp;</b>",
    "💥" * 200,
    "31.02.2027",
    "-1",
]


@pytest.mark.parametrize("command", ["/timezone", "/away", "/start", "/language"])
@pytest.mark.parametrize("argument", ODD)
async def test_an_odd_argument_gets_one_clear_answer(
    tmp_path: Path, command: str, argument: str
) -> None:
    async with BotHarness(tmp_path) as bot:
        await create_workshop(bot)
        before = len(bot.telegram.chat_messages(FACILITATOR))
        await bot.say(FACILITATOR, f"{command} {argument}")
        answers = bot.telegram.chat_messages(FACILITATOR)[before:]
        assert len(answers) == 1, [a.get("text") for a in answers]
        text = answers[0].get("text") or ""
        assert text and t("en", "bot.error.generic") not in text
        assert "{" not in text
