"""Webhook mode: with WEBHOOK_URL set, ``cjm-bot run`` registers the webhook with the
(fake) Bot API and serves updates POSTed to it — only with the right secret — answering
200 only once the update is processed (bot/telegram/webhook.py).

The process test runs ``cjm-bot run``; the others serve the real Application in process
(tests/bot/harness.py) and post over real HTTP on loopback, with handlers made slow or
failing where the test needs it."""

from __future__ import annotations

import asyncio
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.telegram.webhook import WebhookServer
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
from tests.bot.harness import BotHarness
from tests.bot.live import LiveBot

SECRET = "webhook-secret-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post(url: str, update: dict, secret: str) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(update).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
    )
    deadline = time.monotonic() + 10  # the server may still be starting on a busy machine
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except urllib.error.URLError as error:
            if not isinstance(error.reason, ConnectionRefusedError) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_webhook_mode_serves_updates_with_the_right_secret(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    env = {
        "WEBHOOK_URL": url,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": SECRET,
    }
    with LiveBot(tmp_path, env) as bot:
        assert bot.telegram.webhook is not None
        assert bot.telegram.webhook["url"] == url
        assert bot.telegram.webhook["secret_token"] == SECRET
        bot.telegram.user(10, "Anna", "en")
        forged = bot.telegram.text_update(10, "/start")
        assert post(url, forged, "wrong") == 403
        update = bot.telegram.text_update(10, "/new")
        assert post(url, update, SECRET) == 200
        # answered once processed: the reply is in the chat when the 200 comes
        assert [m["text"].count("question 1 of") for m in bot.telegram.chat_messages(10)] == [1]
        assert post(url, update, SECRET) == 200  # delivered again: answered once
        assert len(bot.telegram.chat_messages(10)) == 1
        assert bot.process is not None
        bot.stop()  # SIGINT: a graceful stop
        assert bot.process.returncode == 0, bot.output()[-3000:]


@pytest.mark.parametrize("value", ["ftp://example.org/hook"])
def test_a_bad_webhook_url_is_refused_naming_the_setting(value: str) -> None:
    from bot.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match="WEBHOOK_URL"):
        load_settings(_env_file=None, webhook_url=value)


# ---------------------------------------------------------------- in process, over HTTP
PEOPLE = list(range(300, 310))


async def _at_touchpoints(bot: BotHarness, people: list[int]) -> str:
    """A collecting workshop at its touchpoints question for each of ``people`` (two
    stages; a touchpoint's name, then its channel, which stores it)."""
    ws = Workshop(title="Dealership", status=WorkshopStatus.COLLECTING)
    dept = Department(workshop_id=ws.id, name="Sales", sections=[Section.TOUCHPOINTS])
    async with bot.services.store.write() as uow:
        await uow.workshops.add(ws)
        await uow.items.add(dept)
        for order, name in enumerate(("Showroom", "Test drive")):
            await uow.items.add(Stage(workshop_id=ws.id, order=order, name=name))
        for uid in people:
            pid = f"tg:{uid}"
            await uow.people.save(Person(id=pid, name=f"P{uid}", chat_id=uid, language="en"))
            await uow.items.add(
                Member(workshop_id=ws.id, person_id=pid, name=f"P{uid}", department_id=dept.id)
            )

    async def begin(ctx: Ctx) -> None:
        await runner.enter(ctx, "touchpoints")

    for uid in people:
        await bot.services.engine.start(f"tg:{uid}", begin, workshop_id=ws.id)
        bot.telegram.user(uid, f"P{uid}")
    return ws.id


async def _touchpoints(bot: BotHarness, wid: str) -> list[tuple[str, str | None]]:
    async with bot.services.store.read() as uow:
        return [(t.name, t.channel) for t in await uow.items.list(wid, Touchpoint)]


class Hook:
    """The webhook served in process on a free loopback port, and a client posting to it."""

    def __init__(self, bot: BotHarness, server: WebhookServer, client: httpx.AsyncClient):
        self.bot, self.server, self.client = bot, server, client

    def update(self, uid: int, text: str) -> dict[str, Any]:
        update = self.bot.telegram.text_update(uid, text)
        self.bot.telegram.updates.remove(update)  # posted, not polled
        return update

    async def post(self, update: dict[str, Any], secret: str | None = SECRET) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        answer = await self.client.post("/telegram/hook", json=update, headers=headers)
        return answer.status_code


@asynccontextmanager
async def serving(tmp_path: Path, **server: Any) -> AsyncIterator[Hook]:
    async with BotHarness(tmp_path) as bot:
        hook = WebhookServer(bot.app, path="/telegram/hook", secret=SECRET, **server)
        port = await hook.start("127.0.0.1", 0)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
                yield Hook(bot, hook, c)
        finally:
            await hook.stop()


