"""Review reminders through the real Application: rebuild at start, catch-up after
downtime, retries on 429, blocked owners, one message per owner."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.telegram.reminders import SWEEPER, WAKE, deliver_due, rebuild
from flows.models import Review, ReviewStatus
from flows.ports import FixedClock
from flows.review import cycle
from tests.bot.harness import BotHarness
from tests.builders import NOW, review_workshop


def review_jobs(bot: BotHarness) -> list[str]:
    return sorted(j.name for j in bot.app.job_queue.jobs() if j.name.startswith("review"))


async def test_two_starts_on_one_database_arm_one_wake_up_and_one_sweeper(
    tmp_path: Path,
) -> None:
    clock = FixedClock(NOW - timedelta(days=20))
    async with BotHarness(tmp_path, clock) as bot:
        ws = await review_workshop(bot.services.store, owners=3)
        assert await rebuild(bot.app) == 1  # the workshop had no schedule yet
        first = review_jobs(bot)
    async with BotHarness(tmp_path, clock) as bot:
        assert await rebuild(bot.app) == 0  # nothing to repair: not rescheduled
        await rebuild(bot.app)
        second = review_jobs(bot)
        async with bot.services.store.read() as uow:
            reviews = await uow.items.list(ws.id, Review)
        (wake,) = bot.app.job_queue.get_jobs_by_name(WAKE)
        assert wake.job.trigger.run_date == min(r.due_at for r in reviews)
    tps = {r.touchpoint_id for r in reviews}
    assert len(reviews) == 3 == len(tps)
    assert first == second == sorted([SWEEPER, WAKE])


async def test_a_reminder_due_while_down_is_sent_once_after_start(tmp_path: Path) -> None:
    clock = FixedClock(NOW)
    async with BotHarness(tmp_path, clock) as bot:
        ws = await review_workshop(bot.services.store, owners=1)
        await rebuild(bot.app)  # schedules: confirmed 40 days ago -> already due
        assert await deliver_due(bot.app, ws.id) == 1
        assert await deliver_due(bot.app, ws.id) == 0
    async with BotHarness(tmp_path, clock) as bot:  # a restart sends nothing again
        await rebuild(bot.app)
        assert await deliver_due(bot.app, ws.id) == 0
        cards = [c for c in bot.telegram.calls if c.method == "sendMessage"]
    assert cards == []


async def test_reviews_claimed_before_a_crash_are_sent_after_the_restart(tmp_path: Path) -> None:
    clock = FixedClock(NOW)
    async with BotHarness(tmp_path, clock) as bot:
        ws = await review_workshop(bot.services.store, owners=2)
        await rebuild(bot.app)
        async with bot.services.store.write() as uow:  # deliver_due's claim, then the crash
            due = await cycle.due_reviews(uow, ws.id, clock.now())
            await cycle.mark_sent(uow, due, NOW, claim="a pass that died")
    clock.advance(minutes=1)
    async with BotHarness(tmp_path, clock) as bot:
        await rebuild(bot.app)  # never handed to Telegram: released at start
        assert await deliver_due(bot.app, ws.id) == 2  # at once, not after ten minutes
        for owner in (100, 101):
            assert f"TP {owner - 100}.0" in bot.telegram.last(owner)["text"]
        assert await deliver_due(bot.app, ws.id) == 0  # and only once
        async with bot.services.store.read() as uow:
            reviews = await uow.items.list(ws.id, Review)
        assert all(r.delivered_at == clock.now() for r in reviews)


async def test_several_due_touchpoints_come_as_one_message(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=1, touchpoints_each=3)
        await rebuild(bot.app)
        assert await deliver_due(bot.app, ws.id) == 1
        message = bot.telegram.last(100)
        assert "3" in message["text"] and "TP 0.2" in message["text"]
        labels = [label for label, _ in bot.telegram.buttons(message)]
        assert len(labels) == 4 and "All up to date" in labels[-1]


async def test_429_twice_still_delivers_exactly_once(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=1)
        await rebuild(bot.app)
        bot.telegram.fail_429[100] = [1, 1]
        assert await deliver_due(bot.app, ws.id) == 1
        attempts = [c for c in bot.telegram.sent(100, "sendMessage")]
        assert len(attempts) == 3  # two refused, one accepted
        assert len(bot.telegram.chat_messages(100)) == 1
        assert await deliver_due(bot.app, ws.id) == 0


async def test_one_blocked_owner_of_fifty_does_not_stop_the_others(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=50)
        await rebuild(bot.app)
        bot.telegram.blocked.add(117)
        assert await deliver_due(bot.app, ws.id) == 49
        delivered = {c for c in range(100, 150) if bot.telegram.chat_messages(c)}
        assert delivered == set(range(100, 150)) - {117}
        notice = bot.telegram.last(9000)["text"]
        assert "Owner 17" in notice and "blocked" in notice
        async with bot.services.store.read() as uow:
            person = await uow.people.get("tg:117")
            reviews = await uow.items.list(ws.id, Review)
        assert person.unreachable
        assert all(r.status == ReviewStatus.SENT for r in reviews)
        assert await deliver_due(bot.app, ws.id) == 0
