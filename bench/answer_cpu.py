"""What one typed answer costs the bot process, against a bare python-telegram-bot echo bot.

Both run as real processes polling one fake Bot API over HTTP on loopback (the project's
fake, each bot with its own token there): ``cjm-bot run`` with people in the middle of the
touchpoints loop ("name — description", a channel typed by name, then "saved" and the next
touchpoint: every answer is stored and re-prompts), and ``bench.echo_bot`` built
with the same builder options. Both get the same typed answers from the same people, in
alternating batches in one run; only the bot process's CPU (user + system, all threads,
from ``/proc/PID/task/*/schedstat``) during its own batches is counted, divided by the
answers. At the end the touchpoints stored are checked (the answers really went through).

``python -m bench.answer_cpu``; ``BENCH_ANSWERS`` answers per bot (1000),
``BENCH_ANSWER_PEOPLE`` people answering side by side (10), ``BENCH_ANSWER_BATCH``
answers per batch (100), ``BENCH_ANSWER_DEADLINE`` seconds for the whole run (900),
``BENCH_ANSWER_KEEPALIVE=1`` keeps HTTP connections open as Telegram does (the project's
fake closes each one, so by default both bots also pay a TCP connect per request).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

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
from storage.open_store import open_store
from storage.store import SqliteStore
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_transport import _Handler, _Server

ROOT = Path(__file__).resolve().parents[1]
BOT_TOKEN = "515151:BENCH-answers-real-bot-token-000000"
ECHO_TOKEN = "616161:BENCH-answers-echo-bot-token-00000"
FIRST_USER = 700_000
# One touchpoint per two typed answers: "name — its description", a channel typed by name.
CYCLE = ("Touchpoint {n} of person {p} — described at length, number {n}", "website")


class CountingTelegram(FakeTelegram):
    """The fake Bot API, counting the messages each chat was sent (waitable)."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: Counter[int] = Counter()
        self._sent = threading.Condition()

    def handle(self, method: str, params: dict[str, Any], *rest: Any) -> dict[str, Any]:
        result = super().handle(method, params, *rest)
        if method == "sendMessage" and result["ok"]:
            with self._sent:
                self.replies[int(params["chat_id"])] += 1
                self._sent.notify_all()
        return result

    def wait_replies(self, wanted: dict[int, int], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._sent:
            while any(self.replies[c] < n for c, n in wanted.items()):
                left = deadline - time.monotonic()
                if left <= 0:
                    late = {c: (self.replies[c], n) for c, n in wanted.items()}
                    raise TimeoutError(f"no reply in {timeout} s: {late}")
                self._sent.wait(left)


class ApiServer:
    """One fake Bot API on loopback answering several bots, each by its own token."""

    def __init__(self, bots: dict[str, FakeTelegram], *, keep_alive: bool = False) -> None:
        class Handler(_Handler):
            # the project's fake closes each connection (HTTP/1.0); Telegram keeps it open
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                token = self.path.removeprefix("/bot").split("/", 1)[0]
                self.token, self.telegram = token, bots.get(token, FakeTelegram())
                super().do_POST()

            do_GET = do_POST  # noqa: N815

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/bot"

    def __enter__(self) -> ApiServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of every thread of a process (nanosecond schedstat counters)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread that ended meanwhile
    return total / 1e9


class BotProcess:
    def __init__(
        self, name: str, telegram: CountingTelegram, args: list[str], env: dict[str, str], log: Path
    ) -> None:
        self.name, self.telegram, self.args, self.env, self.log = name, telegram, args, env, log
        self.process: subprocess.Popen[bytes] | None = None
        self.cpu = 0.0
        self.answers = 0

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, *self.args],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(c.method == "getUpdates" for c in self.telegram.calls):
            assert self.process is not None
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def answer(self, users: list[int], rounds: int, start: int, timeout: float) -> None:
        """``rounds`` times: each person sends their next answer; wait for every reply."""
        for r in range(rounds):
            k = start + r
            wanted = {u: self.telegram.replies[u] + 1 for u in users}
            for u in users:
                n = k // len(CYCLE)
                self.telegram.text_update(u, CYCLE[k % len(CYCLE)].format(n=n, p=u))
            self.telegram.wait_replies(wanted, timeout)

    def measured(self, users: list[int], rounds: int, start: int, timeout: float) -> None:
        assert self.process is not None
        before = cpu_seconds(self.process.pid)
        self.answer(users, rounds, start, timeout)
        self.cpu += cpu_seconds(self.process.pid) - before
        self.answers += rounds * len(users)


