"""The bot's ``/map`` on a large workshop (80 stages, 2,000 touchpoints, with the reviews
and version snapshots such a workshop has), through the real Application over HTTP to the
fake Bot API on loopback (in a thread of its own, as Telegram is another machine): the
seconds from the update to the photo, and the longest event-loop stall meanwhile (a probe
task that wakes every 2 ms and notes how late it woke). Then the render worker's memory
over 100 renders of the 80-stage map (each a new content, as an edited map is).

The worker is warm when ``/map`` is timed (``MapRenderer.warm_up``) and the seeding's
garbage is collected; the map is new to the cache, so the photo is rendered for this
``/map``.
"""

from __future__ import annotations

import asyncio
import gc
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import psutil
from telegram import Update

from bot.demo.sample import NOW, _touchpoint, sample_map
from bot.settings import load_settings
from bot.telegram.app import _post_init, _post_shutdown, build_application
from bot.telegram.render_pool import MapRenderer
from flows.models import (
    JourneyMap,
    Member,
    Person,
    Review,
    ReviewStatus,
    Role,
    Workshop,
    WorkshopStatus,
)
from flows.workshop.versions import save_version
from storage.store import SqliteStore
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_transport import FakeBotApiServer

TOKEN = "424243:BENCH-token-for-the-fake-bot-api-00"
USER = 10
STAGES = 80
TOUCHPOINTS = 2000
VERSIONS = 3
PROBE_S = 0.002


def large_map(stages: int = STAGES, touchpoints: int = TOUCHPOINTS, seed: int = 7) -> JourneyMap:
    jm = sample_map(stages, template=None, density=1.0, seed=seed)
    rnd = random.Random(seed)
    i = 0
    while len(jm.touchpoints) < touchpoints:
        _touchpoint(jm, jm.stages[i % stages], rnd)
        i += 1
    return jm


async def seed(store: SqliteStore, jm: JourneyMap) -> str:
    """The map as a live workshop of person ``tg:USER`` (its facilitator), with a review
    per touchpoint and ``VERSIONS`` published versions."""
    workshop = Workshop.model_validate(
        {**jm.workshop.model_dump(), "status": WorkshopStatus.PUBLISHED, "language": "en"}
    )
    facilitator = Member(
        workshop_id=workshop.id, person_id=f"tg:{USER}", name="Olga", role=Role.FACILITATOR
    )
    async with store.write() as uow:
        await uow.workshops.add(workshop)
        await uow.people.save(
            Person(
                id=f"tg:{USER}",
                name="Olga",
                chat_id=USER,
                language="en",
                current_workshop_id=workshop.id,
            )
        )
        await uow.items.add(facilitator)
        for field in JourneyMap.FIELDS.values():
            for item in getattr(jm, field):
                await uow.items.add(item)
        owners = [m.id for m in jm.members]
        for n, tp in enumerate(jm.touchpoints):
            await uow.items.add(
                Review(
                    workshop_id=workshop.id,
                    touchpoint_id=tp.id,
                    owner_id=tp.owner_id or owners[n % len(owners)],
                    due_at=NOW - timedelta(days=n % 30),
                    status=ReviewStatus.DONE,
                )
            )
    for _ in range(VERSIONS):
        async with store.write() as uow:
            await save_version(uow, workshop, NOW)
    return workshop.id