def slowed(monkeypatch: Any, bot: BotHarness, delay: Any) -> list[str]:
    """The engine takes ``delay(text)`` seconds (or awaits it, when it is an event) before
    it stores a typed answer; returns the texts in the order they were stored."""
    engine = bot.services.engine
    real, stored = engine.advance, []

    async def advance(person_id: str, answer: Any, **kwargs: Any) -> Any:
        wait = delay(answer.value)
        if isinstance(wait, asyncio.Event):
            await wait.wait()
        else:
            await asyncio.sleep(wait)
        out = await real(person_id, answer, **kwargs)
        stored.append(answer.value)
        return out

    monkeypatch.setattr(engine, "advance", advance)
    return stored


async def test_the_200_comes_only_once_the_answer_is_stored(
    tmp_path: Path, monkeypatch: Any
) -> None:
    async with serving(tmp_path) as hook:
        wid = await _at_touchpoints(hook.bot, PEOPLE)
        for uid in PEOPLE:
            assert await hook.post(hook.update(uid, f"Showroom visit {uid}")) == 200
        slowed(monkeypatch, hook.bot, lambda text: 0.5)  # a slow handler: 0.5 s each
        at_the_200: dict[int, list[tuple[str, str | None]]] = {}

        async def answer(uid: int) -> None:
            assert await hook.post(hook.update(uid, "website")) == 200
            at_the_200[uid] = [t for t in await _touchpoints(hook.bot, wid) if str(uid) in t[0]]

        started = time.monotonic()
        await asyncio.gather(*(answer(uid) for uid in PEOPLE))

        # all ten at once, each stored by the time its 200 came
        assert at_the_200 == {uid: [(f"Showroom visit {uid}", "website")] for uid in PEOPLE}
        assert time.monotonic() - started < 0.5 * len(PEOPLE)  # side by side, not in turn
        for uid in PEOPLE:
            assert "saved" in hook.bot.telegram.last(uid)["text"].lower()


