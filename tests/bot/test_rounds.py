"""Review rounds, the living map in the group, the weekly digest and nudges."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.telegram.reminders import rebuild
from bot.telegram.review_rounds import send_digests, send_nudges
from flows.models import Member, Review, ReviewStatus, WorkshopStatus
from flows.ports import FixedClock
from tests.bot.harness import BotHarness
from tests.builders import NOW, make_current, review_workshop

FACILITATOR = 9000
GROUP = -100777


async def test_a_round_ends_with_a_new_map_and_what_changed_in_the_group(tmp_path: Path) -> None:
    clock = FixedClock(NOW)
    async with BotHarness(tmp_path, clock) as bot:
        ws = await review_workshop(bot.services.store, owners=2, kpis=1)
        async with bot.services.store.write() as uow:
            workshop = await uow.workshops.get(ws.id)
            workshop.group_chat_id = GROUP
            await uow.workshops.update(workshop)
        await make_current(bot, "tg:9000", ws.id)
        await rebuild(bot.app)
        started = await bot.say(FACILITATOR, "/review")
        assert "Review round 1 started" in started["text"]
        first, second = bot.telegram.last(100), bot.telegram.last(101)
        ask = await bot.press(100, first, "Update KPI")
        assert "KPI 0" in ask["text"]
        await bot.say(100, "61")
        assert not bot.telegram.chat_messages(GROUP)  # one owner has not answered yet
        await bot.press(101, second, "Up to date")
        posted = [
            m.get("text") or m.get("caption") or "" for m in bot.telegram.chat_messages(GROUP)
        ]
        assert "🗺 <b>Dealership</b> — map v1 published." in posted
        assert bot.telegram.sent(GROUP, "sendPhoto")


async def test_review_needs_a_published_workshop_and_a_facilitator(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=1)
        await make_current(bot, "tg:100", ws.id)
        refused = await bot.say(100, "/review")
        assert "Only facilitators" in refused["text"]
        async with bot.services.store.write() as uow:
            workshop = await uow.workshops.get(ws.id)
            workshop.status = WorkshopStatus.COLLECTING
            await uow.workshops.update(workshop)
        await make_current(bot, "tg:9000", ws.id)
        early = await bot.say(FACILITATOR, "/review")
        assert "Publish the map first" in early["text"]


async def test_the_weekly_digest_lists_overdue_unreachable_and_stale(tmp_path: Path) -> None:
    clock = FixedClock(NOW)
    async with BotHarness(tmp_path, clock) as bot:
        ws = await review_workshop(bot.services.store, owners=3)
        await rebuild(bot.app)
        from bot.telegram.reminders import deliver_due

        bot.telegram.blocked.add(102)
        await deliver_due(bot.app, ws.id)
        clock.advance(days=4)
        await send_digests(bot.app, ws.id)
        digest = bot.telegram.last(FACILITATOR)["text"]
        assert "Weekly digest" in digest
        # all three were sent four days ago and none answered: the one who blocked the bot too
        assert "Overdue: 3" in digest
        for owner in ("Owner 0", "Owner 1", "Owner 2"):
            assert f"Overdue: TP {owner[-1]}.0 — {owner} (since 01.06.2026)" in digest
        assert "Unreachable: Owner 2" in digest
        assert "Stale" in digest
        count = len(bot.telegram.chat_messages(FACILITATOR))
        clock.advance(days=1)
        await send_digests(bot.app, ws.id)  # not again within the week
        assert len(bot.telegram.chat_messages(FACILITATOR)) == count
        async with bot.services.store.read() as uow:
            reviews = await uow.items.list(ws.id, Review)
        assert all(r.escalated_at for r in reviews if r.status == ReviewStatus.SENT and r.owner_id)


async def test_nudges_go_before_the_deadline_at_most_once_a_day(tmp_path: Path) -> None:
    clock = FixedClock(NOW)
    async with BotHarness(tmp_path, clock) as bot:
        ws = await review_workshop(bot.services.store, owners=2)
        async with bot.services.store.write() as uow:
            workshop = await uow.workshops.get(ws.id)
            workshop.status = WorkshopStatus.COLLECTING
            workshop.deadline = (NOW + timedelta(days=10)).date()
            await uow.workshops.update(workshop)
            done = (await uow.items.list(ws.id, Member))[-1]
            done.finished_at = NOW
            await uow.items.update(done)
        assert await send_nudges(bot.app, ws.id) == 0  # the deadline is far
        clock.advance(days=8)
        assert await send_nudges(bot.app, ws.id) == 1  # only the unfinished one
        assert "not finished" in bot.telegram.last(100)["text"]
        clock.advance(hours=5)
        assert await send_nudges(bot.app, ws.id) == 0  # once a day
        clock.advance(days=1)
        assert await send_nudges(bot.app, ws.id) == 1


async def test_status_counts_stale_touchpoints_after_publishing(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        # confirmed 40 days ago, cadence 30 days
        ws = await review_workshop(bot.services.store, owners=2)
        await make_current(bot, "tg:9000", ws.id)
        status = await bot.say(FACILITATOR, "/status")
        assert "(stale): 2 touchpoints" in status["text"]


def test_what_changed_is_shown_in_the_readers_language() -> None:
    from bot.telegram.review_rounds import version_text
    from flows.models import MapVersion

    version = MapVersion(
        workshop_id="w",
        number=3,
        changes=["version.change.idea_status|name=CDN|status=planned", "version.change.none"],
    )
    text = version_text("ru", "Клиника", version)
    assert "v3" in text and "v2" in text and "CDN" in text and "planned" not in text
