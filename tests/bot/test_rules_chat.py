"""A facilitator sets up rules with /rules through the real Application and the fake Bot
API, and the scheduler's sweep runs them: every press is answered, each answer is one
message, the list tells when each rule last fired and how often."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bot.telegram.reminders import sweep
from bot.telegram.rules_run import run_rules
from flows.models import Kpi, KpiReading, PainPoint, Rule, RuleFiring, RuleTrigger, Touchpoint
from flows.ports import FixedClock
from tests.bot.harness import BotHarness
from tests.builders import NOW, make_current, review_workshop

FAC, OWNER = 9000, 100


class Chat:
    """One person's side of the chat, checking that each update gets exactly one answer."""

    def __init__(self, bot: BotHarness, uid: int) -> None:
        self.bot, self.uid = bot, uid

    def _since(self, start: int) -> tuple[list[Any], list[Any]]:
        calls = self.bot.telegram.calls[start:]
        answers = [c for c in calls if c.method == "answerCallbackQuery"]
        mine = [
            c
            for c in calls
            if c.method in ("sendMessage", "editMessageText")
            and str(c.params.get("chat_id")) == str(self.uid)
        ]
        return answers, mine

    async def say(self, text: str) -> dict[str, Any]:
        start = len(self.bot.telegram.calls)
        message = await self.bot.say(self.uid, text)
        answers, mine = self._since(start)
        assert not answers and len(mine) == 1, mine
        return message

    async def press(
        self, message: dict[str, Any], label: str, *, edit: bool = True
    ) -> dict[str, Any]:
        """Press a button: one callback answer, and the message edited (or one new one)."""
        start = len(self.bot.telegram.calls)
        after = await self.bot.press(self.uid, message, label)
        answers, mine = self._since(start)
        assert len(answers) == 1, answers  # the button stops spinning, once
        method = "editMessageText" if edit else "sendMessage"
        assert len(mine) == 1 and mine[0].method == method, mine
        return after

    def labels(self, message: dict[str, Any]) -> list[str]:
        return [label for label, _ in self.bot.telegram.buttons(message)]


async def setup(bot: BotHarness) -> str:
    ws = await review_workshop(bot.services.store, owners=1, kpis=1)
    for uid in (FAC, OWNER):
        await make_current(bot, f"tg:{uid}", ws.id)
    return ws.id


def sent(bot: BotHarness, chat_id: int, since: int) -> list[str]:
    """The texts of the new messages in a chat since call ``since``."""
    return [
        c.params["text"]
        for c in bot.telegram.calls[since:]
        if c.method == "sendMessage" and str(c.params.get("chat_id")) == str(chat_id)
    ]


async def rules_of(bot: BotHarness, ws_id: str) -> list[Rule]:
    async with bot.services.store.read() as uow:
        return await uow.items.list(ws_id, Rule)