async def test_a_failure_before_the_commit_is_a_500_and_the_redelivery_stores_it_once(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from storage.positions import SqlitePositionRepo

    async with serving(tmp_path) as hook:
        uid = PEOPLE[0]
        wid = await _at_touchpoints(hook.bot, [uid])
        assert await hook.post(hook.update(uid, "Showroom visit")) == 200
        real_save, failures = SqlitePositionRepo.save, {"left": 1}

        async def failing_once(self: Any, position: Any) -> None:
            if failures["left"]:
                failures["left"] -= 1
                raise RuntimeError("the disk is full")
            await real_save(self, position)

        monkeypatch.setattr(SqlitePositionRepo, "save", failing_once)
        update = hook.update(uid, "website")
        assert await hook.post(update) == 500  # not stored: Telegram delivers it again
        assert await _touchpoints(hook.bot, wid) == []

        assert await hook.post(update) == 200  # the redelivery
        assert await _touchpoints(hook.bot, wid) == [("Showroom visit", "website")]
        replies = len(hook.bot.telegram.sent(uid, "sendMessage"))
        assert "saved" in hook.bot.telegram.last(uid)["text"].lower()
        assert await hook.post(update) == 200  # once more: a repeat, nothing changes
        assert await _touchpoints(hook.bot, wid) == [("Showroom visit", "website")]
        assert len(hook.bot.telegram.sent(uid, "sendMessage")) == replies


async def test_a_failure_after_the_commit_is_acknowledged(tmp_path: Path, monkeypatch: Any) -> None:
    """The answer is stored; its reply failed. A redelivery would stop at the record: 200."""
    from bot.telegram import delivery

    async with serving(tmp_path) as hook:
        uid = PEOPLE[0]
        wid = await _at_touchpoints(hook.bot, [uid])
        assert await hook.post(hook.update(uid, "Showroom visit")) == 200

        async def failing(*args: Any, **kwargs: Any) -> bool:
            raise RuntimeError("the reply could not be composed")

        monkeypatch.setattr(delivery, "send_outcome", failing)
        assert await hook.post(hook.update(uid, "website")) == 200
        assert await _touchpoints(hook.bot, wid) == [("Showroom visit", "website")]


async def test_an_update_that_always_fails_is_given_up_after_three_deliveries(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from storage.positions import SqlitePositionRepo

    async with serving(tmp_path) as hook:
        uid = PEOPLE[0]
        await _at_touchpoints(hook.bot, [uid])

        async def failing(self: Any, position: Any) -> None:
            raise RuntimeError("a bug")

        monkeypatch.setattr(SqlitePositionRepo, "save", failing)
        update = hook.update(uid, "Showroom visit")
        assert [await hook.post(update) for _ in range(3)] == [500, 500, 200]


async def test_the_wrong_secret_is_refused_and_nothing_is_processed(tmp_path: Path) -> None:
    async with serving(tmp_path) as hook:
        uid = PEOPLE[0]
        await _at_touchpoints(hook.bot, [uid])
        update = hook.update(uid, "Showroom visit")
        assert await hook.post(update, "wrong") == 403
        assert await hook.post(update, None) == 403
        assert await hook.post(update, SECRET[:-1]) == 403
        assert hook.bot.telegram.sent(uid) == []
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        bad = await hook.client.post("/telegram/hook", content=b"{not json", headers=headers)
        assert bad.status_code == 400
        assert await hook.post(update) == 200  # the refused ones recorded nothing
        assert "channel" in hook.bot.telegram.last(uid)["text"].lower()


async def test_one_persons_updates_posted_concurrently_are_processed_in_order(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Each answer is slower than the next (0.4 s, 0.3 s, ...): processed side by side they
    would be stored last first. One person's wait for each other, in the order they came."""
    async with serving(tmp_path) as hook:
        uid = PEOPLE[0]
        wid = await _at_touchpoints(hook.bot, [uid])
        texts = ["Showroom visit", "website", "Test drive desk", "website"]
        delays = {0: 0.4, 1: 0.3, 2: 0.2, 3: 0.1}
        seen: list[str] = []

        def delay(text: str) -> float:
            seen.append(text)
            return delays[len(seen) - 1]

        stored = slowed(monkeypatch, hook.bot, delay)
        sent_at: list[float] = []
        answered_at: list[float] = []

        async def answer(n: int) -> int:
            await asyncio.sleep(0.05 * n)  # they come in this order, each before the last's 200
            sent_at.append(time.monotonic())
            status = await hook.post(hook.update(uid, texts[n]))
            answered_at.append(time.monotonic())
            return status

        assert await asyncio.gather(*(answer(n) for n in range(4))) == [200] * 4
        assert max(sent_at) < min(answered_at)  # all four in flight at once
        assert stored == texts
        assert await _touchpoints(hook.bot, wid) == [
            ("Showroom visit", "website"),
            ("Test drive desk", "website"),
        ]


async def test_a_slow_person_does_not_hold_up_another(tmp_path: Path, monkeypatch: Any) -> None:
    async with serving(tmp_path) as hook:
        slow, quick = PEOPLE[0], PEOPLE[1]
        wid = await _at_touchpoints(hook.bot, [slow, quick])
        release = asyncio.Event()
        slowed(monkeypatch, hook.bot, lambda text: release if text.startswith("Slow") else 0)
        held = asyncio.create_task(hook.post(hook.update(slow, "Slow desk")))
        await asyncio.sleep(0.1)
        assert await hook.post(hook.update(quick, "Quick desk")) == 200
        assert not held.done()
        release.set()
        assert await held == 200
        assert "channel" in hook.bot.telegram.last(slow)["text"].lower()
        assert await _touchpoints(hook.bot, wid) == []


async def test_an_answer_not_stored_in_time_is_a_503_and_stored_once_when_delivered_again(
    tmp_path: Path, monkeypatch: Any
) -> None:
    async with serving(tmp_path, ack_within=1.0) as hook:
        uid = PEOPLE[0]
        wid = await _at_touchpoints(hook.bot, [uid])
        assert await hook.post(hook.update(uid, "Showroom visit")) == 200
        release = asyncio.Event()
        slowed(monkeypatch, hook.bot, lambda text: release)
        update = hook.update(uid, "website")
        assert await hook.post(update) == 503  # still processing, nothing stored
        redelivery = asyncio.create_task(hook.post(update))  # waits for the person's turn
        await asyncio.sleep(0.1)
        release.set()
        assert await redelivery == 200  # stopped at the record
        assert await _touchpoints(hook.bot, wid) == [("Showroom visit", "website")]
        saved = [m for m in hook.bot.telegram.chat_messages(uid) if "saved" in m["text"].lower()]
        assert len(saved) == 1


async def test_an_answer_stored_but_still_sending_is_acknowledged_in_time(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from tests.bot.fake_transport import FakeRequest

    async with serving(tmp_path, ack_within=1.0) as hook:
        uid = PEOPLE[0]
        wid = await _at_touchpoints(hook.bot, [uid])
        assert await hook.post(hook.update(uid, "Showroom visit")) == 200
        release = asyncio.Event()
        real = FakeRequest.do_request

        async def held_send(self: Any, url: str, *args: Any, **kwargs: Any) -> Any:
            if url.endswith(("/sendMessage", "/editMessageText")):
                await release.wait()  # a 429's wait, say
            return await real(self, url, *args, **kwargs)

        monkeypatch.setattr(FakeRequest, "do_request", held_send)
        started = time.monotonic()
        assert await hook.post(hook.update(uid, "website")) == 200
        assert time.monotonic() - started < 5
        assert await _touchpoints(hook.bot, wid) == [("Showroom visit", "website")]
        release.set()
        await hook.bot.settle()


async def test_at_shutdown_the_updates_in_hand_are_answered_after_they_are_stored(
    tmp_path: Path, monkeypatch: Any
) -> None:
    async with serving(tmp_path) as hook:
        uid = PEOPLE[0]
        wid = await _at_touchpoints(hook.bot, [uid])
        assert await hook.post(hook.update(uid, "Showroom visit")) == 200
        slowed(monkeypatch, hook.bot, lambda text: 0.3)
        in_hand = asyncio.create_task(hook.post(hook.update(uid, "website")))
        await asyncio.sleep(0.1)
        await hook.server.stop()
        assert await in_hand == 200
        assert await _touchpoints(hook.bot, wid) == [("Showroom visit", "website")]
        with pytest.raises(httpx.TransportError):  # no longer listening
            await hook.post(hook.update(uid, "Test drive desk"))
