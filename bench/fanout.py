"""Reminders at scale, end to end: the real ``cjm-bot run`` process against the project's
fake Bot API on loopback, which refuses with 429 beyond 30 messages in any second.

Fan-out: a published workshop where 2,000 owners' reviews all fall due a few seconds
after start, while a participant of another workshop answers the touchpoints loop (a
name, a channel, "yes", a description: every answer is stored and re-prompts) — one
answer, wait for the bot's reply, a second's pause, the next. Recorded: the fan-out's rate
(messages delivered to owners over the time from the first to the last; beside it the
pace a bare rate limiter reaches on this machine at the moment, its ceiling), the
participant's reply times while it ran (p95 and max, from the update's arrival at the
fake to the bot's reply), owners who got two reminders or none.

Start-up: 1,000 published workshops (three owners each, their reviews scheduled in the
coming weeks, no digest sent yet) in the database; the time from starting the process to
its first ``getUpdates`` at the fake, the median of three starts — beside the same for an
empty database (``startup_empty_s``: what the interpreter, the imports and the calls
before polling cost on this machine, whatever the database holds). Then one more start
with the participant answering through the first sweep, when every workshop's weekly
digest is due: the slowest reply meanwhile, and how many digests that sweep sent.

``python -m bench fanout``; ``BENCH_FANOUT`` owners (2000), ``BENCH_STARTUP_WORKSHOPS``
(1000; 0 leaves the start-up out), ``BENCH_FANOUT_KEEPALIVE=1`` keeps HTTP connections
open as Telegram does (the project's fake closes each one, so by default every message
also pays a TCP connect).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from bench.answer_cpu import CYCLE, ApiServer, BotProcess, CountingTelegram, _env, cpu_seconds
from flows.conversation import runner
from flows.conversation.spec import Ctx
from flows.models import (
    Department,
    Member,
    Person,
    Review,
    Role,
    Section,
    Stage,
    Touchpoint,
    Workshop,
    WorkshopStatus,
)
from flows.ports import SystemClock
from flows.steps.catalog import WorkshopEngine
from storage.store import SqliteStore
from tests.bot.fake_transport import FakeBotApiServer

TOKEN = "727272:BENCH-fanout-token-for-the-fake-api0"
TELEGRAM_LIMIT = 30  # messages in any second, beyond which the fake answers 429
FIRST_OWNER = 2_000_000
PARTICIPANT = 800_000
DUE_AFTER_S = 8.0  # the reviews fall due this long after seeding: start, warm up, then all
# the participant's pause between a reply and the next answer: a fast typist; the replies
# share Telegram's 30 a second with the fan-out
PAUSE_S = 1.0
STARTUP_RUNS = 3  # start-up is timed this many times; the median is recorded
SWEEP_WATCH_S = 6.0  # after a start, the participant answers this long (the first sweep)
FACILITATORS = 3_000_000  # chats of the start-up workshops' facilitators (digests)
OWNERS = 4_000_000  # and of their owners


class FanoutTelegram(CountingTelegram):
    """Also notes, for every update pushed, when it was pushed (to time the replies)."""

    def __init__(self) -> None:
        super().__init__()
        self.first_owner_at: float | None = None
        self.last_owner_at: float | None = None
        self.owner_messages: Counter[int] = Counter()
        self._owners = threading.Lock()

    def handle(self, method: str, params: dict[str, Any], *rest: Any) -> dict[str, Any]:
        result = super().handle(method, params, *rest)
        if method == "sendMessage" and result["ok"] and int(params["chat_id"]) >= FIRST_OWNER:
            now = time.monotonic()
            with self._owners:
                self.owner_messages[int(params["chat_id"])] += 1
                self.first_owner_at = self.first_owner_at or now
                self.last_owner_at = now
        return result


def _quiet_free(workshop: Workshop) -> Workshop:
    workshop.working_days = list(range(7))
    workshop.quiet_start = workshop.quiet_end = clock_time(0, 0)
    return workshop


async def seed_fanout(path: Path, owners: int, due_at: datetime) -> None:
    """The published workshop with ``owners`` owners' reviews due at ``due_at``, and the
    participant at the touchpoints loop of a collecting workshop."""
    store = await SqliteStore.open(path)
    try:
        now = datetime.now(UTC)
        ws = _quiet_free(Workshop(title="Fan-out", status=WorkshopStatus.PUBLISHED))
        stage = Stage(workshop_id=ws.id, order=0, name="Use")
        async with store.write() as uow:
            await uow.workshops.add(ws)
            await uow.items.add(stage)
            for i in range(owners):
                uid = FIRST_OWNER + i
                pid = f"tg:{uid}"
                await uow.people.save(Person(id=pid, name=f"Owner {i}", chat_id=uid, language="en"))
                member = Member(workshop_id=ws.id, person_id=pid, name=f"Owner {i}")
                await uow.items.add(member)
                tp = Touchpoint(
                    workshop_id=ws.id,
                    stage_id=stage.id,
                    name=f"Touchpoint {i}",
                    owner_id=member.id,
                    last_confirmed_at=now - timedelta(days=30),
                )
                await uow.items.add(tp)
                await uow.items.add(
                    Review(
                        workshop_id=ws.id, touchpoint_id=tp.id, owner_id=member.id, due_at=due_at
                    )
                )
        await _seed_participant(store)
    finally:
        await store.close()


async def _seed_participant(store: SqliteStore) -> None:
    ws = Workshop(title="Answers meanwhile", status=WorkshopStatus.COLLECTING)
    dept = Department(workshop_id=ws.id, name="Sales", sections=[Section.TOUCHPOINTS])
    pid = f"tg:{PARTICIPANT}"
    async with store.write() as uow:
        await uow.workshops.add(ws)
        await uow.items.add(dept)
        await uow.items.add(Stage(workshop_id=ws.id, order=0, name="Test drive"))
        await uow.people.save(Person(id=pid, name="Pat", chat_id=PARTICIPANT, language="en"))
        await uow.items.add(
            Member(workshop_id=ws.id, person_id=pid, name="Pat", department_id=dept.id)
        )

    async def begin(ctx: Ctx) -> None:
        await runner.enter(ctx, "touchpoints")

    out = await WorkshopEngine(store, SystemClock()).start(pid, begin, workshop_id=ws.id)
    assert out.prompt is not None and out.prompt.step == "touchpoints.name", out


async def seed_published(path: Path, workshops: int) -> None:
    """``workshops`` published workshops, each with a facilitator and three owners whose
    reviews are scheduled over the coming weeks (as a running bot leaves them)."""
    store = await SqliteStore.open(path)
    try:
        now = datetime.now(UTC)
        async with store.write() as uow:
            for w in range(workshops):
                ws = _quiet_free(Workshop(title=f"Workshop {w}", status=WorkshopStatus.PUBLISHED))
                await uow.workshops.add(ws)
                stage = Stage(workshop_id=ws.id, order=0, name="Use")
                await uow.items.add(stage)
                fac = f"tg:{FACILITATORS + w}"
                await uow.people.save(Person(id=fac, name=f"Fac {w}", chat_id=FACILITATORS + w))
                await uow.items.add(
                    Member(workshop_id=ws.id, person_id=fac, name="Fac", role=Role.FACILITATOR)
                )
                for o in range(3):
                    uid = OWNERS + w * 3 + o
                    pid = f"tg:{uid}"
                    await uow.people.save(Person(id=pid, name=f"Owner {o}", chat_id=uid))
                    member = Member(workshop_id=ws.id, person_id=pid, name=f"Owner {o}")
                    await uow.items.add(member)
                    tp = Touchpoint(
                        workshop_id=ws.id,
                        stage_id=stage.id,
                        name=f"Touchpoint {o}",
                        owner_id=member.id,
                        last_confirmed_at=now - timedelta(days=(w + o) % 25),
                    )
                    await uow.items.add(tp)
                    due = now + timedelta(days=30 - (w + o) % 25, minutes=w)
                    await uow.items.add(
                        Review(
                            workshop_id=ws.id, touchpoint_id=tp.id, owner_id=member.id, due_at=due
                        )
                    )
        await _seed_participant(store)
    finally:
        await store.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _reply_times(telegram: FanoutTelegram, pushed: list[float]) -> list[float]:
    """For each answer pushed at a time in ``pushed``: seconds to the bot's first
    sendMessage to the participant after it."""
    replies = [
        c.at
        for c in list(telegram.calls)
        if c.method == "sendMessage" and int(c.params.get("chat_id", 0)) == PARTICIPANT
    ]
    out = []
    for at in pushed:
        after = next((r for r in replies if r >= at), None)
        if after is not None:
            out.append(after - at)
    return out


def limiter_ceiling(seconds: float = 3.0) -> float:
    """What python-telegram-bot's pace (28 a second, one at a time, as the bot's rate
    limiter sets it) reaches on this machine now with nothing else to do: a loaded
    machine wakes the waiting sender late, and each late wake is a slot lost."""
    from aiolimiter import AsyncLimiter

    from bot.telegram.app import OVERALL_PER_SECOND

    async def pace() -> float:
        limiter = AsyncLimiter(1, 1 / OVERALL_PER_SECOND)
        start, count = time.monotonic(), 0
        while time.monotonic() - start < seconds:
            async with limiter:
                count += 1
        return count / (time.monotonic() - start)

    return asyncio.run(pace())


def measure_fanout(owners: int, folder: Path, keep_alive: bool = False) -> dict[str, float]:
    db = folder / "fanout.sqlite3"
    ceiling = limiter_ceiling()
    due_at = datetime.now(UTC) + timedelta(seconds=DUE_AFTER_S)
    asyncio.run(seed_fanout(db, owners, due_at))
    due_mono = time.monotonic() + (due_at - datetime.now(UTC)).total_seconds()
    telegram = FanoutTelegram()
    telegram.rate_limit = TELEGRAM_LIMIT
    with ApiServer({TOKEN: telegram}, keep_alive=keep_alive) as server:
        bot = BotProcess(
            "cjm-bot run",
            telegram,
            ["-m", "bot.cli", "run"],
            _env(
                TOKEN,
                server.base_url,
                DATABASE_PATH=str(db),
                LOG_LEVEL="WARNING",
                TMPDIR=str(folder),
            ),
            folder / "bot.log",
        )
        bot.start()
        try:
            bot.wait_ready()
            assert bot.process is not None
            k = 0
            pushed: list[float] = []  # answers sent while the fan-out ran
            deadline = due_mono + owners / 20 + 60
            cpu_before = None
            while True:
                now = time.monotonic()
                done = sum(1 for n in telegram.owner_messages.values() if n) >= owners
                if (done and now > due_mono) or now > deadline:
                    break
                if cpu_before is None and now >= due_mono:
                    cpu_before = cpu_seconds(bot.process.pid)
                wanted = {PARTICIPANT: telegram.replies[PARTICIPANT] + 1}
                at = time.monotonic()
                telegram.text_update(PARTICIPANT, CYCLE[k % len(CYCLE)].format(n=k // 4, p=1))
                if at >= due_mono:
                    pushed.append(at)
                telegram.wait_replies(wanted, timeout=30)
                k += 1
                time.sleep(PAUSE_S)
            cpu = cpu_seconds(bot.process.pid) - (cpu_before or 0.0)
            time.sleep(2.0)  # anything sent twice would come now
        finally:
            bot.stop()
    delivered = telegram.owner_messages
    times = _reply_times(telegram, pushed)
    first, last = telegram.first_owner_at, telegram.last_owner_at
    span = (last - first) if first is not None and last is not None else 0.0
    total = sum(delivered.values())
    return {
        "fanout_2000_rate_msgs_per_s": round((total - 1) / span, 2) if span else 0.0,
        "fanout_2000_reply_p95_ms": round(1000 * _percentile(times, 0.95), 1),
        "fanout_2000_reply_max_ms": round(1000 * max(times), 1),
        "fanout_2000_replies": len(times),
        "fanout_2000_duplicates": sum(n - 1 for n in delivered.values() if n > 1),
        "fanout_2000_lost": owners - len(delivered),
        "fanout_2000_s": round(span, 2),
        "fanout_2000_cpu_s": round(cpu, 2),
        "fanout_2000_429": telegram.refused_429,
        "fanout_limiter_ceiling_msgs_per_s": round(ceiling, 2),
    }


def _answer(telegram: FanoutTelegram, seconds: float, until: Any = None) -> list[float]:
    """The participant answers (one answer, its reply, a pause) for ``seconds`` or until
    ``until()``; returns the times of the answers sent."""
    pushed: list[float] = []
    end = time.monotonic() + seconds
    k = 0
    while time.monotonic() < end and not (until and until()):
        wanted = {PARTICIPANT: telegram.replies[PARTICIPANT] + 1}
        pushed.append(time.monotonic())
        telegram.text_update(PARTICIPANT, CYCLE[k % len(CYCLE)].format(n=k // 4, p=1))
        telegram.wait_replies(wanted, timeout=30)
        k += 1
        time.sleep(PAUSE_S)
    return pushed


def _start_once(db: Path, folder: Path, answer_for: float = 0.0) -> tuple[float, list[float], int]:
    """Start the bot on ``db``: seconds to its first ``getUpdates``; then (``answer_for``
    seconds, the first sweep among them) the participant's reply times and the digests
    that went meanwhile."""
    telegram = FanoutTelegram()
    with FakeBotApiServer(telegram, TOKEN) as server:
        bot = BotProcess(
            "cjm-bot run",
            telegram,
            ["-m", "bot.cli", "run"],
            _env(
                TOKEN,
                server.base_url,
                DATABASE_PATH=str(db),
                LOG_LEVEL="WARNING",
                TMPDIR=str(folder),
            ),
            folder / "startup.log",
        )
        started = time.monotonic()
        bot.start()
        try:
            bot.wait_ready()
            polling = next(c.at for c in telegram.calls if c.method == "getUpdates")
            pushed = _answer(telegram, answer_for) if answer_for else []
        finally:
            bot.stop()
    digests = sum(
        1
        for c in telegram.calls
        if c.method == "sendMessage" and FACILITATORS <= int(c.params["chat_id"]) < OWNERS
    )
    return polling - started, _reply_times(telegram, pushed), digests


def measure_startup(workshops: int, folder: Path) -> dict[str, float]:
    full, empty = folder / "startup.sqlite3", folder / "empty.sqlite3"
    asyncio.run(seed_published(full, workshops))
    asyncio.run(seed_published(empty, 0))
    times: dict[Path, list[float]] = {full: [], empty: []}
    for _ in range(STARTUP_RUNS):
        for db in (full, empty):
            times[db].append(_start_once(db, folder)[0])
    # once more, with the participant answering through the first sweep (digests due)
    _, replies, digests = _start_once(full, folder, answer_for=SWEEP_WATCH_S)
    return {
        "startup_1000_published_s": round(statistics.median(times[full]), 2),
        "startup_empty_s": round(statistics.median(times[empty]), 2),
        "startup_1000_first_sweep_reply_max_ms": round(1000 * max(replies), 1),
        "startup_1000_first_sweep_digests": digests,
    }


def run(owners: int = 2000, workshops: int = 1000, keep_alive: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        results = measure_startup(workshops, Path(folder)) if workshops else {}
        results.update(measure_fanout(owners, Path(folder), keep_alive))
        return results


def from_env() -> dict[str, float]:
    return run(
        owners=int(os.environ.get("BENCH_FANOUT", "2000")),
        workshops=int(os.environ.get("BENCH_STARTUP_WORKSHOPS", "1000")),
        keep_alive=os.environ.get("BENCH_FANOUT_KEEPALIVE", "") not in ("", "0"),
    )


if __name__ == "__main__":
    print(from_env())
