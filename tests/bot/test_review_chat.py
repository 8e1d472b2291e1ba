"""An owner answering review cards in chat, through the real Application."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from telegram import Update

from bot.telegram.reminders import deliver_due, rebuild
from flows.models import (
    KpiReading,
    PainPoint,
    Position,
    Review,
    ReviewOutcome,
    ReviewStatus,
    Touchpoint,
)
from flows.ports import FixedClock
from tests.bot.harness import BotHarness
from tests.builders import NOW, make_current, review_workshop

OWNER = 100


async def card(bot: BotHarness, **kw: int) -> tuple[str, dict]:
    ws = await review_workshop(
        bot.services.store, owners=kw.get("owners", 2), kpis=kw.get("kpis", 1)
    )
    await rebuild(bot.app)
    await deliver_due(bot.app, ws.id)
    return ws.id, bot.telegram.last(OWNER)


async def reviews_of(bot: BotHarness, ws_id: str) -> list[Review]:
    async with bot.services.store.read() as uow:
        return await uow.items.list(ws_id, Review)


async def test_the_card_shows_the_touchpoint_kpi_and_buttons(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        _, message = await card(bot)
        assert "TP 0.0" in message["text"] and "KPI 0" in message["text"]
        labels = [label for label, _ in bot.telegram.buttons(message)]
        assert labels[:4] == [
            "✅ Up to date",
            "📈 Update KPI",
            "⚠️ Add pain point",
            "⏰ Snooze 7 days",
        ]


async def test_up_to_date_confirms_in_one_tap(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws_id, message = await card(bot)
        old = next(d for label, d in bot.telegram.buttons(message) if "Up to date" in label)
        after = await bot.press(OWNER, message, "Up to date")
        assert after["message_id"] == message["message_id"]  # edited, not a new message
        assert "«TP 0.0» is confirmed. Next review: 01.07.2026." in after["text"]  # in 30 days
        done = [r for r in await reviews_of(bot, ws_id) if r.status == ReviewStatus.DONE]
        assert [r.outcome for r in done] == [ReviewOutcome.UP_TO_DATE]
        await bot.feed(bot.telegram.press(OWNER, message["message_id"], old))  # pressed again
        assert bot.telegram.last(OWNER)["text"] == after["text"]
        assert len(done) == len(
            [r for r in await reviews_of(bot, ws_id) if r.status == ReviewStatus.DONE]
        )
        alert = bot.telegram.calls[-1]
        assert alert.method == "answerCallbackQuery" and "already answered" in alert.params["text"]


async def test_update_kpi_takes_a_locale_tolerant_number(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws_id, message = await card(bot)
        ask = await bot.press(OWNER, message, "Update KPI")
        assert "KPI 0" in ask["text"]
        wrong = await bot.say(OWNER, "about forty")
        assert "number" in wrong["text"].lower() and "KPI 0" in wrong["text"]
        saved = await bot.say(OWNER, "42,5%")
        assert "42.5" in saved["text"]
        async with bot.services.store.read() as uow:
            readings = await uow.items.list(ws_id, KpiReading)
        assert [r.value for r in readings] == [42.5]
        # the next text goes to the workshop flows again, not to the review
        follow = await bot.say(OWNER, "hello")
        assert "42.5" not in follow["text"]


async def test_several_kpis_are_offered_to_choose_from(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        _, message = await card(bot, kpis=2)
        choose = await bot.press(OWNER, message, "Update KPI")
        assert [label for label, _ in bot.telegram.buttons(choose)] == ["KPI 0", "KPI 1"]
        ask = await bot.press(OWNER, choose, "KPI 1")
        assert "KPI 1" in ask["text"]


async def test_add_pain_point_runs_the_pain_flow_for_that_touchpoint(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws_id, message = await card(bot)
        first = await bot.press(OWNER, message, "Add pain point")
        assert first["message_id"] == message["message_id"]  # the card becomes the question
        too_long = await bot.say(OWNER, "x" * 1001)
        assert "1000" in too_long["text"]
        evidence = await bot.say(OWNER, "Test drive slots are booked for weeks <b>")
        severity = await bot.press(OWNER, evidence, "Skip")
        anonymous = await bot.press(OWNER, severity, "3")
        done = await bot.press(OWNER, anonymous, "No")
        assert "TP 0.0" in done["text"]
        async with bot.services.store.read() as uow:
            pains = await uow.items.list(ws_id, PainPoint)
            tps = await uow.items.list(ws_id, Touchpoint)
            reviews = await uow.items.list(ws_id, Review)
        assert [p.description for p in pains] == ["Test drive slots are booked for weeks <b>"]
        assert pains[0].touchpoint_id == tps[0].id and pains[0].is_hypothesis
        assert pains[0].severity == 3 and pains[0].author_id is not None
        assert [r.outcome for r in reviews if r.status == ReviewStatus.DONE] == [
            ReviewOutcome.PAIN_ADDED
        ]


async def test_after_the_pain_point_the_person_is_back_where_they_were(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws_id, message = await card(bot)
        store = bot.services.store
        async with store.write() as uow:
            person = await uow.people.get("tg:100")
            person.current_workshop_id = ws_id
            await uow.people.save(person)
            await uow.positions.save(
                Position(
                    person_id="tg:100",
                    workshop_id=ws_id,
                    flow="home",
                    step="home.menu",
                    draft={"marker": "mid-section"},
                )
            )
        await bot.press(OWNER, message, "Add pain point")
        async with store.read() as uow:
            during = await uow.positions.get("tg:100", ws_id)
        assert during.flow == "review_pain"
        await bot.say(OWNER, "/cancel")
        async with store.read() as uow:
            after = await uow.positions.get("tg:100", ws_id)
        assert (after.flow, after.step, after.draft) == (
            "home",
            "home.menu",
            {"marker": "mid-section"},
        )


async def test_cancel_drops_a_pending_kpi_value_and_puts_the_owner_back(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws_id, message = await card(bot)
        store = bot.services.store
        async with store.write() as uow:  # the owner was in the middle of something
            await uow.positions.save(
                Position(
                    person_id="tg:100",
                    workshop_id=ws_id,
                    flow="home",
                    step="home.menu",
                    draft={"marker": "mid-section"},
                )
            )
        await make_current(bot, "tg:100", ws_id)
        await bot.press(OWNER, message, "Update KPI")
        cancelled = await bot.say(OWNER, "/cancel")
        assert "cancelled, nothing recorded" in cancelled["text"]
        assert "/review_me" in cancelled["text"]
        async with store.read() as uow:
            after = await uow.positions.get("tg:100", ws_id)
        assert (after.flow, after.step, after.draft) == (
            "home",
            "home.menu",
            {"marker": "mid-section"},
        )
        await bot.say(OWNER, "55")
        async with store.read() as uow:
            assert await uow.items.list(ws_id, KpiReading) == []
        again = await bot.say(OWNER, "/review_me")  # the review is still open
        assert "TP 0.0" in again["text"]


async def test_a_kpi_value_delivered_twice_is_recorded_once(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws_id, message = await card(bot)
        await bot.press(OWNER, message, "Update KPI")
        update = bot.telegram.text_update(OWNER, "42")
        await bot.feed(update)
        sent = len(bot.telegram.sent(OWNER, "sendMessage"))
        await bot.app.process_update(Update.de_json(update, bot.app.bot))  # redelivered
        await bot.settle()
        assert len(bot.telegram.sent(OWNER, "sendMessage")) == sent  # answered once
        async with bot.services.store.read() as uow:
            readings = await uow.items.list(ws_id, KpiReading)
        assert [r.value for r in readings] == [42]


async def test_snooze_waits_a_week(tmp_path: Path) -> None:
    clock = FixedClock(NOW)
    async with BotHarness(tmp_path, clock) as bot:
        ws_id, message = await card(bot)
        after = await bot.press(OWNER, message, "Snooze")
        assert "ask about «TP 0.0» again on 08.06.2026" in after["text"]  # in 7 days
        clock.advance(days=6)
        assert await deliver_due(bot.app, ws_id) == 0
        clock.advance(days=1, minutes=1)
        assert await deliver_due(bot.app, ws_id) == 1


async def test_handover_to_a_colleague_who_accepts(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws_id, message = await card(bot)
        choose = await bot.press(OWNER, message, "Hand over")
        offered = await bot.press(OWNER, choose, "Owner 1")
        assert "Owner 1" in offered["text"]
        offer = bot.telegram.last(101)
        assert "Owner 0" in offer["text"]
        await bot.press(101, offer, "Accept")
        async with bot.services.store.read() as uow:
            tp = next(t for t in await uow.items.list(ws_id, Touchpoint) if t.name == "TP 0.0")
            owner = await uow.items.member_of(ws_id, "tg:101")
        assert tp.owner_id == owner.id
        assert "now owns" in bot.telegram.last(OWNER)["text"]


async def test_a_stranger_cannot_answer_someone_elses_review(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws_id, message = await card(bot)
        data = next(d for label, d in bot.telegram.buttons(message) if "Up to date" in label)
        bot.telegram.user(555, "Stranger")
        bot.telegram.messages[(555, message["message_id"])] = dict(
            message, chat={"id": 555, "type": "private", "first_name": "S"}
        )
        await bot.feed(bot.telegram.press(555, message["message_id"], data))
        assert all(r.status != ReviewStatus.DONE for r in await reviews_of(bot, ws_id))


async def test_away_holds_reminders(tmp_path: Path) -> None:
    clock = FixedClock(NOW - timedelta(days=20))
    async with BotHarness(tmp_path, clock) as bot:
        ws = await review_workshop(bot.services.store, owners=1)
        await rebuild(bot.app)
        await make_current(bot, "tg:100", ws.id)
        bad = await bot.say(OWNER, "/away someday")
        assert "date" in bad["text"]
        ok = await bot.say(OWNER, "/away 30.07.2026")
        assert "30.07.2026" in ok["text"]
        clock.advance(days=25)
        assert await deliver_due(bot.app, ws.id) == 0