async def _probe(worst: list[float], stop: asyncio.Event) -> None:
    """``worst[0]``: the latest the probe woke (s); ``worst[1]``: the most CPU time the
    loop's thread spent between two of its wake-ups (s): on a busy machine the first also
    counts the time the OS gave the process none, the second only what held the loop."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        start, cpu = loop.time(), time.thread_time()
        await asyncio.sleep(PROBE_S)
        worst[0] = max(worst[0], loop.time() - start - PROBE_S)
        worst[1] = max(worst[1], time.thread_time() - cpu)


def _photos(telegram: FakeTelegram) -> bool:
    return bool(telegram.sent(USER, "sendPhoto") or telegram.sent(USER, "sendMediaGroup"))


def _cpu_s() -> float:
    """CPU seconds of this process (all its threads) and its render workers so far."""
    me = psutil.Process()
    return sum(sum(p.cpu_times()[:2]) for p in [me, *me.children(recursive=True)])


async def map_photo(folder: Path) -> dict[str, float]:
    """From /map to the photo: the seconds, the CPU seconds of the bot and its render
    worker, the longest loop stall (ms; by the clock and by the loop thread's CPU)."""
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
        await seed(store, large_map())
        await store.close()
        app = build_application(settings)
        await app.initialize()
        await _post_init(app)
        try:
            telegram.user(USER, "Olga", "en")
            await app.bot_data["services"].renderer.warm_up()
            # the seeding's garbage (9,000 items written a moment ago, in this process)
            # collected now: else the full collection it is owed falls on whatever runs
            # next, here the timed /map (a bot in service seeds nothing before a /map)
            gc.collect()
            update = Update.de_json(telegram.text_update(USER, "/map"), app.bot)
            worst, stop = [0.0, 0.0], asyncio.Event()
            probe = asyncio.create_task(_probe(worst, stop))
            await asyncio.sleep(0.05)
            start, cpu = time.perf_counter(), _cpu_s()
            await app.process_update(update)
            while not _photos(telegram):  # a photo, or the album of a wide map
                await asyncio.sleep(PROBE_S)
            elapsed, cpu = time.perf_counter() - start, _cpu_s() - cpu
            stop.set()
            await probe
            await _settle()
        finally:
            await _post_shutdown(app)
            await app.shutdown()
    assert _photos(telegram), "/map sent no photo"
    return {
        "map_80_stages_photo_s": round(elapsed, 2),
        "map_80_stages_photo_cpu_s": round(cpu, 2),
        "map_loop_stall_ms": round(worst[0] * 1000, 1),
        "map_loop_stall_cpu_ms": round(worst[1] * 1000, 1),
    }


async def _settle() -> None:
    """Wait for /map's handler (it sends the full PNG after the photo)."""
    mine = asyncio.current_task()
    pending = [t for t in asyncio.all_tasks() if t is not mine and "non_blocking" in t.get_name()]
    await asyncio.gather(*pending, return_exceptions=True)


async def worker_rss(folder: Path, renders: int) -> tuple[float, float, int]:
    """Over ``renders`` renders (the photo and the full PNG) of the 80-stage map, each a
    new content so none comes from the cache: the render worker's largest resident size
    after a job (what would grow from render to render), the largest peak any job reached
    while drawing (each job's own VmHWM, reset as it starts; the worker's since it started
    where the kernel refuses the reset), in MB, and how many times the worker was
    replaced."""
    jm = large_map()
    renderer = MapRenderer(folder / "maps")
    after = 0.0
    try:
        for n in range(renders):
            jm.workshop.title = f"Large map, edit {n}"
            await renderer.render(jm, "en")
            after = max(after, renderer.last_worker_rss_mb)
    finally:
        renderer.close()
    return after, renderer.peak_worker_rss_mb, renderer.recycled


def run(renders: int = 100) -> dict[str, float]:
    """``BENCH_MAP_RENDERS`` sets fewer renders for a quick look (the target run is 100;
    0 times the photo only)."""
    with tempfile.TemporaryDirectory() as tmp:
        results = asyncio.run(map_photo(Path(tmp)))
    if renders:
        with tempfile.TemporaryDirectory() as tmp:
            rss, peak, recycled = asyncio.run(worker_rss(Path(tmp), renders))
        results[f"render_worker_rss_mb_{renders}"] = round(rss, 1)
        results[f"render_worker_peak_mb_{renders}"] = round(peak, 1)
        results[f"render_worker_recycled_{renders}"] = recycled
    return results


if __name__ == "__main__":
    import sys

    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
