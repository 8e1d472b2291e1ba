"""A few of the bot's end-to-end tests again, through the real Application on PostgreSQL:
the same test bodies, with ``DATABASE_URL`` naming the session's test database (the
harness reads the environment like the bot does; the database is emptied after each).
They cover an answer stored once with its processed update, a button press applied once,
reminders sent once across a restart and after a crash, and a review answered in chat."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.telegram import leadership
from bot.telegram.reminders import WAKE, deliver_due, rebuild
from flows.ports import FixedClock
from storage.postgres.store import PgStore
from tests.bot import test_answer_once, test_chat, test_reminders, test_review_chat
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