async def seed(path: Path | str, users: list[int], stages: int = 60) -> None:
    """A workshop of ``stages`` stages collecting answers; each person a member at the
    touchpoints section (in the SQLite file or the PostgreSQL database at ``path``). A
    person's touchpoint goes to the next stage (a stage's touchpoints come in one message),
    so a run needs a stage per touchpoint."""
    store = await open_store(path)
    try:
        ws = Workshop(title="Answer cost", status=WorkshopStatus.COLLECTING)
        dept = Department(workshop_id=ws.id, name="Sales", sections=[Section.TOUCHPOINTS])
        async with store.write() as uow:
            await uow.workshops.add(ws)
            await uow.items.add(dept)
            for order in range(stages):
                await uow.items.add(Stage(workshop_id=ws.id, order=order, name=f"Stage {order}"))
            for uid in users:
                pid = f"tg:{uid}"
                await uow.people.save(Person(id=pid, name=f"P{uid}", chat_id=uid, language="en"))
                await uow.items.add(
                    Member(workshop_id=ws.id, person_id=pid, name=f"P{uid}", department_id=dept.id)
                )
        engine = WorkshopEngine(store, SystemClock())

        async def begin(ctx: Ctx) -> None:
            await runner.enter(ctx, "touchpoints")

        for uid in users:
            out = await engine.start(f"tg:{uid}", begin, workshop_id=ws.id)
            assert out.prompt is not None and out.prompt.step == "touchpoints.name", out
    finally:
        await store.close()


async def touchpoints(path: Path) -> int:
    store = await SqliteStore.open(path)
    try:
        async with store.read() as uow:
            found = 0
            for workshop in await uow.workshops.list_all():
                found += len(await uow.items.list(workshop.id, Touchpoint))
            return found
    finally:
        await store.close()


def _env(token: str, base_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(TELEGRAM_BOT_TOKEN=token, TELEGRAM_API_BASE_URL=base_url, PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


def measure(
    answers: int, people: int, batch: int, deadline: float, keep_alive: bool, folder: Path
) -> dict[str, float]:
    users = [FIRST_USER + i for i in range(people)]
    db = folder / "answers.sqlite3"
    rounds_per_batch = max(1, batch // people)
    batches = max(1, answers // (rounds_per_batch * people))
    asyncio.run(seed(db, users, stages=batches * rounds_per_batch // len(CYCLE) + 2))
    fakes = {"bot": CountingTelegram(), "echo": CountingTelegram()}
    bots: dict[str, BotProcess] = {}
    started = time.monotonic()
    routes: dict[str, FakeTelegram] = {BOT_TOKEN: fakes["bot"], ECHO_TOKEN: fakes["echo"]}
    with ApiServer(routes, keep_alive=keep_alive) as server:
        bots["bot"] = BotProcess(
            "cjm-bot run",
            fakes["bot"],
            ["-m", "bot.cli", "run"],
            _env(BOT_TOKEN, server.base_url, DATABASE_PATH=str(db)),
            folder / "bot.log",
        )
        bots["echo"] = BotProcess(
            "echo bot",
            fakes["echo"],
            ["-m", "bench.echo_bot"],
            _env(ECHO_TOKEN, server.base_url),
            folder / "echo.log",
        )
        try:
            for bot in bots.values():
                bot.start()
            for bot in bots.values():
                bot.wait_ready()
            for bot in bots.values():  # warm up: lazy imports, caches, connections
                bot.answer(users, len(CYCLE), 0, timeout=60)
            done = len(CYCLE)
            for b in range(batches):
                order = ("bot", "echo") if b % 2 == 0 else ("echo", "bot")
                for name in order:
                    left = deadline - (time.monotonic() - started)
                    if left <= 0:
                        raise TimeoutError(f"the run took longer than {deadline} s")
                    bots[name].measured(users, rounds_per_batch, done, timeout=min(60, left))
                done += rounds_per_batch
        finally:
            for bot in bots.values():
                bot.stop()
    stored = asyncio.run(touchpoints(db))
    expected = people * (done // len(CYCLE))
    if stored != expected:
        raise AssertionError(f"the bot stored {stored} touchpoints, expected {expected}")
    bot_ms = 1000 * bots["bot"].cpu / bots["bot"].answers
    echo_ms = 1000 * bots["echo"].cpu / bots["echo"].answers
    return {
        "answer_cpu_ms_bot": round(bot_ms, 2),
        "answer_cpu_ms_echo": round(echo_ms, 2),
        "answer_cpu_ratio_vs_echo": round(bot_ms / echo_ms, 2),
        "answer_cpu_answers": bots["bot"].answers,
    }


def run(
    answers: int = 1000,
    people: int = 10,
    batch: int = 100,
    deadline: float = 900.0,
    keep_alive: bool = False,
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        return measure(answers, people, batch, deadline, keep_alive, Path(folder))


def from_env() -> dict[str, float]:
    return run(
        answers=int(os.environ.get("BENCH_ANSWERS", "1000")),
        people=int(os.environ.get("BENCH_ANSWER_PEOPLE", "10")),
        batch=int(os.environ.get("BENCH_ANSWER_BATCH", "100")),
        deadline=float(os.environ.get("BENCH_ANSWER_DEADLINE", "900")),
        keep_alive=os.environ.get("BENCH_ANSWER_KEEPALIVE", "") not in ("", "0"),
    )


if __name__ == "__main__":
    print(from_env())
