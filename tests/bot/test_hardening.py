"""Cases a reviewer found: races around handovers and invites, a closed workshop, very
long absences, messages that would be too long, cycles that end in versions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.telegram.reminders import deliver_due, rebuild
from bot.telegram.review_rounds import close_rounds
from flows.models import Kpi, Member, Review, ReviewRound, ReviewStatus, Touchpoint
from flows.ports import FixedClock
from flows.review import cycle as rv
from flows.workshop.facilitator import close
from tests.bot.harness import BotHarness
from tests.bot.workshop import FACILITATOR, create_workshop
from tests.builders import NOW, WorkshopBuilder, make_current, review_workshop

GROUP = -100888


async def members_of(bot: BotHarness, ws_id: str) -> list[Member]:
    async with bot.services.store.read() as uow:
        return [m for m in await uow.items.list(ws_id, Member) if m.name.startswith("Owner")]


async def test_a_touchpoint_handed_to_one_colleague_cannot_be_taken_by_another(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=3)
        owners = await members_of(bot, ws.id)
        store = bot.services.store
        async with store.write() as uow:
            tp = next(t for t in await uow.items.list(ws.id, Touchpoint) if t.name == "TP 0.0")
            first = await rv.offer_handover(uow, tp.id, owners[0], owners[1])
            second = await rv.offer_handover(uow, tp.id, owners[0], owners[2])
        async with store.write() as uow:
            await rv.answer_handover(uow, first.id, owners[1], True, NOW)
        with pytest.raises(rv.ReviewError, match="closed"):
            async with store.write() as uow:
                await rv.answer_handover(uow, second.id, owners[2], True, NOW)
        async with store.read() as uow:
            assert (await uow.items.get(Touchpoint, tp.id)).owner_id == owners[1].id


async def test_when_one_colleague_accepts_a_handover_the_other_offers_are_withdrawn(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=3)
        await rebuild(bot.app)
        await deliver_due(bot.app, ws.id)
        choose = await bot.press(100, bot.telegram.last(100), "Hand over")
        to_2 = next(d for label, d in bot.telegram.buttons(choose) if label == "Owner 2")
        await bot.press(100, choose, "Owner 1")
        await bot.feed(bot.telegram.press(100, choose["message_id"], to_2))  # a second tap
        offer_1, offer_2 = bot.telegram.last(101), bot.telegram.last(102)
        assert "Owner 0" in offer_1["text"] and "Owner 0" in offer_2["text"]
        assert "You now own «TP 0.0»" in (await bot.press(101, offer_1, "Accept"))["text"]
        # Owner 1 hands it straight back: Owner 0 owns it again ...
        await deliver_due(bot.app, ws.id)
        back = await bot.press(101, bot.telegram.last(101), "Hand over")
        await bot.press(101, back, "Owner 0")
        await bot.press(100, bot.telegram.last(100), "Accept")
        # ... and Owner 0's first offer to Owner 2 was withdrawn: it cannot take it now
        await bot.press(102, offer_2, "Accept")
        refusal = bot.telegram.calls[-1]
        assert refusal.method == "answerCallbackQuery"
        assert "already answered" in refusal.params["text"]
        async with bot.services.store.read() as uow:
            tp = next(t for t in await uow.items.list(ws.id, Touchpoint) if t.name == "TP 0.0")
        assert tp.owner_id == (await members_of(bot, ws.id))[0].id


async def test_an_invite_revoked_during_the_join_creates_no_member(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        bot.telegram.user(21, "Anna", "en")
        confirm = await bot.say(21, f"/start {codes['sales']}")
        await bot.press(21, confirm, "Join")
        await bot.say(21, "Anna")
        await bot.say(FACILITATOR, "/revoke")
        refused = await bot.say(21, "Sales manager")
        assert "not valid" in refused["text"]
        async with bot.services.store.read() as uow:
            assert await uow.items.member_of(ws_id, "tg:21") is None


async def test_a_closed_workshop_sends_no_more_reviews(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=2)
        await rebuild(bot.app)
        await close(bot.services.store, "tg:9000", ws.id)
        assert await deliver_due(bot.app, ws.id) == 0
        async with bot.services.store.read() as uow:
            reviews = await uow.items.list(ws.id, Review)
        assert reviews and all(r.status == ReviewStatus.CANCELLED for r in reviews)


async def test_away_for_more_than_a_year_is_refused_and_long_absences_work(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=1)
        await rebuild(bot.app)
        await make_current(bot, "tg:100", ws.id)
        refused = await bot.say(100, "/away 31.12.2099")
        assert "within the next year" in refused["text"]
        ok = await bot.say(100, "/away 30.05.2027")
        assert "30.05.2027" in ok["text"]
        await rebuild(bot.app)  # start-up with a long absence works


async def test_long_texts_still_fit_telegram(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=1, touchpoints_each=30)
        async with bot.services.store.write() as uow:
            for tp in await uow.items.list(ws.id, Touchpoint):
                tp.name = tp.name + " " + "очень длинное название точки контакта " * 25
                await uow.items.update(tp)
        await rebuild(bot.app)
        assert await deliver_due(bot.app, ws.id) == 1
        listing = bot.telegram.last(100)
        assert len(bot.telegram.buttons(listing)) == 21  # 20 touchpoints + "All up to date"
        assert "+10 more" in listing["text"]


async def test_reviews_due_on_schedule_end_in_a_new_version_in_the_group(
    tmp_path: Path,
) -> None:
    clock = FixedClock(NOW)
    async with BotHarness(tmp_path, clock) as bot:
        ws = await review_workshop(bot.services.store, owners=2)
        async with bot.services.store.write() as uow:
            workshop = await uow.workshops.get(ws.id)
            workshop.group_chat_id = GROUP
            await uow.workshops.update(workshop)
        await rebuild(bot.app)
        assert await deliver_due(bot.app, ws.id) == 2
        for owner in (100, 101):
            await bot.press(owner, bot.telegram.last(owner), "Up to date")
        await close_rounds(bot.app, ws.id)
        async with bot.services.store.read() as uow:
            rounds = await uow.items.list(ws.id, ReviewRound)
        assert len(rounds) == 1 and rounds[0].completed_at is not None
        assert bot.telegram.sent(GROUP, "sendPhoto")


async def test_review_now_waits_for_an_absent_owner(tmp_path: Path) -> None:
    clock = FixedClock(NOW - timedelta(days=20))
    async with BotHarness(tmp_path, clock) as bot:
        ws = await review_workshop(bot.services.store, owners=1)
        await rebuild(bot.app)
        async with bot.services.store.write() as uow:
            owner = (await members_of(bot, ws.id))[0]
            await rv.set_away(uow, owner, (NOW - timedelta(days=15)).date(), clock.now())
            person = await uow.people.get("tg:9000")
            person.current_workshop_id = ws.id
            await uow.people.save(person)
        started = await bot.say(9000, "/review")
        assert "started" in started["text"]
        assert not bot.telegram.chat_messages(100)  # away: the card waits
        clock.advance(days=6)
        assert await deliver_due(bot.app, ws.id) == 1


async def test_a_pain_point_from_a_card_goes_to_its_workshop_and_keeps_the_current_one(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=1, kpis=0)
        await rebuild(bot.app)
        await deliver_due(bot.app, ws.id)
        card = bot.telegram.last(100)
        bakery = WorkshopBuilder("Bakery")  # Owner 0 works in another workshop meanwhile
        there = bakery.add(Member(workshop_id=bakery.id, person_id="tg:100", name="Owner 0"))
        bakery.position(there, "home", "home.menu")
        await bakery.save(bot.services.store)
        await make_current(bot, "tg:100", bakery.id)
        asked = await bot.press(100, card, "Add pain point")
        assert asked["message_id"] == card["message_id"]  # the card becomes the question
        assert "«Test drive»: describe a pain point" in asked["text"]
        await bot.say(100, "/cancel")
        again = await bot.say(100, "/continue")  # back where they were
        assert "«Bakery»: what next?" in again["text"]
        async with bot.services.store.read() as uow:
            assert (await uow.people.get("tg:100")).current_workshop_id == bakery.id


async def test_nothing_is_merged_into_an_item_already_merged_away(tmp_path: Path) -> None:
    from flows.workshop.facilitator import NotFound, merge

    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=1, touchpoints_each=3, kpis=1)
        store = bot.services.store
        async with store.read() as uow:
            a, b, c = await uow.items.list(ws.id, Touchpoint)
        assert await merge(store, "tg:9000", ws.id, a.id, b.id) == 1  # b's KPI moves to a
        async with store.read() as uow:
            kpis = await uow.items.list(ws.id, Kpi)
            left = await uow.items.list(ws.id, Touchpoint)
        assert [t.id for t in left] == [a.id, c.id]  # the duplicate is gone
        assert sorted(k.touchpoint_id for k in kpis) == sorted([a.id, a.id, c.id])
        with pytest.raises(NotFound):
            await merge(store, "tg:9000", ws.id, b.id, c.id)


async def test_revoke_answers_with_one_message_holding_the_new_links(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        await create_workshop(bot)
        before = len(bot.telegram.chat_messages(FACILITATOR))
        reply = await bot.say(FACILITATOR, "/revoke")
        assert len(bot.telegram.chat_messages(FACILITATOR)) == before + 1
        assert "no longer work" in reply["text"] and "start=" in reply["text"]


async def test_an_owner_sets_their_time_zone_and_reminders_follow_it(tmp_path: Path) -> None:
    from datetime import time
    from zoneinfo import ZoneInfo

    async with BotHarness(tmp_path, FixedClock(NOW - timedelta(days=20))) as bot:
        ws = await review_workshop(bot.services.store, owners=1)
        await rebuild(bot.app)
        await make_current(bot, "tg:100", ws.id)
        bad = await bot.say(100, "/timezone Mars/Base")
        assert "Mars/Base" in bad["text"] and "not a time zone" in bad["text"]
        ok = await bot.say(100, "/timezone Asia/Almaty")
        assert "Asia/Almaty" in ok["text"]
        async with bot.services.store.read() as uow:
            review = next(
                r for r in await uow.items.list(ws.id, Review) if r.status == ReviewStatus.SCHEDULED
            )
        assert review.due_at.astimezone(ZoneInfo("Asia/Almaty")).time() == time(10, 0)
