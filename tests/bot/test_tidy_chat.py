"""A tidy chat (issue 12): when a typed answer or a command moves on, the previous
question's buttons come off its message, so the chat only ever holds live buttons."""

from __future__ import annotations

from pathlib import Path

from tests.bot.harness import BotHarness
from tests.bot.workshop import FACILITATOR


def with_buttons(bot: BotHarness) -> list[int]:
    return [
        m["message_id"] for m in bot.telegram.chat_messages(FACILITATOR) if bot.telegram.buttons(m)
    ]


async def test_only_the_current_question_keeps_its_buttons(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        await bot.say(FACILITATOR, "/new")
        product = await bot.say(FACILITATOR, "Car buyer journey")
        assert bot.telegram.buttons(product)  # "Skip ›"
        template = await bot.say(FACILITATOR, "Used cars")  # typed: a new message
        assert template["message_id"] != product["message_id"]
        assert with_buttons(bot) == [template["message_id"]]

        again = await bot.say(FACILITATOR, "/back")  # a command: a new message too
        assert with_buttons(bot) == [again["message_id"]]

        await bot.say(FACILITATOR, "Used cars")
        question = bot.telegram.last(FACILITATOR)
        edited = await bot.press(FACILITATOR, question, "AIDA")  # a press edits in place
        assert edited["message_id"] == question["message_id"]
        assert with_buttons(bot) == [question["message_id"]]
        after = await bot.say(FACILITATOR, "/back")
        assert with_buttons(bot) == [after["message_id"]]


async def test_a_question_deleted_meanwhile_does_not_stop_the_next(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        await bot.say(FACILITATOR, "/new")
        product = await bot.say(FACILITATOR, "Car buyer journey")
        del bot.telegram.messages[(FACILITATOR, product["message_id"])]  # the person deleted it
        template = await bot.say(FACILITATOR, "Used cars")
        assert "AIDA" in " ".join(label for label, _ in bot.telegram.buttons(template))
        assert with_buttons(bot) == [template["message_id"]]
