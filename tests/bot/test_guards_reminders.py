"""Review reminders, beyond the happy path: the minute sweeper delivers what is due, a
reminder whose send failed on the network goes again at the next sweep, one claimed but
never delivered (the bot died) goes again after ten minutes, and an alarm rings its own
workshop's reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bot.telegram.reminders import (
    UPDATE_MEMORY_DAYS,
    WAKE,
    deliver_due,
    on_wake,
    rebuild,
    schedule_workshop,
    sweep,
)
from flows.models import Review, ReviewStatus, Role, WorkshopStatus
from flows.ports import FixedClock
from tests.bot.harness import BotHarness
from tests.builders import NOW, WorkshopBuilder, review_workshop

OWNER = 100  # Owner 0's chat


def job_context(bot: BotHarness, data: Any = None) -> Any:
    job = SimpleNamespace(data=data) if data is not None else None
    return SimpleNamespace(application=bot.app, job=job)


def no_backoff(bot: BotHarness) -> None:
    for request in bot.app.bot._request:  # noqa: SLF001 - the retrying layer's pause
        if hasattr(request, "backoff"):
            request.backoff = 0


async def reviews(bot: BotHarness, workshop_id: str) -> list[Review]:
    async with bot.services.store.read() as uow:
        return await uow.items.list(workshop_id, Review)


async def test_the_sweeper_sends_what_is_due_once(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=2)
        await rebuild(bot.app)
        await sweep(job_context(bot))
        assert len(bot.telegram.chat_messages(OWNER)) == 1
        assert len(bot.telegram.chat_messages(OWNER + 1)) == 1
        await sweep(job_context(bot))
        assert len(bot.telegram.chat_messages(OWNER)) == 1
        assert all(r.status == ReviewStatus.SENT for r in await reviews(bot, ws.id))


async def test_the_sweeper_forgets_update_ids_only_after_some_days(tmp_path: Path) -> None:
    clock = FixedClock(datetime.now(UTC))  # update ids are stamped with the real time
    async with BotHarness(tmp_path, clock) as bot:
        async with bot.services.store.write() as uow:
            assert await uow.updates.first_time("update:1")
        await sweep(job_context(bot))
        async with bot.services.store.write() as uow:
            assert not await uow.updates.first_time("update:1")  # still remembered
        clock.advance(days=UPDATE_MEMORY_DAYS, hours=1)
        await sweep(job_context(bot))
        async with bot.services.store.write() as uow:
            assert await uow.updates.first_time("update:1")  # forgotten: new again


async def test_a_reminder_that_failed_on_the_network_goes_at_the_next_sweep(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        no_backoff(bot)
        ws = await review_workshop(bot.services.store, owners=1)
        await rebuild(bot.app)
        bot.telegram.fail_5xx[OWNER] = 10
        assert await deliver_due(bot.app, ws.id) == 0
        assert bot.telegram.chat_messages(OWNER) == []
        (item,) = await reviews(bot, ws.id)
        assert item.status == ReviewStatus.SCHEDULED and item.sent_at is None
        assert item.delivered_at is None
        bot.telegram.fail_5xx[OWNER] = 0
        assert await deliver_due(bot.app, ws.id) == 1
        assert len(bot.telegram.chat_messages(OWNER)) == 1
        (item,) = await reviews(bot, ws.id)
        assert item.status == ReviewStatus.SENT and item.delivered_at == NOW


async def test_a_claim_older_than_ten_minutes_that_never_arrived_goes_again(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=2)
        await rebuild(bot.app)
        async with bot.services.store.write() as uow:
            first, second = sorted(await uow.items.list(ws.id, Review), key=lambda r: r.owner_id)
            for item, minutes in ((first, 11), (second, 9)):
                item.status = ReviewStatus.SENT
                item.sent_at = NOW - timedelta(minutes=minutes)
                await uow.items.update(item)
        assert await deliver_due(bot.app, ws.id) == 1
        owners = {r.owner_id: r for r in await reviews(bot, ws.id)}
        assert owners[first.owner_id].delivered_at == NOW
        assert owners[second.owner_id].delivered_at is None


def wake_ups(bot: BotHarness) -> list[datetime]:
    return [j.job.trigger.run_date for j in bot.app.job_queue.get_jobs_by_name(WAKE)]


async def test_the_wake_up_rings_what_is_due_and_rearms_for_the_next(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        later = await review_workshop(bot.services.store, owners=1, confirmed=NOW)
        due = await review_workshop(bot.services.store, owners=1)  # confirmed 40 days ago
        await schedule_workshop(bot.app, later.id)
        (future,) = await reviews(bot, later.id)
        assert wake_ups(bot) == [future.due_at]
        await schedule_workshop(bot.app, due.id)  # due earlier: the wake-up moves earlier
        (now_due,) = await reviews(bot, due.id)
        assert now_due.due_at < NOW and wake_ups(bot) == [NOW]
        await on_wake(job_context(bot))
        assert len(bot.telegram.chat_messages(OWNER)) == 1  # Owner 0 of the due workshop
        assert wake_ups(bot) == [future.due_at]  # re-armed for what comes next


async def test_scheduling_an_unknown_workshop_arms_nothing(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        await schedule_workshop(bot.app, "no-such-workshop")
        assert wake_ups(bot) == []
        assert await deliver_due(bot.app, "no-such-workshop") == 0


async def test_start_arms_one_wake_up_however_many_reviews(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        later = await review_workshop(bot.services.store, owners=5, confirmed=NOW)
        overdue = await review_workshop(bot.services.store, owners=5)  # confirmed 40 days ago
        assert await rebuild(bot.app) == 2
        (job,) = bot.app.job_queue.get_jobs_by_name(WAKE)
        assert job.job.coalesce is True and job.job.misfire_grace_time is None
        assert wake_ups(bot) == [NOW]  # overdue ones: at once
        assert len(await reviews(bot, later.id)) == len(await reviews(bot, overdue.id)) == 5
        assert len(bot.app.job_queue.jobs()) == 2  # the wake-up and the sweeper
        (future, *_) = await reviews(bot, later.id)
        assert future.due_at > NOW + timedelta(days=20)


async def test_the_sweeper_nudges_a_collecting_workshop_before_its_deadline(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        b = WorkshopBuilder("Shop", status=WorkshopStatus.COLLECTING, deadline=NOW.date())
        b.member("Fac", tg=9000, role=Role.FACILITATOR)
        b.member("Slow", tg=300)
        b.member("Done", tg=301, finished_at=NOW)
        await b.save(bot.services.store)
        await sweep(job_context(bot))
        assert len(bot.telegram.chat_messages(300)) == 1
        assert bot.telegram.chat_messages(301) == []
        await sweep(job_context(bot))  # once a day
        assert len(bot.telegram.chat_messages(300)) == 1


async def test_an_owner_nobody_can_reach_is_settled_not_retried(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=2)
        async with bot.services.store.write() as uow:
            gone = await uow.people.get("tg:101")
            assert gone is not None
            gone.unreachable = True
            await uow.people.save(gone)
        await rebuild(bot.app)
        assert await deliver_due(bot.app, ws.id) == 1
        assert bot.telegram.chat_messages(OWNER + 1) == []
        settled = [r for r in await reviews(bot, ws.id) if r.delivered_at == NOW]
        assert len(settled) == 2  # the unreachable owner's too: the digest lists it
        assert await deliver_due(bot.app, ws.id) == 0
