"""Nothing sent twice: when Telegram accepted a message but its answer was lost (the read
timed out, the connection dropped), the bot does not send it again — in process and over
real HTTP. What could not have reached Telegram (no connection) is tried again."""

from __future__ import annotations

import time
from pathlib import Path

from tests.bot.harness import BotHarness
from tests.bot.live import LiveBot
from tests.bot.workshop import FACILITATOR


async def test_a_reply_delivered_before_its_answer_was_lost_arrives_once(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        bot.telegram.timeouts_after_delivery = 1
        await bot.say(FACILITATOR, "/new")
        messages = bot.telegram.chat_messages(FACILITATOR)
        assert len(messages) == 1 and "question 1 of" in messages[0]["text"]
        assert len(bot.telegram.sent(FACILITATOR, "sendMessage")) == 1
        reply = await bot.say(FACILITATOR, "Clinic journey")  # and the flow goes on
        assert "question 2 of" in reply["text"]


async def test_a_request_that_never_connected_is_tried_again(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        bot.telegram.timeouts = 2  # connecting timed out twice
        reply = await bot.say(FACILITATOR, "/new")
        assert "question 1 of" in reply["text"]
        assert len(bot.telegram.chat_messages(FACILITATOR)) == 1


def test_over_http_a_dropped_answer_after_delivery_is_not_sent_again(tmp_path: Path) -> None:
    with LiveBot(tmp_path) as bot:
        bot.telegram.timeouts_after_delivery = 1
        first = bot.say(FACILITATOR, "/new")
        assert "question 1 of" in first["text"]
        time.sleep(1.5)  # time for a (wrong) second attempt to arrive
        assert len(bot.telegram.chat_messages(FACILITATOR)) == 1
        assert len(bot.telegram.sent(FACILITATOR, "sendMessage")) == 1
        second = bot.say(FACILITATOR, "Clinic journey")
        assert "question 2 of" in second["text"]
        assert "Traceback" not in bot.output()


def test_one_chats_429_does_not_hold_up_anybody_else(tmp_path: Path) -> None:
    """X's reply meets a 429 asking to wait 5 s; Y, writing just after, is answered at once;
    X's reply arrives after the wait, once."""
    x, y = 501, 502
    with LiveBot(tmp_path) as bot:
        bot.telegram.user(x, "Xena")
        bot.telegram.user(y, "Yuri")
        bot.telegram.fail_429[x] = [5]
        bot.telegram.text_update(x, "/help")
        bot.wait_for(lambda: bot.telegram.refused_429 == 1, what="X's reply refused with 429")
        started = time.monotonic()
        answer = bot.say(y, "/help")
        waited = time.monotonic() - started
        assert answer["text"] and waited < 1.0, f"Y waited {waited:.2f} s"
        assert bot.telegram.chat_messages(x) == []  # X is still waiting out the 429
        bot.wait_for(lambda: len(bot.telegram.chat_messages(x)) == 1, what="X's reply")
        time.sleep(0.3)
        assert len(bot.telegram.chat_messages(x)) == 1