async def test_a_facilitator_adds_switches_and_deletes_rules_in_chat(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws_id = await setup(bot)
        fac = Chat(bot, FAC)
        start = await fac.say("/rules")
        assert "Rules of «Dealership»" in start["text"] and "No rules yet" in start["text"]
        assert fac.labels(start) == ["➕ Add a rule", "✖️ Close"]

        kinds = await fac.press(start, "Add a rule")
        assert "What should it watch?" in kinds["text"]
        assert fac.labels(kinds) == [
            "📉 A KPI misses its target",
            "⏳ A touchpoint is not confirmed",
            "💡 A severe pain point has no idea",
            "‹ Back",
        ]
        wait = await fac.press(kinds, "KPI misses")
        assert "missed readings in a row" in wait["text"]
        assert fac.labels(wait)[:3] == ["2 (default)", "3", "5"]
        listed = await fac.press(wait, "2 (default)")
        assert (
            "✅ Rule added: When a KPI misses its target in 2 readings in a row" in listed["text"]
        )
        assert "1. When a KPI misses" in listed["text"] and "has not fired yet" in listed["text"]
        assert fac.labels(listed) == ["1. KPI misses ×2", "➕ Add a rule", "✖️ Close"]

        # a typed wait, and a wrong one asked again
        wait = await fac.press(await fac.press(listed, "Add a rule"), "severe pain point")
        assert "days without an idea" in wait["text"]
        wrong = await fac.say("2,5")
        assert "whole number" in wrong["text"]
        listed = await fac.say("21")
        assert "after 21 days → remind its department" in listed["text"]
        assert [(r.trigger, r.count) for r in await rules_of(bot, ws_id)] == [
            (RuleTrigger.KPI_MISSES, 2),
            (RuleTrigger.PAIN_WITHOUT_IDEA, 21),
        ]

        manage = await fac.press(listed, "1. KPI misses")
        assert "It is on; has not fired yet." in manage["text"]
        assert fac.labels(manage) == ["⏸ Switch off", "🗑 Delete", "↩️ Keep it as it is", "‹ Back"]
        listed = await fac.press(manage, "Switch off")
        assert "⏸ Switched off: When a KPI misses" in listed["text"]
        assert "(switched off; has not fired yet)" in listed["text"]
        assert "1. ⏸ KPI misses ×2" in fac.labels(listed)
        assert [r.enabled for r in await rules_of(bot, ws_id)] == [False, True]

        listed = await fac.press(await fac.press(listed, "2. No idea"), "Delete")
        assert "🗑 Deleted: When a pain point of severity 3" in listed["text"]
        assert fac.labels(listed) == ["1. ⏸ KPI misses ×2", "➕ Add a rule", "✖️ Close"]
        assert len(await rules_of(bot, ws_id)) == 1

        await fac.press(listed, "1. ⏸ KPI misses")  # /rules again, in the middle of it:
        again = await fac.say("/rules")  # the list anew, not a list inside a list
        assert "Rules of «Dealership»" in again["text"]
        home = await fac.press(again, "Close")
        assert "what next?" in home["text"]  # back where the facilitator was: the menu


async def test_a_rule_fires_from_the_sweep_once_and_the_list_says_when(tmp_path: Path) -> None:
    clock = FixedClock(NOW)
    async with BotHarness(tmp_path, clock) as bot:
        ws_id = await setup(bot)
        fac = Chat(bot, FAC)
        wait = await fac.press(await fac.press(await fac.say("/rules"), "Add a rule"), "KPI")
        await fac.press(wait, "3")
        async with bot.services.store.write() as uow:
            kpi = (await uow.items.list(ws_id, Kpi))[0]
            for days, value in ((3, 20), (2, 30), (1, 40)):
                at = NOW - timedelta(days=days)
                await uow.items.add(
                    KpiReading(workshop_id=ws_id, kpi_id=kpi.id, value=value, at=at)
                )

        before = len(bot.telegram.calls)
        await sweep(SimpleNamespace(application=bot.app))  # type: ignore[arg-type]
        asked = [t for t in sent(bot, OWNER, before) if "missed its target in 3 readings" in t]
        assert len(asked) == 1 and "latest is 40, the target 50" in asked[0]
        told = [t for t in sent(bot, FAC, before) if "Owner 0 was asked for the pain point" in t]
        assert len(told) == 1

        calls = len(bot.telegram.calls)
        clock.advance(minutes=5)
        assert await run_rules(bot.app) == 0  # the same run of misses: nothing again
        assert len(bot.telegram.calls) == calls
        async with bot.services.store.read() as uow:
            assert len(await uow.items.list(ws_id, RuleFiring)) == 1

        listed = await fac.say("/rules")
        assert "fired: 1, last on 01.06.2026 10:00" in listed["text"]  # Warsaw time

        # the owner answers the question with one tap and the pain-point questions
        question = next(
            m for m in bot.telegram.chat_messages(OWNER) if "3 readings" in m.get("text", "")
        )
        owner = Chat(bot, OWNER)
        ask = await owner.press(question, "Add pain point", edit=False)
        assert "pain point" in ask["text"].lower() and ask is not question
        evidence = await owner.say("The booking form loses the chosen slot")
        severity = await owner.press(evidence, "Skip")
        anonymous = await owner.press(severity, "3")
        done = await owner.press(anonymous, "No")
        assert "the pain point at «TP 0.0» is on the map" in done["text"]
        async with bot.services.store.read() as uow:
            pains = await uow.items.list(ws_id, PainPoint)
            tps = await uow.items.list(ws_id, Touchpoint)
        assert [(p.description, p.touchpoint_id, p.severity) for p in pains] == [
            ("The booking form loses the chosen slot", tps[0].id, 3)
        ]


async def test_a_full_list_offers_no_add_button(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws_id = await setup(bot)
        async with bot.services.store.write() as uow:
            for n in range(1, 21):
                trigger = RuleTrigger.PAIN_WITHOUT_IDEA
                await uow.items.add(Rule(workshop_id=ws_id, trigger=trigger, count=n))
        fac = Chat(bot, FAC)
        listed = await fac.say("/rules")
        assert "20. When a pain point of severity 3 has no idea after 20 days" in listed["text"]
        assert fac.labels(listed)[-2:] == ["20. No idea for 20 d", "✖️ Close"]


async def test_members_are_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws_id = await setup(bot)
        refused = await Chat(bot, OWNER).say("/rules")
        assert refused["text"] == "Only facilitators of «Dealership» can do that."
        assert not bot.telegram.buttons(refused)
        assert await rules_of(bot, ws_id) == []
