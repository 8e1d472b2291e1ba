"""Reminders at scale, through the real Application with a fixed clock: what is due is
found through the schedule index, delivered in batches with the write lock free while
sending, claimed once even by two bots at once, digests bounded per sweep, and a changed
time zone or an absence that ends re-plans the pending cards at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.telegram import reminders, review_rounds
from bot.telegram.reminders import WAKE, deliver_due, on_wake, rebuild, sweep
from flows.models import Review, ReviewStatus
from flows.ports import FixedClock
from flows.review import cycle
from tests.bot.harness import BotHarness
from tests.builders import NOW, make_current, review_workshop

OWNER = 100  # Owner 0's chat
FACILITATOR = 9000


def wake_ups(bot: BotHarness) -> list[datetime]:
    return [j.job.trigger.run_date for j in bot.app.job_queue.get_jobs_by_name(WAKE)]


def cards(bot: BotHarness, owners: int) -> dict[int, int]:
    return {c: len(bot.telegram.chat_messages(c)) for c in range(OWNER, OWNER + owners)}


async def reviews(bot: BotHarness, workshop_id: str) -> dict[str, Review]:
    async with bot.services.store.read() as uow:
        return {r.owner_id: r for r in await uow.items.list(workshop_id, Review)}


async def test_a_review_moved_later_is_not_sent_and_one_moved_back_is(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=2)  # both due
        await rebuild(bot.app)
        later = (await reviews(bot, ws.id))[ws.owners[1].id]
        async with bot.services.store.write() as uow:
            later.due_at = NOW + timedelta(days=2)
            await uow.items.update(later)
        assert await deliver_due(bot.app) == 1
        assert cards(bot, 2) == {OWNER: 1, OWNER + 1: 0}
        assert wake_ups(bot) == [later.due_at]  # the next wake-up: the one moved later
        bot.clock.advance(days=2)
        assert await deliver_due(bot.app) == 1
        assert cards(bot, 2) == {OWNER: 1, OWNER + 1: 1}


async def test_many_owners_go_in_batches_once_each_in_a_few_short_transactions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reminders, "BATCH_OWNERS", 3)
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=8, touchpoints_each=2)
        await rebuild(bot.app)
        db = bot.services.store.db
        opened = 0
        transaction = db.transaction

        def counted() -> Any:
            nonlocal opened
            opened += 1
            return transaction()

        monkeypatch.setattr(db, "transaction", counted)
        assert await deliver_due(bot.app, ws.id) == 8
        # claims of 3, 3 and 2 owners (each settling what went before), an empty one, the
        # last settling, and one short write per message (its reviews handed to Telegram
        # just before it leaves): not one per review
        assert opened == 5 + 8
        assert cards(bot, 8) == {c: 1 for c in range(OWNER, OWNER + 8)}
        assert "TP 7.1" in bot.telegram.last(OWNER + 7)["text"]  # both of an owner's, together
        stored = await all_reviews(bot, ws.id)
        assert all(r.status == ReviewStatus.SENT and r.delivered_at == NOW for r in stored)
        assert await deliver_due(bot.app, ws.id) == 0


async def test_two_bots_delivering_at_once_send_each_reminder_once(tmp_path: Path) -> None:
    clock = FixedClock(NOW)
    async with BotHarness(tmp_path, clock) as one, BotHarness(tmp_path, clock) as two:
        ws = await review_workshop(one.services.store, owners=6)
        await rebuild(one.app)
        sent = await asyncio.gather(deliver_due(one.app), deliver_due(two.app, ws.id))
        got = {
            c: len(one.telegram.chat_messages(c)) + len(two.telegram.chat_messages(c))
            for c in range(OWNER, OWNER + 6)
        }
        assert sum(sent) == 6 and got == {c: 1 for c in range(OWNER, OWNER + 6)}


async def test_concurrent_claims_take_disjoint_owners_and_all_of_each(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=5, touchpoints_each=2)
        await rebuild(bot.app)
        store = bot.services.store

        async def claim() -> list[Review]:
            async with store.write() as uow:
                due = await cycle.to_send(uow, NOW, owners=3)
                await cycle.mark_sent(uow, due, NOW)
                return due

        first, second = await asyncio.gather(claim(), claim())
        assert {r.owner_id for r in first}.isdisjoint(r.owner_id for r in second)
        assert (len(first), len(second)) == (6, 4)  # 3 owners then the other 2, 2 each
        assert {r.id for r in first + second} == {r.id for r in await all_reviews(bot, ws.id)}
        assert await claim() == []


async def all_reviews(bot: BotHarness, workshop_id: str) -> list[Review]:
    async with bot.services.store.read() as uow:
        return await uow.items.list(workshop_id, Review)


async def test_the_sweeper_sends_a_bounded_number_of_digests_each_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review_rounds, "DIGESTS_PER_SWEEP", 2)
    monkeypatch.setattr(review_rounds, "DIGESTS_PER_SECOND", 1000.0)
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        for _ in range(3):  # nothing due: only digests go to the facilitator
            await review_workshop(bot.services.store, owners=1, confirmed=NOW, schedule=NOW)
        context = SimpleNamespace(application=bot.app, job=None)
        counts = []
        for _ in range(3):
            await sweep(context)  # type: ignore[arg-type]
            counts.append(len(bot.telegram.chat_messages(FACILITATOR)))
        assert counts == [2, 3, 3]
        assert "review" in bot.telegram.last(FACILITATOR)["text"].lower()


async def test_a_new_time_zone_sends_the_card_that_waited_for_morning(tmp_path: Path) -> None:
    early = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)  # 07:00 in Warsaw (quiet), 10:00 in Almaty
    async with BotHarness(tmp_path, FixedClock(early)) as bot:
        ws = await review_workshop(bot.services.store, owners=1, confirmed=early, schedule=early)
        await make_current(bot, "tg:9000", ws.id)
        await make_current(bot, "tg:100", ws.id)
        await bot.say(FACILITATOR, "/review")  # a round now: quiet hours, so at 09:00
        (waiting,) = (await reviews(bot, ws.id)).values()
        assert waiting.due_at == datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
        assert bot.telegram.chat_messages(OWNER) == []
        await bot.say(OWNER, "/timezone Asia/Almaty")
        (moved,) = (await reviews(bot, ws.id)).values()
        assert moved.due_at == early and wake_ups(bot) == [early]  # due now: rings at once
        await on_wake(SimpleNamespace(application=bot.app, job=None))  # type: ignore[arg-type]
        assert "TP 0.0" in bot.telegram.last(OWNER)["text"]


async def test_ending_an_absence_sends_what_fell_due_during_it(tmp_path: Path) -> None:
    clock = FixedClock(NOW - timedelta(days=20))  # Tuesday 12 May
    async with BotHarness(tmp_path, clock) as bot:
        confirmed = NOW - timedelta(days=48)
        ws = await review_workshop(bot.services.store, owners=1, confirmed=confirmed)
        await rebuild(bot.app)  # due on Thursday 14 May, 10:00 Warsaw
        await make_current(bot, "tg:100", ws.id)
        await bot.say(OWNER, "/away 30.07.2026")
        clock.advance(days=10)  # Friday 22 May, 10:00 Warsaw: its time passed meanwhile
        assert await deliver_due(bot.app) == 0
        await bot.say(OWNER, "/away off")
        (back,) = (await reviews(bot, ws.id)).values()
        assert back.due_at == clock.now() and wake_ups(bot) == [clock.now()]
        await on_wake(SimpleNamespace(application=bot.app, job=None))  # type: ignore[arg-type]
        assert "TP 0.0" in bot.telegram.last(OWNER)["text"]


async def test_a_changed_reminder_time_moves_every_pending_card_at_once(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:  # Monday 10:00 in Warsaw
        ws = await review_workshop(bot.services.store, owners=2, confirmed=NOW, schedule=NOW)
        await rebuild(bot.app)
        before = await reviews(bot, ws.id)
        async with bot.services.store.write() as uow:
            workshop = await uow.workshops.get(ws.id)
            assert workshop is not None
            workshop.reminder_time = time(15, 30)
            await uow.workshops.update(workshop)
        assert await reminders.replan_workshop(bot.app, ws.id) == 2
        after = await reviews(bot, ws.id)
        for owner, item in after.items():
            local = item.due_at.astimezone(ZoneInfo("Europe/Warsaw"))
            assert local.date() == before[owner].due_at.astimezone(ZoneInfo("Europe/Warsaw")).date()
            assert local.time() == time(15, 30)
        assert wake_ups(bot) == [min(r.due_at for r in after.values())]
        assert await reminders.replan_workshop(bot.app, ws.id) == 0  # nothing moves twice


async def test_every_sweep_runs_its_hooks_and_one_that_fails_stops_no_other(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ran: list[str] = []

        async def broken(app: Any) -> None:
            ran.append("broken")
            raise RuntimeError("a rule went wrong")

        async def rules(app: Any) -> None:
            assert app is bot.app
            ran.append("rules")

        reminders.add_sweep_hook(bot.app, broken)
        reminders.add_sweep_hook(bot.app, rules)
        context = SimpleNamespace(application=bot.app, job=None)
        await sweep(context)  # type: ignore[arg-type]
        await sweep(context)  # type: ignore[arg-type]
        assert ran == ["broken", "rules", "broken", "rules"]


async def test_a_claim_that_fails_after_sends_loses_no_settlement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reminders, "BATCH_OWNERS", 1)
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=6)
        await rebuild(bot.app)
        to_send, failed = cycle.to_send, False

        async def fails_once_something_went(*args: Any, **kwargs: Any) -> list[Review]:
            nonlocal failed
            if not failed and sum(cards(bot, 6).values()) > 0:
                failed = True  # this claim's transaction also settles what went: rolled back
                raise RuntimeError("the disk is full")
            return await to_send(*args, **kwargs)

        monkeypatch.setattr(cycle, "to_send", fails_once_something_went)
        with pytest.raises(RuntimeError):
            await deliver_due(bot.app, ws.id)
        went = sum(cards(bot, 6).values())
        delivered = [r for r in await all_reviews(bot, ws.id) if r.delivered_at == NOW]
        assert failed and 0 < went < 6 and len(delivered) == went  # settled all the same
        bot.clock.advance(minutes=11)  # even once their claims would count as stale
        assert await deliver_due(bot.app, ws.id) == 6 - went
        assert cards(bot, 6) == {c: 1 for c in range(OWNER, OWNER + 6)}
