"""A list of due reviews never dead-ends: an owner with three due touchpoints answers them
from the one list message in any order — each answer shows what is still open, with the
answered ones ticked — and the last answer closes the round: a new version in the group."""

from __future__ import annotations

from pathlib import Path

from bot.telegram.reminders import deliver_due, rebuild
from flows.models import Member, Position, Review, ReviewStatus
from flows.ports import FixedClock
from tests.bot.harness import BotHarness
from tests.builders import NOW, make_current, review_workshop

OWNER, FACILITATOR, GROUP = 100, 9000, -100777


async def _three_due(bot: BotHarness) -> str:
    ws = await review_workshop(bot.services.store, owners=1, touchpoints_each=3, kpis=1)
    async with bot.services.store.write() as uow:
        workshop = await uow.workshops.get(ws.id)
        assert workshop is not None
        workshop.group_chat_id = GROUP
        await uow.workshops.update(workshop)
    await make_current(bot, f"tg:{OWNER}", ws.id)
    await rebuild(bot.app)
    await deliver_due(bot.app, ws.id)
    return ws.id


async def test_three_due_touchpoints_answered_from_one_list_in_any_order(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws_id = await _three_due(bot)
        listing = bot.telegram.last(OWNER)
        assert "3 touchpoints" in listing["text"]
        names = ["TP 0.2", "TP 0.0", "TP 0.1"]  # any order

        card = await bot.press(OWNER, listing, names[0])
        after = await bot.press(OWNER, card, "Up to date")
        assert "Still open: 2 of 3" in after["text"] and "✓ TP 0.2" in after["text"]
        assert {label for label, _ in bot.telegram.buttons(after)} >= {"TP 0.0", "TP 0.1"}

        card = await bot.press(OWNER, after, names[1])
        ask = await bot.press(OWNER, card, "Update KPI")
        assert "KPI 0" in ask["text"]
        after = await bot.say(OWNER, "61,5")  # a typed answer leads back to the list too
        assert "Still open: 1 of 3" in after["text"]
        assert "✓ TP 0.2" in after["text"] and "✓ TP 0.0" in after["text"]
        assert not bot.telegram.chat_messages(GROUP)  # the round is not over yet

        card = await bot.press(OWNER, after, names[2])
        last = await bot.press(OWNER, card, "Up to date")
        assert "All 3 touchpoints of this review are answered" in last["text"]
        assert bot.telegram.buttons(last) == []
        assert bot.telegram.sent(GROUP, "sendPhoto")  # the new version reached the group
        calls = bot.telegram.calls
        answered = max(
            i
            for i, c in enumerate(calls)
            if str(c.params.get("chat_id")) == str(OWNER) and "edit" in c.method
        )
        posted = min(i for i, c in enumerate(calls) if str(c.params.get("chat_id")) == str(GROUP))
        assert answered < posted  # the owner's press is answered before the group post starts
        async with bot.services.store.read() as uow:
            reviews = await uow.items.list(ws_id, Review)
        assert not [r for r in reviews if r.status == ReviewStatus.SENT]


async def test_all_up_to_date_still_confirms_every_item_of_the_list(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        await _three_due(bot)
        done = await bot.press(OWNER, bot.telegram.last(OWNER), "All up to date")
        assert "3 touchpoints confirmed" in done["text"]


async def test_what_is_still_open_is_reachable_from_review_me_and_the_home_menu(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws_id = await _three_due(bot)
        async with bot.services.store.write() as uow:  # the owner rests at the home menu
            await uow.positions.save(
                Position(person_id=f"tg:{OWNER}", workshop_id=ws_id, flow="home", step="home.menu")
            )
        listing = bot.telegram.last(OWNER)
        card = await bot.press(OWNER, listing, "TP 0.1")
        await bot.press(OWNER, card, "Snooze")
        again = await bot.say(OWNER, "/review_me")
        assert "2 touchpoints" in again["text"]
        assert {label for label, _ in bot.telegram.buttons(again)} >= {"TP 0.0", "TP 0.2"}
        home = await bot.say(OWNER, "/continue")
        assert "2 of your reviews are waiting" in home["text"]
        await bot.press(OWNER, again, "All up to date")
        none = await bot.say(OWNER, "/review_me")
        assert "No reviews are waiting" in none["text"]


async def test_review_says_who_gets_their_card_later_and_when(tmp_path: Path) -> None:
    """Monday 10:00 in Warsaw is 04:00 in New York: that owner's card waits for 09:00
    there, and the facilitator is told so, in that owner's time."""
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=2, confirmed=NOW)
        async with bot.services.store.write() as uow:
            members = await uow.items.list(ws.id, Member)
            far = next(m for m in members if m.person_id == "tg:101")
            far.timezone = "America/New_York"
            await uow.items.update(far)
        await make_current(bot, f"tg:{FACILITATOR}", ws.id)
        await rebuild(bot.app)
        started = await bot.say(FACILITATOR, "/review")
        assert "1 touchpoints are due now" in started["text"]
        assert "1 more go out" in started["text"]
        assert "Owner 1 — 01.06 09:00 (America/New_York)" in started["text"]
        assert bot.telegram.chat_messages(100) and not bot.telegram.chat_messages(101)


async def test_a_pain_point_leads_back_to_the_list_and_a_last_kpi_value_closes_the_round(
    tmp_path: Path,
) -> None:
    """The flows on a card ("Add pain point", "Update KPI") end like a tap: what is still
    open, and after the last one the summary — then the question the owner was at."""
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws_id = await _three_due(bot)
        async with bot.services.store.write() as uow:  # the owner rests at the home menu
            await uow.positions.save(
                Position(person_id=f"tg:{OWNER}", workshop_id=ws_id, flow="home", step="home.menu")
            )
        card = await bot.press(OWNER, bot.telegram.last(OWNER), "TP 0.1")
        await bot.press(OWNER, card, "Add pain point")
        evidence = await bot.say(OWNER, "The trade-in form loses the photos")
        severity = await bot.press(OWNER, evidence, "Skip")
        anonymous = await bot.press(OWNER, severity, "2")
        after = await bot.press(OWNER, anonymous, "No")
        assert "Still open: 2 of 3" in after["text"] and "✓ TP 0.1" in after["text"]
        assert {label for label, _ in bot.telegram.buttons(after)} >= {"TP 0.0", "TP 0.2"}

        card = await bot.press(OWNER, after, "TP 0.0")
        after = await bot.press(OWNER, card, "Up to date")
        card = await bot.press(OWNER, after, "TP 0.2")
        await bot.press(OWNER, card, "Update KPI")
        last = await bot.say(OWNER, "48")
        assert "All 3 touchpoints of this review are answered" in last["text"]
        assert last["text"].index("answered") < last["text"].index("what next?")  # then home
        assert "Dealership" in last["text"]
        assert bot.telegram.sent(GROUP, "sendPhoto")  # the round closed: a new version
        async with bot.services.store.read() as uow:
            reviews = await uow.items.list(ws_id, Review)
            position = await uow.positions.get(f"tg:{OWNER}", ws_id)
        assert not [r for r in reviews if r.status == ReviewStatus.SENT]
        assert position is not None and position.flow == "home"
