"""Failover: two ``cjm-bot run`` processes in webhook mode on one PostgreSQL database, one
(fake) Telegram. 20 people's answers are posted to either instance alternately (what one
cannot take, because it is dead, is posted to the other, as Telegram redelivers); 500
owners' reviews fall due; the fake kills the scheduler's leader with SIGKILL in the middle
of its fan-out — at the worst moment for duplicates: its last reminders delivered to the
chats but never answered, so it never learnt they went. The other instance takes over
within 10 s, and every owner has exactly one reminder; every acknowledged answer is
stored once."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

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
from storage.postgres.store import PgStore
from tests.bot.live import LiveBot
from tests.bot.test_on_postgresql import _due_soon
from tests.bot.test_webhook import SECRET, free_port
from tests.pg_cluster import Cluster, run_now

pytestmark = pytest.mark.postgres_only

OWNERS = 500  # Telegram users 100 ... 599 (tests/builders.review_workshop)
FIRST_OWNER = 100
KILL_AT = 150  # the leader dies on the fake's receiving its 150th reminder
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
    except (urllib.error.URLError, ConnectionError):
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
            for turn, text in enumerate(TURNS):
                if turn == len(TURNS) // 2:  # the second half of the answers during the fan-out
                    follower.wait_for(lambda: killer.reminders > 0, what="the fan-out", timeout=30)
                if killer.frozen.is_set() and not killer.killed.is_set():
                    killer.kill(leader)  # between two turns: no answer in the leader's hands
                before = {uid: len(telegram.chat_messages(uid)) for uid in PEOPLE}
                for n, uid in enumerate(PEOPLE):
                    update = telegram.text_update(uid, text.format(uid=uid))
                    first, other = hooks[(n + turn) % 2], hooks[(n + turn + 1) % 2]
                    assert _post(first, update) or _post(other, update)  # as Telegram retries
                    acknowledged.append(text.format(uid=uid))
                follower.wait_for(
                    lambda before=before: all(
                        len(telegram.chat_messages(u)) > before[u] for u in PEOPLE
                    ),
                    what=f"the replies to answer {turn + 1}",
                )
            follower.wait_for(killer.frozen.is_set, what="the leader's fan-out", timeout=30)
            if not killer.killed.is_set():
                killer.kill(leader)
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
