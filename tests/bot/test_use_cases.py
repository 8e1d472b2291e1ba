"""The use cases moved out of the handlers, through the real Application: nudges, people
blocking and coming back, "All up to date", declined handovers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from telegram import Update

from bot.telegram.reminders import deliver_due, rebuild
from flows.models import Review, ReviewOutcome, ReviewStatus
from flows.ports import FixedClock
from tests.bot.harness import BotHarness
from tests.bot.workshop import FACILITATOR, create_workshop, join
from tests.builders import NOW, review_workshop

ANNA = 21
OWNER = 100


async def test_nudge_reminds_the_unfinished_once_a_day(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        _, codes = await create_workshop(bot)
        await join(bot, ANNA, codes["sales"], "Anna")
        first = await bot.say(FACILITATOR, "/nudge")
        assert "Reminded 1 participants" in first["text"]
        assert "not finished yet" in bot.telegram.last(ANNA)["text"]
        again = await bot.say(FACILITATOR, "/nudge")
        assert "Reminded 0 participants" in again["text"]


async def test_a_nudge_to_someone_who_blocked_the_bot_tells_the_facilitator(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        await join(bot, ANNA, codes["sales"], "Anna")
        bot.telegram.blocked.add(ANNA)
        await bot.say(FACILITATOR, "/nudge")
        texts = bot.texts(FACILITATOR)
        assert any("Anna blocked the bot" in text for text in texts)
        assert "Reminded 0 participants" in texts[-1]
        async with bot.services.store.read() as uow:
            member = await uow.items.member_of(ws_id, f"tg:{ANNA}")
        assert member is not None and member.unreachable


def _unblocked(bot: BotHarness, user_id: int) -> dict[str, Any]:
    me = {"id": 123456, "is_bot": True, "first_name": "CJM"}
    return {
        "update_id": 10_000 + user_id,
        "my_chat_member": {
            "chat": {"id": user_id, "type": "private", "first_name": "Anna"},
            "from": bot.telegram.users[user_id],
            "date": 0,
            "old_chat_member": {"status": "kicked", "user": me, "until_date": 0},
            "new_chat_member": {"status": "member", "user": me},
        },
    }


async def test_a_person_who_unblocks_the_bot_is_reachable_in_every_workshop(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        await join(bot, ANNA, codes["sales"], "Anna")
        bot.telegram.blocked.add(ANNA)
        await bot.say(ANNA, "something")
        assert "blocked the bot" in (await bot.say(FACILITATOR, "/members"))["text"]
        bot.telegram.blocked.discard(ANNA)
        update = Update.de_json(_unblocked(bot, ANNA), bot.app.bot)
        await bot.app.process_update(update)
        async with bot.services.store.read() as uow:
            person = await uow.people.get(f"tg:{ANNA}")
            member = await uow.items.member_of(ws_id, f"tg:{ANNA}")
        assert person is not None and not person.unreachable
        assert member is not None and not member.unreachable
        assert "blocked the bot" not in (await bot.say(FACILITATOR, "/members"))["text"]


async def test_writing_again_after_a_block_makes_a_person_reachable(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        await join(bot, ANNA, codes["sales"], "Anna")
        bot.telegram.blocked.add(ANNA)
        await bot.say(ANNA, "something")
        assert (
            "🚫 Anna — Manager (participant), blocked the bot"
            in (await bot.say(FACILITATOR, "/members"))["text"]
        )
        bot.telegram.blocked.discard(ANNA)
        assert "How it works" in (await bot.say(ANNA, "/help"))["text"]
        assert "blocked the bot" not in (await bot.say(FACILITATOR, "/members"))["text"]
        nudged = await bot.say(FACILITATOR, "/nudge")  # she is reached again
        assert "Reminded 1 participants" in nudged["text"]
        assert "not finished yet" in bot.telegram.last(ANNA)["text"]
        async with bot.services.store.read() as uow:
            member = await uow.items.member_of(ws_id, f"tg:{ANNA}")
        assert member is not None and not member.unreachable


async def test_all_up_to_date_confirms_every_touchpoint_of_the_list(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=1, touchpoints_each=3)
        await rebuild(bot.app)
        await deliver_due(bot.app, ws.id)
        listing = bot.telegram.last(OWNER)
        all_ok = next(d for label, d in bot.telegram.buttons(listing) if "All up to date" in label)
        done = await bot.press(OWNER, listing, "All up to date")
        assert done["message_id"] == listing["message_id"]
        assert "3 touchpoints confirmed" in done["text"]
        async with bot.services.store.read() as uow:
            reviews = await uow.items.list(ws.id, Review)
        answered = [r.outcome for r in reviews if r.status == ReviewStatus.DONE]
        assert answered == [ReviewOutcome.UP_TO_DATE] * 3
        assert len([r for r in reviews if r.status == ReviewStatus.SCHEDULED]) == 3
        await bot.feed(bot.telegram.press(OWNER, listing["message_id"], all_ok))  # again
        assert "0 touchpoints confirmed" in bot.telegram.last(OWNER)["text"]


async def test_a_declined_handover_keeps_the_owner_and_tells_them(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=2)
        await rebuild(bot.app)
        await deliver_due(bot.app, ws.id)
        choose = await bot.press(OWNER, bot.telegram.last(OWNER), "Hand over")
        await bot.press(OWNER, choose, "Owner 1")
        offer = bot.telegram.last(101)
        answered = await bot.press(101, offer, "Decline")
        assert answered["message_id"] == offer["message_id"]
        assert "Owner 0 remains the owner" in answered["text"]
        assert "Owner 1 declined" in bot.telegram.last(OWNER)["text"]
