"""A tidy chat kept in the database: the previous question's buttons come off whichever
instance sends the next question — after a restart, or with two instances on one database
(here SQLite; tests/bot/test_on_postgresql.py runs both on PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

from tests.bot import harness
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.harness import BotHarness
from tests.bot.workshop import FACILITATOR


def with_buttons(telegram: FakeTelegram) -> list[int]:
    return [m["message_id"] for m in telegram.chat_messages(FACILITATOR) if telegram.buttons(m)]


async def test_after_a_restart_the_next_question_takes_the_buttons_off(tmp_path: Path) -> None:
    telegram = FakeTelegram()  # the same chats before and after
    with mock.patch.object(harness, "FakeTelegram", lambda: telegram):
        async with BotHarness(tmp_path) as bot:
            await bot.say(FACILITATOR, "/new")
            product = await bot.say(FACILITATOR, "Car buyer journey")
            assert telegram.buttons(product)  # "Skip ›"
        async with BotHarness(tmp_path) as bot:
            template = await bot.say(FACILITATOR, "Used cars")
    assert template["message_id"] != product["message_id"]
    assert with_buttons(telegram) == [template["message_id"]]


async def test_an_answer_on_the_other_instance_takes_the_buttons_off(tmp_path: Path) -> None:
    telegram = FakeTelegram()  # one Telegram for both
    with mock.patch.object(harness, "FakeTelegram", lambda: telegram):
        async with BotHarness(tmp_path) as a, BotHarness(tmp_path) as b:
            await a.say(FACILITATOR, "/new")
            product = await a.say(FACILITATOR, "Car buyer journey")
            assert telegram.buttons(product)
            template = await b.say(FACILITATOR, "Used cars")  # the other instance
            assert with_buttons(telegram) == [template["message_id"]]
            after = await a.say(FACILITATOR, "/back")  # and back on the first
            assert with_buttons(telegram) == [after["message_id"]]
