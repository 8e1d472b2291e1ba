"""/edit in Telegram, over the fake Bot API (which refuses callback data over 64 bytes):
the list of one's own items with a button each, a new text typed, a delete confirmed."""

from __future__ import annotations

from pathlib import Path

from flows.models import Member, Role, Touchpoint
from flows.ports import FixedClock
from tests.bot.harness import BotHarness
from tests.builders import NOW, WorkshopBuilder, make_current

PAT = 30


async def test_one_edits_and_deletes_ones_own_touchpoints_in_chat(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        b = WorkshopBuilder("Clinic")
        desk = b.department("sales", "Front desk")
        b.member("Fay", tg=10, role=Role.FACILITATOR)
        pat = b.member("Pat", tg=PAT, department=desk)
        lobby = b.stage("Lobby")
        kiosk = b.touchpoint(lobby, "Kiosk " + "x" * 60, author=pat)
        desk_tp = b.touchpoint(lobby, "Front desk", author=pat)
        b.position(pat, "home", "home.menu")
        await b.save(bot.services.store)
        await make_current(bot, f"tg:{PAT}", b.id)

        listed = await bot.say(PAT, "/edit")
        assert "What you added to «Clinic»" in listed["text"]
        assert "Touchpoint: Front desk" in listed["text"]
        labels = [text for text, _ in bot.telegram.buttons(listed)]
        assert labels[:2] == ["1. Kiosk " + "x" * 21 + "…", "2. Front desk"]
        assert all(len(data.encode()) <= 64 for _, data in bot.telegram.buttons(listed))

        asked = await bot.press(PAT, listed, "1. Kiosk")
        asked = await bot.press(PAT, asked, "Change the text")
        assert "Send the new text" in asked["text"]
        saved = await bot.say(PAT, "Self-service kiosk")
        assert "Saved — Touchpoint: «Self-service kiosk»" in saved["text"]

        confirm = await bot.press(PAT, await bot.press(PAT, saved, "2. Front desk"), "Delete")
        assert "Delete Touchpoint: «Front desk»?" in confirm["text"]
        done = await bot.press(PAT, confirm, "Yes, delete")
        assert "Deleted — Touchpoint: «Front desk»" in done["text"]
        back = await bot.press(PAT, done, "Close")
        assert "Front desk" not in back["text"]

        async with bot.services.store.read() as uow:
            live = {t.id: t.name for t in await uow.items.list(b.id, Touchpoint)}
            me = await uow.items.member_of(b.id, f"tg:{PAT}")
            actors = [e.actor for e in await uow.items.history(desk_tp.id)]
        assert live == {kiosk.id: "Self-service kiosk"}
        assert isinstance(me, Member) and actors[-1] == me.id
