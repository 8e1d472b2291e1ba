"""Finishing is announced in batches, over the fake Bot API: a person who finishes tells
nobody at once; the department's completion is one line to the facilitator and one to
the group; the facilitator gets one summary a day (who finished, who is still going),
sent by the scheduler's sweep."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from bot.telegram.notify import send_summaries
from bot.telegram.reminders import sweep
from flows.models import Department, Section, WorkshopStatus
from flows.ports import FixedClock
from tests.bot.harness import BotHarness
from tests.bot.workshop import FACILITATOR, create_workshop, join
from tests.builders import NOW

GROUP = -100555
DONE = "That is everything for your department"


async def _short_sections(bot: BotHarness, workshop_id: str) -> None:
    """Every department fills in only the emotions (one optional question per stage), and
    the workshop has a group."""
    async with bot.services.store.write() as uow:
        for department in await uow.items.list(workshop_id, Department):
            department.sections = [Section.EMOTIONS]
            await uow.items.update(department)
        workshop = await uow.workshops.get(workshop_id)
        assert workshop is not None
        workshop.group_chat_id = GROUP
        workshop.status = WorkshopStatus.COLLECTING
        await uow.workshops.update(workshop)


async def _finish(bot: BotHarness, user_id: int) -> None:
    for _ in range(12):
        if DONE in (await bot.say(user_id, "/skip"))["text"]:
            return
    raise AssertionError(f"user {user_id} did not finish")


def _count(bot: BotHarness, chat_id: int) -> int:
    return len(bot.telegram.chat_messages(chat_id))


async def test_three_finishing_colleagues_make_one_line_each_for_facilitator_and_group(
    tmp_path: Path,
) -> None:
    clock = FixedClock(NOW - timedelta(hours=6))  # 05:00 in Moscow: before the summary hour
    async with BotHarness(tmp_path, clock) as bot:
        wid, codes = await create_workshop(bot)
        await _short_sections(bot, wid)
        for user_id, name in ((201, "Pat"), (202, "Max"), (203, "Sue")):
            await join(bot, user_id, codes["marketing"], name)
        await join(bot, 204, codes["sales"], "Ola")  # another department, still going
        before_fac, before_group = _count(bot, FACILITATOR), _count(bot, GROUP)

        await _finish(bot, 201)
        await _finish(bot, 202)
        assert _count(bot, FACILITATOR) == before_fac  # single finishes: nobody is told
        assert _count(bot, GROUP) == before_group
        await _finish(bot, 203)

        told = bot.texts(FACILITATOR)[before_fac:]
        posted = bot.texts(GROUP)[before_group:]
        line = "Marketing has finished all its sections of «Car buyer journey 2025»."
        assert told == [line]
        assert posted == [line]

        assert await send_summaries(bot.app) == 0  # too early in the workshop's day
        clock.advance(hours=6)  # 11:00 in Moscow, after the 10:00 reminder time
        assert await send_summaries(bot.app) == 1
        assert await send_summaries(bot.app) == 0  # once a day, however many sweeps
        summary = bot.telegram.last(FACILITATOR)["text"]
        assert "«Car buyer journey 2025» today: 3 of 4 participants have finished." in summary
        assert "• Marketing: 3 of 3 finished" in summary
        assert "• Sales: 0 of 1 finished — still going: Ola" in summary
        assert _count(bot, GROUP) == before_group + 1  # the group never gets the summary

        clock.advance(days=1)
        assert await send_summaries(bot.app) == 1  # Ola is still going: a new day, a summary
        await _finish(bot, 204)
        clock.advance(days=1)
        assert await send_summaries(bot.app) == 1  # Ola finished yesterday: still news
        assert "2 of 2" not in bot.telegram.last(FACILITATOR)["text"]
        assert "4 of 4 participants have finished" in bot.telegram.last(FACILITATOR)["text"]
        clock.advance(days=1)
        assert await send_summaries(bot.app) == 0  # everyone finished days ago: no news


async def test_the_scheduler_sweep_sends_the_daily_summary(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:  # 11:00 in Moscow
        wid, codes = await create_workshop(bot)
        await _short_sections(bot, wid)
        await join(bot, 201, codes["sales"], "Pat")
        before = _count(bot, FACILITATOR)
        await sweep(SimpleNamespace(application=bot.app, job=None))
        await sweep(SimpleNamespace(application=bot.app, job=None))
        assert _count(bot, FACILITATOR) == before + 1
        assert (
            "• Sales: 0 of 1 finished — still going: Pat" in bot.telegram.last(FACILITATOR)["text"]
        )
