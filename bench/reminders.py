"""Review reminders at scale: N due reviews for N owners, sent by the real Application
over HTTP to a fake Bot API on loopback that allows 30 messages a second and answers 429
beyond it. Measures the time, the rate, and that nobody got two reminders or none."""

from __future__ import annotations

import asyncio
import tempfile
import time as clock
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from bot.settings import load_settings
from bot.telegram.app import _post_init, _post_shutdown, build_application
from bot.telegram.reminders import deliver_due, rebuild
from flows.models import Member, Person, Stage, Touchpoint, Workshop, WorkshopStatus
from storage.store import SqliteStore
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_transport import FakeBotApiServer

TOKEN = "424242:BENCH-token-for-the-fake-bot-api-00"
TELEGRAM_LIMIT = 30  # messages per second


async def _seed(store: SqliteStore, owners: int) -> str:
    now = datetime.now(UTC)
    workshop = Workshop(
        title="Reminder load",
        status=WorkshopStatus.PUBLISHED,
        review_cadence_days=30,
        working_days=list(range(7)),
        quiet_start=time(0, 0),
        quiet_end=time(0, 0),
    )
    stage = Stage(workshop_id=workshop.id, order=0, name="Use")
    async with store.write() as uow:
        await uow.workshops.add(workshop)
        await uow.items.add(stage)
        for i in range(owners):
            uid = 1_000_000 + i
            await uow.people.save(Person(id=f"tg:{uid}", name=f"Owner {i}", chat_id=uid))
            member = Member(workshop_id=workshop.id, person_id=f"tg:{uid}", name=f"Owner {i}")
            await uow.items.add(member)
            await uow.items.add(
                Touchpoint(
                    workshop_id=workshop.id,
                    stage_id=stage.id,
                    name=f"Touchpoint {i}",
                    owner_id=member.id,
                    last_confirmed_at=now - timedelta(days=40),
                )
            )
    return workshop.id


async def measure(owners: int, folder: Path) -> dict[str, float]:
    telegram = FakeTelegram()
    with FakeBotApiServer(telegram, TOKEN) as server:
        settings = load_settings(
            _env_file=None,
            telegram_bot_token=TOKEN,
            telegram_api_base_url=server.base_url,
            database_path=folder / "bench.sqlite3",
            log_level="WARNING",
        )
        store = await SqliteStore.open(settings.database_path)
        workshop_id = await _seed(store, owners)
        await store.close()
        app = build_application(settings)
        await app.initialize()
        await _post_init(app)  # rebuilds the schedule: every review is due now
        try:
            await rebuild(app)
            telegram.rate_limit = TELEGRAM_LIMIT
            start = clock.perf_counter()
            await deliver_due(app, workshop_id)
            elapsed = clock.perf_counter() - start
        finally:
            await _post_shutdown(app)
            await app.shutdown()
    per_chat = Counter(
        int(c.params["chat_id"]) for c in telegram.calls if c.method == "sendMessage"
    )
    delivered = Counter(chat for (chat, _), m in telegram.messages.items() if chat > 0)
    return {
        f"reminders_{owners}_s": round(elapsed, 2),
        "reminders_msgs_per_s": round(sum(delivered.values()) / elapsed, 2),
        "reminders_duplicates": sum(n - 1 for n in delivered.values() if n > 1),
        "reminders_lost": owners - len(delivered),
        "reminders_429": telegram.refused_429,
        "reminders_attempts": sum(per_chat.values()),
    }


def run(owners: int = 10_000) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        return asyncio.run(measure(owners, Path(folder)))


if __name__ == "__main__":
    print(run(int(__import__("sys").argv[1]) if len(__import__("sys").argv) > 1 else 10_000))
