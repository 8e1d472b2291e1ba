"""A few of the bot's end-to-end tests again, through the real Application on PostgreSQL:
the same test bodies, with ``DATABASE_URL`` naming the session's test database (the
harness reads the environment like the bot does; the database is emptied after each).
They cover an answer stored once with its processed update, a button press applied once,
reminders sent once across a restart and after a crash, and a review answered in chat;
then two instances on one database (answers to either, one scheduler leader)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.answer_cpu import seed
from bot.telegram import leadership
from bot.telegram.reminders import WAKE, deliver_due, rebuild
from flows.models import Touchpoint
from flows.ports import FixedClock
from storage.postgres.store import PgStore
from tests import test_console
from tests.bot import harness, test_answer_once, test_chat, test_reminders, test_review_chat
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.harness import BotHarness
from tests.builders import NOW, review_workshop

pytestmark = pytest.mark.postgres_only

CASES: list[Callable[[Path], Awaitable[None]]] = [
    test_answer_once.test_a_typed_answer_delivered_twice_is_stored_and_answered_once,
    test_answer_once.test_a_button_press_delivered_twice_is_applied_once_in_its_answers_commit,
    test_chat.test_answers_are_stored_with_author_and_department,
    test_reminders.test_a_reminder_due_while_down_is_sent_once_after_start,
    test_reminders.test_reviews_claimed_before_a_crash_are_sent_after_the_restart,
    test_review_chat.test_update_kpi_takes_a_locale_tolerant_number,
]


@pytest.mark.parametrize("case", CASES, ids=[case.__name__.removeprefix("test_") for case in CASES])
async def test_on_postgresql(
    case: Callable[[Path], Awaitable[None]],
    database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", database)
    await case(tmp_path)
    assert not (tmp_path / "cjm.sqlite3").exists()  # it ran on PostgreSQL, not on a file


async def test_only_the_leader_sends_reminders_and_a_follower_takes_over(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database)
    other = await PgStore.open(database)  # another instance, leading
    assert await other.leads()
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        assert bot.app.job_queue.get_jobs_by_name(leadership.CHECK)
        ws = await review_workshop(bot.services.store, owners=2)
        await rebuild(bot.app)
        assert await deliver_due(bot.app, ws.id) == 0  # a follower sends nothing
        assert bot.telegram.sent(100, "sendMessage") == []
        await other.close()  # the leader is gone
        await leadership._check(SimpleNamespace(application=bot.app))  # the next check
        (wake,) = bot.app.job_queue.get_jobs_by_name(WAKE)  # armed again by the new leader
        await wake.run(bot.app)  # what the job queue does when it rings
        await bot.settle()
        assert len(bot.telegram.sent(100, "sendMessage")) == 1  # sent by the new leader
        assert len(bot.telegram.sent(101, "sendMessage")) == 1


async def test_two_instances_store_every_answer_once_and_one_of_them_sends_reminders(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two bots on one database, as behind a load balancer: 20 people's answers go to
    either, side by side, and are all stored once; only the leader sends reminders, and
    when it is gone the other sends what falls due next — each owner's card once."""
    monkeypatch.setenv("DATABASE_URL", database)
    telegram = FakeTelegram()  # one Telegram for both
    monkeypatch.setattr(harness, "FakeTelegram", lambda: telegram)
    people = list(range(200, 220))
    clock = FixedClock(NOW)
    async with BotHarness(tmp_path / "a", clock) as a, BotHarness(tmp_path / "b", clock) as b:
        await seed(database, people)  # a collecting workshop, everyone at its touchpoints
        async with a.services.store.read() as uow:
            (workshop,) = await uow.workshops.list_all()
        for uid in people:
            telegram.user(uid, f"P{uid}")
        answers = ("Showroom visit", "website", "yes", "Booking a test drive")
        for turn, text in enumerate(answers):
            await asyncio.gather(
                *(
                    (a, b)[(n + turn) % 2].say(uid, f"{text} {uid}" if turn in (0, 3) else text)
                    for n, uid in enumerate(people)
                )
            )
        async with b.services.store.read() as uow:
            names = sorted(t.name for t in await uow.items.list(workshop.id, Touchpoint))
        assert names == sorted(f"Showroom visit {uid}" for uid in people)

        first = await review_workshop(a.services.store, owners=3)  # owners: tg 100..102
        for bot in (a, b):
            await rebuild(bot.app)
        await leadership._check(SimpleNamespace(application=a.app))
        await leadership._check(SimpleNamespace(application=b.app))
        assert await deliver_due(b.app, first.id) == 0  # the follower
        assert await deliver_due(a.app, first.id) == 3  # the leader
        await a.services.store.leadership.close()  # the leader is gone ...
        a.app.bot_data["services"].store.leads = _never  # ... and asks no more
        clock.advance(minutes=20)  # (its claims would count as stuck by now)
        await leadership._check(SimpleNamespace(application=b.app))  # b takes over
        assert await deliver_due(b.app) == 0  # nothing of the first workshop again
        second = await review_workshop(b.services.store, owners=3)
        await rebuild(b.app)
        assert await deliver_due(b.app, second.id) == 3
        for owner in (100, 101, 102):  # one card of each workshop
            assert len(telegram.sent(owner, "sendMessage")) == 2


async def _never() -> bool:
    return False


async def test_the_console_works_on_postgresql_too(database: str) -> None:
    text = await test_console._session(database, test_console.SETUP + "/status\n", "anna")  # type: ignore[arg-type]
    assert "Workshop «Clinic» is created" in text and "Status of «Clinic»" in text
    again = await test_console._session(database, "/status\n", "anna")  # type: ignore[arg-type]
    assert "Status of «Clinic»" in again  # kept in the database
