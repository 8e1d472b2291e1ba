"""A typed answer through the real Application: stored, its update recorded and the chat
remembered in one transaction; Telegram delivering it again changes and sends nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from telegram import Update

from flows.conversation import runner
from flows.conversation.spec import Ctx
from flows.models import (
    Department,
    Member,
    Person,
    Section,
    Stage,
    Touchpoint,
    Workshop,
    WorkshopStatus,
)
from tests.bot.harness import BotHarness

ANNA = 31


async def _at_touchpoints(bot: BotHarness) -> str:
    """Anna, a member of a collecting workshop, at its touchpoints question."""
    ws = Workshop(title="Dealership", status=WorkshopStatus.COLLECTING)
    dept = Department(workshop_id=ws.id, name="Sales", sections=[Section.TOUCHPOINTS])
    async with bot.services.store.write() as uow:
        await uow.workshops.add(ws)
        await uow.items.add(dept)
        await uow.items.add(Stage(workshop_id=ws.id, order=0, name="Test drive"))
        await uow.people.save(Person(id=f"tg:{ANNA}", name="Anna", language="en"))
        await uow.items.add(
            Member(workshop_id=ws.id, person_id=f"tg:{ANNA}", name="Anna", department_id=dept.id)
        )

    async def begin(ctx: Ctx) -> None:
        await runner.enter(ctx, "touchpoints")

    await bot.services.engine.start(f"tg:{ANNA}", begin, workshop_id=ws.id)
    bot.telegram.user(ANNA, "Anna")
    return ws.id


async def _deliver(bot: BotHarness, update: dict[str, Any]) -> None:
    await bot.app.process_update(Update.de_json(update, bot.app.bot))


def _replies(bot: BotHarness) -> int:
    return len(bot.telegram.sent(ANNA, "sendMessage"))


async def test_a_typed_answer_delivered_twice_is_stored_and_answered_once(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        wid = await _at_touchpoints(bot)
        await bot.say(ANNA, "Showroom visit\nDealer website")  # two touchpoints, one message
        update = bot.telegram.text_update(ANNA, "website")  # the first one's channel
        bot.telegram.updates.remove(update)
        await _deliver(bot, update)
        saved = bot.telegram.last(ANNA)
        assert "saved" in saved["text"].lower() and "«Dealer website»" in saved["text"]
        sent = _replies(bot)

        await _deliver(bot, update)  # after a restart, before the offset was confirmed

        assert _replies(bot) == sent
        async with bot.services.store.read() as uow:
            names = [t.name for t in await uow.items.list(wid, Touchpoint)]
        assert names == ["Showroom visit"]
        nxt = await bot.say(ANNA, "website")  # the next answer is the next one's channel
        assert "saved" in nxt["text"].lower()
        async with bot.services.store.read() as uow:
            names = [t.name for t in await uow.items.list(wid, Touchpoint)]
        assert names == ["Showroom visit", "Dealer website"]


async def test_a_typed_answer_remembers_the_chat_and_that_it_is_reachable(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path) as bot:
        await _at_touchpoints(bot)
        async with bot.services.store.write() as uow:
            person = await uow.people.get(f"tg:{ANNA}")
            assert person is not None and person.chat_id is None
            person.unreachable = True
            await uow.people.save(person)

        reply = await bot.say(ANNA, "Showroom visit")

        assert "channel" in reply["text"].lower()
        async with bot.services.store.read() as uow:
            person = await uow.people.get(f"tg:{ANNA}")
        assert person is not None and person.chat_id == ANNA and not person.unreachable


async def test_a_command_delivered_twice_is_answered_once(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        await _at_touchpoints(bot)
        update = bot.telegram.text_update(ANNA, "/help")
        bot.telegram.updates.remove(update)
        await _deliver(bot, update)
        sent = _replies(bot)
        await _deliver(bot, update)
        assert sent == 1 and _replies(bot) == 1


async def test_a_button_press_delivered_twice_is_applied_once_in_its_answers_commit(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path) as bot:
        await _at_touchpoints(bot)
        ask = await bot.say(ANNA, "Showroom visit\nDealer website")  # now the channel buttons
        data = next(d for label, d in bot.telegram.buttons(ask) if "website" in label.lower())
        update = bot.telegram.press(ANNA, ask["message_id"], data)
        bot.telegram.updates.remove(update)
        await _deliver(bot, update)
        async with bot.services.store.write() as uow:  # (would record it, were it new)
            seen = await uow.updates.first_time(f"tg:{update['update_id']}")
        assert seen is False  # recorded, by the answer's own transaction
        after = bot.telegram.last(ANNA)["text"]
        edits = len(bot.telegram.sent(ANNA, "editMessageText"))

        await _deliver(bot, update)  # Telegram delivers it again

        assert len(bot.telegram.sent(ANNA, "editMessageText")) == edits
        assert bot.telegram.last(ANNA)["text"] == after


async def test_a_press_whose_answer_failed_is_applied_when_delivered_again(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """The press's update is recorded only with its answer: when storing the answer fails
    (the process dies, the disk is full), Telegram's redelivery still applies it."""
    from storage.positions import SqlitePositionRepo

    async with BotHarness(tmp_path) as bot:
        wid = await _at_touchpoints(bot)
        ask = await bot.say(ANNA, "Showroom visit\nDealer website")
        data = next(d for label, d in bot.telegram.buttons(ask) if "website" in label.lower())
        update = bot.telegram.press(ANNA, ask["message_id"], data)
        bot.telegram.updates.remove(update)
        real_save = SqlitePositionRepo.save
        failures = {"left": 1}

        async def failing_once(self: Any, position: Any) -> None:
            if failures["left"]:
                failures["left"] -= 1
                raise RuntimeError("the disk is full")
            await real_save(self, position)

        monkeypatch.setattr(SqlitePositionRepo, "save", failing_once)
        await _deliver(bot, update)  # fails: nothing of it is stored
        await _deliver(bot, update)  # delivered again: applied now
        async with bot.services.store.read() as uow:
            position = await uow.positions.get(f"tg:{ANNA}", wid)
        assert position is not None and position.step == "touchpoints.channel"  # the next one
        async with bot.services.store.read() as uow:
            found = [(t.name, t.channel) for t in await uow.items.list(wid, Touchpoint)]
        assert found == [("Showroom visit", "website")]
