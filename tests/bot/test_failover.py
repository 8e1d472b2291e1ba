"""Failover: two ``cjm-bot run`` processes in webhook mode on one PostgreSQL database, one
(fake) Telegram. 20 people's answers are posted to either instance alternately (what one
does not acknowledge, because it is dead, is posted to the other, as Telegram redelivers);
500 owners' reviews fall due; in the middle of its fan-out the scheduler's leader is
killed with SIGKILL — at the worst moment for duplicates: its last reminders delivered to
the chats but never answered, so it never learnt they went — and with half of one turn's
answers in its hands, not yet stored (the test holds the database's write lock), so not
yet acknowledged. The other instance takes over within 10 s, and every owner has exactly
one reminder; every acknowledged answer is stored once."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import asyncpg
import pytest

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
from flows.ports import SystemClock
from flows.steps.catalog import WorkshopEngine
from storage.postgres.db import WRITE_LOCK
from storage.postgres.store import PgStore
from tests.bot.live import LiveBot
from tests.bot.test_on_postgresql import _due_soon
from tests.bot.test_webhook import SECRET, free_port
from tests.pg_cluster import Cluster, run_now

pytestmark = pytest.mark.postgres_only

OWNERS = 500  # Telegram users 100 ... 599 (tests/builders.review_workshop)
FIRST_OWNER = 100
KILL_AT = 150  # the leader's fan-out is held on the fake's receiving its 150th reminder
PEOPLE = list(range(2000, 2020))
TURNS = (  # four touchpoints each: a name, then a channel (which stores it)
    "Showroom visit {uid}",
    "website",
    "Test drive desk {uid}",
    "website",
    "Service desk {uid}",
    "website",
    "Call centre {uid}",
    "website",
)
KILL_TURN = len(TURNS) // 2  # the leader dies with this turn's answers in its hands


STAGES = ("Showroom", "Test drive", "Service", "Call centre")


async def seed(url: str, people: list[int]) -> None:
    """A workshop collecting answers, four stages; each person a member at its touchpoints
    (each answers a touchpoint's name, then its channel, at each stage in turn)."""
    store = await PgStore.open(url)
    try:
        ws = Workshop(title="Answer cost", status=WorkshopStatus.COLLECTING)
        dept = Department(workshop_id=ws.id, name="Sales", sections=[Section.TOUCHPOINTS])
        async with store.write() as uow:
            await uow.workshops.add(ws)
            await uow.items.add(dept)
            for order, name in enumerate(STAGES):
                await uow.items.add(Stage(workshop_id=ws.id, order=order, name=name))
            for uid in people:
                pid = f"tg:{uid}"
                await uow.people.save(Person(id=pid, name=f"P{uid}", chat_id=uid, language="en"))
                await uow.items.add(
                    Member(workshop_id=ws.id, person_id=pid, name=f"P{uid}", department_id=dept.id)
                )
        engine = WorkshopEngine(store, SystemClock())

        async def begin(ctx: Ctx) -> None:
            await runner.enter(ctx, "touchpoints")

        for uid in people:
            out = await engine.start(f"tg:{uid}", begin, workshop_id=ws.id)
            assert out.prompt is not None and out.prompt.step == "touchpoints.name", out
    finally:
        await store.close()


class WritesHeld:
    """Holds PostgreSQL's one-writer lock (storage/postgres/db.py) from a connection of the
    test's own: every instance's next write waits until the block ends."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.held, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._hold()), daemon=True)

    async def _hold(self) -> None:
        conn = await asyncpg.connect(self.url)
        try:
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
                self.held.set()
                await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        finally:
            await conn.close()

    def __enter__(self) -> WritesHeld:
        self.thread.start()
        assert self.held.wait(10), "could not take the write lock"
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join(10)


class Poster(threading.Thread):
    """Posts one update to an instance's webhook, and to the other if the first does not
    acknowledge it (as Telegram retries)."""

    def __init__(self, hooks: list[str], n: int, update: dict[str, Any]) -> None:
        super().__init__(daemon=True)
        self.first, self.other = hooks[n % 2], hooks[(n + 1) % 2]
        self.update = update
        self.acknowledged = self.rerouted = False
        self.start()

    def run(self) -> None:
        if _post(self.first, self.update):
            self.acknowledged = True
        else:
            self.rerouted = True
            self.acknowledged = _post(self.other, self.update)


def _post(url: str, update: dict[str, Any]) -> bool:
    """Post one update to an instance's webhook: whether it was acknowledged (200)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(update).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return int(answer.status) == 200
    except OSError:  # refused, reset by a dying instance, or answered 5xx (URLError)
        return False


class Killer:
    """Wraps the fake's sendMessage: on the ``KILL_AT``-th reminder (delivered to the chat,
    its answer held) every further reminder of the leader is held unanswered too, and the
    test kills the leader (:meth:`kill`); then the held answers go to a dead socket."""

    def __init__(self, telegram: Any) -> None:
        self.lock = threading.Lock()
        self.reminders = 0
        self.frozen = threading.Event()
        self.killed = threading.Event()
        self.killed_at = 0.0
        self.first_after_kill: float | None = None
        self._send = telegram.api_sendMessage
        telegram.api_sendMessage = self.api_sendMessage

    def api_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:  # noqa: N802
        result = self._send(params, files)  # in the chat: delivered
        if not FIRST_OWNER <= int(params["chat_id"]) < FIRST_OWNER + OWNERS:
            return result
        with self.lock:
            self.reminders += 1
            if self.reminders >= KILL_AT:
                self.frozen.set()
            if self.killed.is_set() and self.first_after_kill is None:
                self.first_after_kill = time.monotonic()
        if self.frozen.is_set() and not self.killed.is_set():
            self.killed.wait(10)  # never answered: the leader dies waiting
        return result

    def kill(self, leader: LiveBot) -> None:
        time.sleep(0.5)  # what the leader handed over meanwhile reaches the fake (held)
        leader.kill()
        self.killed_at = time.monotonic()
        self.killed.set()


def test_the_leader_killed_mid_fan_out_every_reminder_arrives_once(
    pg_cluster: Cluster, tmp_path: Path
) -> None:
    url = run_now(pg_cluster.new_database(migrated=False))
    run_now(seed(url, PEOPLE))  # a collecting workshop, everyone at its touchpoints
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
    killer = Killer(telegram)
    owners = _due_soon(url, owners=OWNERS, seconds=12)  # due once both are up
    assert len(owners) == OWNERS
    with a:
        b.start()
        try:
            leader = next(bot for bot in bots if "leads the scheduler" in bot.output())
            follower = b if leader is a else a
            for uid in PEOPLE:
                telegram.user(uid, f"P{uid}", "en")
            acknowledged: list[str] = []
            rerouted = 0
            for turn, text in enumerate(TURNS):
                before = {uid: len(telegram.chat_messages(uid)) for uid in PEOPLE}
                updates = [telegram.text_update(uid, text.format(uid=uid)) for uid in PEOPLE]
                if turn == KILL_TURN:  # during the fan-out, with answers in the leader's hands
                    follower.wait_for(killer.frozen.is_set, what="the fan-out", timeout=30)
                    with WritesHeld(url):  # every instance's answers wait to be stored
                        posting = [
                            Poster(hooks, n + turn, update) for n, update in enumerate(updates)
                        ]
                        time.sleep(1.0)  # each request has reached its instance
                        assert not any(
                            p.acknowledged for p in posting
                        )  # none stored: none answered
                        killer.kill(leader)
                    for poster in posting:
                        poster.join(30)
                        assert (
                            poster.acknowledged
                        )  # the leader's posted to the other, as Telegram retries
                    rerouted = sum(p.rerouted for p in posting)
                else:
                    for n, update in enumerate(updates):
                        first, other = hooks[(n + turn) % 2], hooks[(n + turn + 1) % 2]
                        assert _post(first, update) or _post(other, update)  # as Telegram retries
                acknowledged += [text.format(uid=uid) for uid in PEOPLE]
                follower.wait_for(
                    lambda before=before: all(
                        len(telegram.chat_messages(u)) > before[u] for u in PEOPLE
                    ),
                    what=f"the replies to answer {turn + 1}",
                )
            assert rerouted == len(PEOPLE) // 2  # the leader had half of them in hand
            cards = lambda: [  # noqa: E731
                len(telegram.chat_messages(FIRST_OWNER + i)) for i in range(OWNERS)
            ]
            follower.wait_for(lambda: min(cards()) >= 1, what="every reminder", timeout=40)
            assert killer.first_after_kill is not None
            assert killer.first_after_kill - killer.killed_at < 10, "the takeover took too long"
            assert "took over the scheduler" in follower.output()
            time.sleep(2)  # nothing more comes
            assert cards() == [1] * OWNERS  # every owner's reminder exactly once
        finally:
            b.stop()

    async def stored() -> list[str]:
        store = await PgStore.open(url)
        try:
            async with store.read() as uow:
                (workshop,) = [
                    w for w in await uow.workshops.list_all() if w.title == "Answer cost"
                ]
                return sorted(t.name for t in await uow.items.list(workshop.id, Touchpoint))
        finally:
            await store.close()

    names = sorted(text.format(uid=uid) for text in TURNS[::2] for uid in PEOPLE)
    assert run_now(stored()) == names  # each touchpoint named once, none lost
    assert len(acknowledged) == len(TURNS) * len(PEOPLE)
    run_now(pg_cluster.drop_database(url))
