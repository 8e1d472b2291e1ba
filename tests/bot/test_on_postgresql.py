"""A few of the bot's end-to-end tests again, through the real Application on PostgreSQL:
the same test bodies, with ``DATABASE_URL`` naming the session's test database (the
harness reads the environment like the bot does; the database is emptied after each).
They cover an answer stored once with its processed update, a button press applied once,
reminders sent once across a restart and after a crash, and a review answered in chat;
then two instances on one database (answers to either, one scheduler leader)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.answer_cpu import seed
from bot.telegram import leadership
from bot.telegram.reminders import WAKE, deliver_due, rebuild
from flows.models import Review, Touchpoint
from flows.ports import FixedClock
from flows.review import cycle
from storage.postgres.store import PgStore
from tests import test_console
from tests.bot import (
    harness,
    test_answer_once,
    test_chat,
    test_reminders,
    test_reminders_fenced,
    test_review_chat,
    test_tidy_chat_shared,
)
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.harness import BotHarness
from tests.bot.live import LiveBot
from tests.bot.test_webhook import SECRET, free_port, post
from tests.builders import NOW, review_workshop
from tests.pg_cluster import Cluster, run_now

pytestmark = pytest.mark.postgres_only

CASES: list[Callable[[Path], Awaitable[None]]] = [
    test_answer_once.test_a_typed_answer_delivered_twice_is_stored_and_answered_once,
    test_answer_once.test_a_button_press_delivered_twice_is_applied_once_in_its_answers_commit,
    test_chat.test_answers_are_stored_with_author_and_department,
    test_reminders.test_a_reminder_due_while_down_is_sent_once_after_start,
    test_reminders.test_reviews_claimed_before_a_crash_are_sent_after_the_restart,
    test_reminders_fenced.test_a_reminder_handed_to_telegram_before_a_crash_is_not_sent_again,
    test_review_chat.test_update_kpi_takes_a_locale_tolerant_number,
    test_tidy_chat_shared.test_after_a_restart_the_next_question_takes_the_buttons_off,
    test_tidy_chat_shared.test_an_answer_on_the_other_instance_takes_the_buttons_off,
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


def _due_soon(url: str, owners: int, seconds: float) -> list[str]:
    """A published workshop whose ``owners`` reviews all fall due ``seconds`` from now."""

    async def make() -> list[str]:
        store = await PgStore.open(url)
        try:
            built = await review_workshop(store, owners=owners)  # no reviews yet
            due = datetime.now(UTC) + timedelta(seconds=seconds)
            async with store.write() as uow:  # scheduled and moved in one transaction
                for review in await cycle.schedule_workshop(uow, built.workshop, due):
                    review.due_at = due
                    await uow.items.update(review)
            async with store.read() as uow:
                reviews = await uow.items.list(built.id, Review)
            assert len(reviews) == owners and {r.due_at for r in reviews} == {due}
            return [m.id for m in built.owners]
        finally:
            await store.close()

    return run_now(make())


def test_two_webhook_bots_on_one_database_survive_the_leaders_sigkill(
    pg_cluster: Cluster, tmp_path: Path
) -> None:
    """Two ``cjm-bot run`` processes in webhook mode on one database, one Telegram: the
    answers of 20 people posted to either alternately are each stored once; the scheduler's
    leader is killed with SIGKILL before 30 reviews fall due, and the other sends every
    owner's card exactly once, within 10 s of the due time."""
    url = run_now(pg_cluster.new_database(migrated=False))
    people = list(range(200, 220))
    run_now(seed(url, people))  # (makes the tables, too)
    bots, hooks = [], []
    for name in ("a", "b"):
        port = free_port()
        hooks.append(f"http://127.0.0.1:{port}/hook")
        env = {
            "DATABASE_URL": url,
            "WEBHOOK_URL": hooks[-1],
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "WEBHOOK_SECRET": SECRET,
        }
        (tmp_path / name).mkdir()
        bots.append(LiveBot(tmp_path / name, env))
    a, b = bots
    b.telegram, b.server = a.telegram, a.server  # one Telegram for both
    telegram = a.telegram
    with a:
        b.start()
        try:
            for uid in people:
                telegram.user(uid, f"P{uid}", "en")
            answers = ("Showroom visit {uid}", "website", "yes", "Booking a test drive {uid}")
            for turn, text in enumerate(answers):
                before = {uid: len(telegram.chat_messages(uid)) for uid in people}
                for n, uid in enumerate(people):
                    update = telegram.text_update(uid, text.format(uid=uid))
                    assert post(hooks[(n + turn) % 2], update, SECRET) == 200
                a.wait_for(
                    lambda before=before: all(
                        len(telegram.chat_messages(u)) > before[u] for u in people
                    ),
                    what=f"the replies to answer {turn + 1}",
                )
            owners = _due_soon(url, owners=30, seconds=12)
            leader = next(bot for bot in bots if "leads the scheduler" in bot.output())
            follower = b if leader is a else a
            leader.kill()
            killed = time.monotonic()
            cards = lambda: sum(  # noqa: E731
                len(telegram.chat_messages(100 + i)) for i in range(len(owners))
            )
            follower.wait_for(lambda: cards() >= 30, what="the reminders", timeout=40)
            assert time.monotonic() - killed < 12 + 10
            time.sleep(2)  # nothing more comes
            assert [len(telegram.chat_messages(100 + i)) for i in range(30)] == [1] * 30
        finally:
            b.stop()

    async def stored() -> list[str]:
        store = await PgStore.open(url)
        try:
            async with store.read() as uow:
                (workshop, *_) = [
                    w for w in await uow.workshops.list_all() if w.title == "Answer cost"
                ]
                return sorted(t.name for t in await uow.items.list(workshop.id, Touchpoint))
        finally:
            await store.close()

    assert run_now(stored()) == sorted(f"Showroom visit {uid}" for uid in people)
    run_now(pg_cluster.drop_database(url))
