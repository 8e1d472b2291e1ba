"""/map over real HTTP: a wide map arrives as an album of the phone summary (each photo a
stretch of the stages, together all of them), the full PNG as a document after it; the
five-stage demo's summary is one photo. The album is one answer (one sendMediaGroup call)
of several messages."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.demo.play import START, play
from bot.demo.sample import sample_map
from flows.models import JourneyMap, Member, Person, Role, Workshop, WorkshopStatus
from flows.ports import FixedClock
from flows.steps.catalog import WorkshopEngine
from flows.workshop.queries import load_map
from flows.workshop.versions import save_version
from renderers import summary
from storage.store import SqliteStore
from tests.bot.fake_telegram import png_size
from tests.bot.live import LiveBot

WIDE, DEMO = 10, 11
STAGES = 20


async def _seed_wide(db: Path, user: int, jm: JourneyMap) -> None:
    """``jm`` as a published workshop of which ``user`` is the facilitator."""
    workshop = Workshop.model_validate(
        {**jm.workshop.model_dump(), "status": WorkshopStatus.PUBLISHED, "language": "en"}
    )
    store = await SqliteStore.open(db)
    try:
        async with store.write() as uow:
            await uow.workshops.add(workshop)
            pid = f"tg:{user}"
            person = Person(
                id=pid, name="Olga", chat_id=user, language="en", current_workshop_id=workshop.id
            )
            await uow.people.save(person)
            await uow.items.add(
                Member(workshop_id=workshop.id, person_id=pid, name="Olga", role=Role.FACILITATOR)
            )
            for field in JourneyMap.FIELDS.values():
                for item in getattr(jm, field):
                    await uow.items.add(item)
            await save_version(uow, workshop, jm.generated_at)
    finally:
        await store.close()


async def _seed_demo(db: Path, user: int) -> None:
    """The demo workshop played through the engine; ``user`` in Telegram is its facilitator."""
    store = await SqliteStore.open(db)
    try:
        clock = FixedClock(START)
        pid, workshop_id = await play(WorkshopEngine(store, clock), clock, "en")
        async with store.write() as uow:
            member = await uow.items.member_of(workshop_id, pid)
            assert member is not None
            member.person_id = f"tg:{user}"
            await uow.items.update(member)
            person = Person(
                id=f"tg:{user}",
                name="Ivan",
                chat_id=user,
                language="en",
                current_workshop_id=workshop_id,
            )
            await uow.people.save(person)
    finally:
        await store.close()


async def _summary_pages(db: Path, workshop_id: str, folder: Path) -> list[bytes]:
    """The phone summary's photos of the stored map, drawn here."""
    from renderers.image import render_preview_pngs

    store = await SqliteStore.open(db)
    try:
        journey = await load_map(store, workshop_id)
    finally:
        await store.close()
    paths = render_preview_pngs(journey, folder / "page.png", lang="en")
    return [p.read_bytes() for p in paths]


def _map_files(bot: LiveBot, user: int) -> list[str]:
    return [
        c.method
        for c in bot.telegram.sent(user)
        if c.method in ("sendPhoto", "sendMediaGroup", "sendDocument")
    ]


def test_a_wide_map_is_an_album_of_every_stage_and_the_demo_one_photo(tmp_path: Path) -> None:
    wide = sample_map(STAGES, template=None, density=0.6)
    bot = LiveBot(tmp_path)
    asyncio.run(_seed_wide(bot.db, WIDE, wide))
    asyncio.run(_seed_demo(bot.db, DEMO))
    with bot:
        bot.telegram.user(WIDE, "Olga", "en")
        bot.telegram.text_update(WIDE, "/map")
        bot.wait_for(lambda: "sendDocument" in _map_files(bot, WIDE), "the full map", 90)
        assert _map_files(bot, WIDE) == ["sendMediaGroup", "sendDocument"]
        (album,) = bot.telegram.sent(WIDE, "sendMediaGroup")
        media = album.params["media"]
        media = json.loads(media) if isinstance(media, str) else media
        ranges = summary.pages(STAGES)
        assert len(media) == len(ranges) >= 3
        # the photos in the order of their stages, each one a page of the summary …
        photos = [album.files[m["media"].removeprefix("attach://")] for m in media]
        widths = {png_size(p)[0] for p in photos}
        assert widths == {summary.WIDTH_PX}
        # … that together hold every stage once: "stages 1–7 of 20", "8–14", "15–20" — the
        # very pages the phone summary draws of the stored map, in their order
        covered = [n for first, last in ranges for n in range(first, last)]
        assert covered == list(range(STAGES))
        assert photos == asyncio.run(_summary_pages(bot.db, wide.workshop.id, tmp_path))
        # the caption under the first photo only, the title in it
        assert "Клиника" in media[0]["caption"] and not any(m.get("caption") for m in media[1:])
        assert media[0]["parse_mode"] == "HTML" and "<b>" in media[0]["caption"]
        shown = [m for m in bot.telegram.chat_messages(WIDE) if "photo" in m]
        assert len(shown) == len(ranges) and len({m["media_group_id"] for m in shown}) == 1
        document = bot.telegram.sent(WIDE, "sendDocument")[-1]
        assert next(iter(document.names.values())) == "cjm-map-v1.png"
        full = next(iter(document.files.values()))
        assert png_size(full)[0] > summary.WIDTH_PX  # the whole map, wider than the phone's

        bot.telegram.user(DEMO, "Ivan", "en")
        bot.telegram.text_update(DEMO, "/map")
        bot.wait_for(lambda: "sendDocument" in _map_files(bot, DEMO), "the demo's full map", 90)
        assert _map_files(bot, DEMO) == ["sendPhoto", "sendDocument"]
        (photo,) = bot.telegram.sent(DEMO, "sendPhoto")
        # the version's own date: the demo published v1 on 2025-03-04 (today is later)
        assert "Car buyer journey 2025" in photo.params["caption"]
        assert "v1, 2025-03-04" in photo.params["caption"]
    log = bot.output()
    assert "Traceback" not in log, log[-3000:]
