"""Nobody reaches another workshop's data through a button, a link or a command; only
facilitators manage. Groups get announcements and the map."""

from __future__ import annotations

from pathlib import Path

from bot.telegram.callback_data import encode
from flows.models import Invite, Member, Touchpoint, WorkshopStatus
from tests.bot.harness import BotHarness
from tests.bot.workshop import FACILITATOR, create_workshop, join

STRANGER = 66
ANNA = 21
GROUP = -100500


async def last_call(bot: BotHarness, method: str) -> dict:
    return next(c.params for c in reversed(bot.telegram.calls) if c.method == method)


async def test_a_stranger_gets_nothing_from_facilitator_commands(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        await create_workshop(bot)
        for command in (
            "/status",
            "/members",
            "/map",
            "/export",
            "/invite",
            "/publish",
            "/close",
            "/merge",
            "/nudge",
            "/review",
            "/revoke",
        ):
            reply = await bot.say(STRANGER, command)
            assert "not in a workshop" in reply["text"], command
        assert not bot.telegram.sent(STRANGER, "sendPhoto")
        assert not bot.telegram.sent(STRANGER, "sendDocument")


async def test_a_participant_cannot_manage(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        await join(bot, ANNA, codes["sales"], "Anna")
        for command in ("/status", "/publish", "/close", "/invite", "/revoke", "/members"):
            reply = await bot.say(ANNA, command)
            assert "Only facilitators" in reply["text"], command
        async with bot.services.store.read() as uow:
            workshop = await uow.workshops.get(ws_id)
            invites = await uow.items.list(ws_id, Invite)
        assert workshop.status == WorkshopStatus.COLLECTING
        assert all(i.revoked_at is None for i in invites)


async def test_forged_buttons_for_another_workshop_do_nothing(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        await join(bot, ANNA, codes["support"], "Anna")
        async with bot.services.store.read() as uow:
            members = await uow.items.list(ws_id, Member)
            touchpoints = await uow.items.list(ws_id, Touchpoint)
        bot.telegram.user(STRANGER, "Eve")
        bait = await bot.say(STRANGER, "/help")
        forged = [
            encode("w", ws_id),  # switch into their workshop
            encode("m", members[0].id, members[-1].id),  # merge their members
            encode("x", "json"),  # export "my current" workshop
            encode("a", "deadbeef", "yes"),  # answer someone's question
            encode("r", "ok", "nosuchreview"),  # confirm a review
            encode("h", "y", "nosuchoffer"),  # accept a handover
        ]
        for data in forged:
            await bot.feed(bot.telegram.press(STRANGER, bait["message_id"], data))
        assert not bot.telegram.sent(STRANGER, "sendDocument")
        async with bot.services.store.read() as uow:
            assert len(await uow.items.list(ws_id, Member)) == len(members)
            assert len(await uow.items.list(ws_id, Touchpoint)) == len(touchpoints)
            assert await uow.items.member_of(ws_id, f"tg:{STRANGER}") is None
            person = await uow.people.get(f"tg:{STRANGER}")
        assert person is None or person.current_workshop_id != ws_id
        texts = " ".join(m.get("text", "") for m in bot.telegram.chat_messages(STRANGER))
        assert "Car buyer" not in texts


async def test_invite_links_are_long_random_and_revocable(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        assert len({*codes.values()}) == 3 and all(len(c) >= 20 for c in codes.values())
        links = await bot.say(FACILITATOR, "/invite")
        assert all(f"start={code}" in links["text"] for code in codes.values())
        await bot.say(FACILITATOR, "/revoke")
        refused = await bot.say(ANNA, f"/start {codes['sales']}")
        assert "not valid" in refused["text"]
        guessed = await bot.say(ANNA, "/start " + codes["sales"][:-1] + "A")
        assert "not valid" in guessed["text"]
        new_links = bot.telegram.last(FACILITATOR)["text"]
        assert codes["sales"] not in new_links and "start=" in new_links


async def test_a_bound_group_gets_announcements(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        bound = await bot.say(FACILITATOR, "/bind", chat_id=GROUP)
        assert "now gets the announcements" in bound["text"]
        refused = await bot.say(ANNA, "/bind", chat_id=GROUP)
        assert "not in a workshop" in refused["text"]
        await join(bot, ANNA, codes["marketing"], "Anna")
        assert any("Anna" in m.get("text", "") for m in bot.telegram.chat_messages(GROUP))


async def test_a_group_upgraded_to_a_supergroup_keeps_its_binding(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        await bot.say(FACILITATOR, "/bind", chat_id=GROUP)
        update = bot.telegram.text_update(FACILITATOR, "x", chat_id=GROUP)
        message = update["message"]
        message.pop("text")
        message["migrate_to_chat_id"] = -1009999
        await bot.feed(update)
        async with bot.services.store.read() as uow:
            workshop = await uow.workshops.get(ws_id)
        assert workshop.group_chat_id == -1009999


async def test_free_text_in_a_group_is_not_collected(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        await bot.say(FACILITATOR, "/new")
        before = len(bot.telegram.calls)
        await bot.feed(bot.telegram.text_update(FACILITATOR, "Car buyer journey", chat_id=GROUP))
        assert [c for c in bot.telegram.calls[before:] if c.method == "sendMessage"] == []


async def test_map_in_a_group_is_the_bound_workshops_for_members_only(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        await bot.say(FACILITATOR, "/bind", chat_id=GROUP)
        refused = await bot.say(STRANGER, "/map", chat_id=GROUP)
        assert "not in a workshop" in refused["text"]
        assert not bot.telegram.sent(GROUP, "sendPhoto")
        await bot.say(FACILITATOR, "/map", chat_id=GROUP)
        assert bot.telegram.sent(GROUP, "sendPhoto")
