"""/leave, /remove and /forget_me through the real Application: confirmations are taps,
a stale confirmation says it is closed, and after /forget_me nothing the bot writes —
status, members, exports, the log — names the person or carries their Telegram id."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bot.telegram.callback_data import Action, ConfirmPress, encode
from bot.telegram.reminders import deliver_due, rebuild
from flows.ports import FixedClock
from tests.bot.harness import BotHarness
from tests.builders import NOW, WorkshopBuilder, make_current
from tests.flows.test_leaving import ZOFIA, ZOFIA_ID, dealership, member

FAC, ZOFIA_TG, BOB = 9000, 777123456, 9001
TRACES = (ZOFIA, str(ZOFIA_TG), "Head of sales")


async def _dealership(bot: BotHarness) -> WorkshopBuilder:
    """The published dealership of tests.flows.test_leaving, everyone in it on Telegram."""
    ws = await dealership(bot.services.store)
    for tg, name in ((FAC, "Fac"), (ZOFIA_TG, ZOFIA), (BOB, "Bob")):
        bot.telegram.user(tg, name)
        await make_current(bot, f"tg:{tg}", ws.id)
    return ws


def _data(bot: BotHarness, message: dict[str, Any], label: str) -> str:
    return next(d for text, d in bot.telegram.buttons(message) if label in text)


def _labels(bot: BotHarness, message: dict[str, Any]) -> list[str]:
    return [text for text, _ in bot.telegram.buttons(message)]


async def _membership(bot: BotHarness, ws: WorkshopBuilder, person_id: str) -> Any:
    async with bot.services.store.read() as uow:
        return await uow.items.member_of(ws.id, person_id)


async def test_leave_is_confirmed_with_a_tap_and_a_stale_confirmation_is_closed(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await _dealership(bot)
        ask = await bot.say(ZOFIA_TG, "/leave")
        assert "Leave «Dealership»?" in ask["text"]
        assert "Your answers stay in the map, under Sales." in ask["text"]
        assert _labels(bot, ask) == ["🚪 Leave the workshop", "Cancel"]
        leave = _data(bot, ask, "Leave the workshop")

        done = await bot.press(ZOFIA_TG, ask, "Leave the workshop")

        assert done["message_id"] == ask["message_id"] and not bot.telegram.buttons(done)
        assert done["text"].startswith("You left «Dealership».")
        assert await _membership(bot, ws, ZOFIA_ID) is None
        told = bot.telegram.last(FAC)["text"]
        assert "Zofia Wiśniewska left «Dealership»" in told
        assert "1 touchpoint has no owner now" in told
        assert "1 touchpoints without an owner" in (await bot.say(FAC, "/status"))["text"]
        await bot.feed(bot.telegram.press(ZOFIA_TG, ask["message_id"], leave))  # again
        assert bot.telegram.last(ZOFIA_TG)["text"].startswith("This confirmation is closed")


async def test_cancel_leaves_everything_as_it_was(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await _dealership(bot)
        ask = await bot.say(ZOFIA_TG, "/leave")
        cancelled = await bot.press(ZOFIA_TG, ask, "Cancel")
        assert cancelled["text"] == "OK — nothing was changed."
        assert await _membership(bot, ws, ZOFIA_ID) is not None


async def test_the_last_facilitator_hands_the_workshop_over_in_two_taps(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await _dealership(bot)
        ask = await bot.say(FAC, "/leave")
        assert "You are the only facilitator of «Dealership»" in ask["text"]
        assert _labels(bot, ask) == ["Zofia Wiśniewska · Sales", "Bob · Support", "Cancel"]
        confirm = await bot.press(FAC, ask, "Bob")
        assert confirm["text"].startswith("Hand «Dealership» over to Bob and leave it?")
        assert _labels(bot, confirm) == ["🤝 Hand over and leave", "Cancel"]
        done = await bot.press(FAC, confirm, "Hand over and leave")
        assert done["text"].startswith("Bob now runs «Dealership» as a facilitator")
        assert await _membership(bot, ws, "tg:9000") is None
        assert bot.telegram.last(BOB)["text"].startswith("🤝 You run «Dealership» now")
        assert "Status of «Dealership»" in (await bot.say(BOB, "/status"))["text"]


async def test_only_a_facilitator_removes_a_member_and_the_removed_person_is_told(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await _dealership(bot)
        zofia = member(ws, ZOFIA)
        refused = await bot.say(BOB, "/remove")
        assert refused["text"] == "Only facilitators of «Dealership» can do that."
        forged = encode(Action.REMOVE, ConfirmPress.YES, ws.id, zofia.id)
        await bot.feed(bot.telegram.press(BOB, refused["message_id"], forged))
        assert bot.telegram.last(BOB)["text"] == "Only the workshop's facilitators can do that."
        assert await _membership(bot, ws, ZOFIA_ID) is not None

        choose = await bot.say(FAC, "/remove")
        assert _labels(bot, choose) == ["Zofia Wiśniewska · Sales", "Bob · Support", "Cancel"]
        confirm = await bot.press(FAC, choose, "Zofia")
        assert confirm["text"].startswith("Remove Zofia Wiśniewska from «Dealership»?")
        remove = _data(bot, confirm, "Remove")
        done = await bot.press(FAC, confirm, "Remove")

        assert done["text"].startswith("Zofia Wiśniewska no longer takes part in «Dealership».")
        assert "A facilitator removed you from «Dealership»" in bot.telegram.last(ZOFIA_TG)["text"]
        assert await _membership(bot, ws, ZOFIA_ID) is None
        await bot.feed(bot.telegram.press(FAC, confirm["message_id"], remove))  # again
        assert bot.telegram.last(FAC)["text"].startswith("This confirmation is closed")


def _document_texts(bot: BotHarness, since: int) -> dict[str, str]:
    out = {}
    for call in bot.telegram.sent(FAC, "sendDocument")[since:]:
        name, data = next(iter(call.names.values())), next(iter(call.files.values()))
        if name.endswith(".xlsx"):
            book = openpyxl.load_workbook(io.BytesIO(data))
            cells = [c for s in book for r in s.iter_rows(values_only=True) for c in r]
            out[name] = "\n".join(str(c) for c in cells)
        elif not name.endswith((".pdf", ".png")):
            out[name] = data.decode("utf-8")
    return out


async def test_after_forget_me_nothing_the_bot_writes_names_the_person(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await _dealership(bot)
        await rebuild(bot.app)
        ask = await bot.say(ZOFIA_TG, "/forget_me")
        assert "your name (Zofia Wiśniewska)" in ask["text"]
        assert "What stays: the answers you gave, under your department" in ask["text"]
        assert _labels(bot, ask) == ["🧹 Erase my data", "Cancel"]
        done = await bot.press(ZOFIA_TG, ask, "Erase my data")
        assert done["text"].startswith("Done: your personal data is erased")
        assert "A member of Sales left «Dealership» and asked" in bot.telegram.last(FAC)["text"]

        caplog.set_level(logging.DEBUG)
        caplog.clear()
        documents = len(bot.telegram.sent(FAC, "sendDocument"))
        written = [(await bot.say(FAC, command))["text"] for command in ("/status", "/members")]
        await bot.say(FAC, "/map")
        menu = await bot.say(FAC, "/export")
        for label in _labels(bot, menu):
            await bot.press(FAC, menu, label)
        await deliver_due(bot.app, ws.id)
        files = _document_texts(bot, documents)
        assert {n.rsplit(".", 1)[1] for n in files} == {"xlsx", "csv", "json", "mmd", "html"}
        json.loads(files[f"cjm-{ws.id}.json"])
        assert "Long wait at the desk" in files[f"cjm-{ws.id}.csv"]  # her answers stay
        for text in [*written, *files.values(), caplog.text]:
            assert [trace for trace in TRACES if trace in text] == []
        async with bot.services.store.read() as uow:
            assert await uow.people.get(ZOFIA_ID) is None


async def test_a_forget_me_confirmation_closes_after_a_quarter_of_an_hour(tmp_path: Path) -> None:
    clock = FixedClock(NOW)
    async with BotHarness(tmp_path, clock) as bot:
        ws = await _dealership(bot)
        ask = await bot.say(ZOFIA_TG, "/forget_me")
        clock.advance(minutes=16)
        closed = await bot.press(ZOFIA_TG, ask, "Erase my data")
        assert closed["text"].startswith("This confirmation is closed")
        assert await _membership(bot, ws, ZOFIA_ID) is not None
