"""Review reminders exactly once across a crash or a takeover (the bot side): a review
handed to Telegram before the bot died is not sent again, the ones never handed over go at
once after the restart, and a pass whose claims another leader released meanwhile sends
nothing (the other sends them, each once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.telegram import reminders
from bot.telegram.reminders import deliver_due, rebuild
from flows.models import Review
from flows.ports import FixedClock
from flows.review import cycle
from tests.bot.harness import BotHarness
from tests.builders import NOW, review_workshop


async def test_a_reminder_handed_to_telegram_before_a_crash_is_not_sent_again(
    tmp_path: Path,
) -> None:
    clock = FixedClock(NOW)
    async with BotHarness(tmp_path, clock) as bot:
        ws = await review_workshop(bot.services.store, owners=2)
        await rebuild(bot.app)
        async with bot.services.store.write() as uow:  # a pass claimed both ...
            due = await cycle.due_reviews(uow, ws.id, clock.now())
            await cycle.mark_sent(uow, due, NOW, claim="a pass that died")
        first = next(r for r in due if r.owner_id == ws.owners[0].id)
        async with bot.services.store.write() as uow:  # ... handed the first one over ...
            assert await uow.items.hand_over([first.id], "a pass that died") == 1
    clock.advance(minutes=1)  # ... and died before the second, and before settling
    async with BotHarness(tmp_path, clock) as bot:
        await rebuild(bot.app)
        assert await deliver_due(bot.app, ws.id) == 1  # only the one never handed over
        assert bot.telegram.sent(100, "sendMessage") == []
        assert "TP 1.0" in bot.telegram.last(101)["text"]
        clock.advance(minutes=30)  # long past the time a claim counts as stuck
        assert await deliver_due(bot.app, ws.id) == 0
        assert bot.telegram.sent(100, "sendMessage") == []
        async with bot.services.store.read() as uow:
            settled = await uow.items.get(Review, first.id)
        assert settled is not None and settled.delivered_at == NOW  # it counts as delivered


async def test_a_pass_whose_claims_were_taken_over_sends_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        ws = await review_workshop(bot.services.store, owners=2)
        await rebuild(bot.app)
        claim = reminders._claim
        taken: list[Review] = []

        async def claimed_then_taken_over(svc: object, run: reminders._Pass) -> list[Review]:
            due = await claim(svc, run)  # type: ignore[arg-type]
            if due and not taken:  # meanwhile another instance leads: it releases this
                async with bot.services.store.write() as uow:  # pass's claims, claims them
                    assert await cycle.release_claims(uow, NOW) == 2
                    taken.extend(await cycle.due_reviews(uow, ws.id, NOW))
                    await cycle.mark_sent(uow, taken, NOW, claim="the new leader")
            return due

        monkeypatch.setattr(reminders, "_claim", claimed_then_taken_over)
        assert await deliver_due(bot.app, ws.id) == 0
        assert bot.telegram.sent(100, "sendMessage") == []  # nothing left this pass
        assert bot.telegram.sent(101, "sendMessage") == []
        async with bot.services.store.read() as uow:
            reviews = await uow.items.list(ws.id, Review)
        assert len(taken) == 2 and {r.claim for r in reviews} == {"the new leader"}
        assert {r.delivered_at for r in reviews} == {None}  # not settled by this pass
        monkeypatch.setattr(reminders, "_claim", claim)
        await rebuild(bot.app)  # the new leader died before sending: this one leads again
        assert await deliver_due(bot.app, ws.id) == 2
        assert await deliver_due(bot.app, ws.id) == 0
        for owner in (100, 101):
            assert len(bot.telegram.sent(owner, "sendMessage")) == 1


async def test_a_reminder_whose_answer_was_lost_after_delivery_is_not_sent_again(
    tmp_path: Path,
) -> None:
    clock = FixedClock(NOW)
    async with BotHarness(tmp_path, clock) as bot:
        ws = await review_workshop(bot.services.store, owners=1)
        await rebuild(bot.app)
        bot.telegram.timeouts_after_delivery = 1  # delivered; the read timed out
        assert await deliver_due(bot.app, ws.id) == 1
        clock.advance(hours=1)
        assert await deliver_due(bot.app, ws.id) == 0
        assert len(bot.telegram.chat_messages(100)) == 1


async def test_a_reminder_that_never_connected_goes_in_the_next_pass(tmp_path: Path) -> None:
    clock = FixedClock(NOW)
    async with BotHarness(tmp_path, clock) as bot:
        ws = await review_workshop(bot.services.store, owners=1)
        await rebuild(bot.app)
        bot.telegram.timeouts = 10  # no connection, whatever the retries
        assert await deliver_due(bot.app, ws.id) == 0
        assert bot.telegram.chat_messages(100) == []
        bot.telegram.timeouts = 0
        clock.advance(minutes=1)
        assert await deliver_due(bot.app, ws.id) == 1
        assert len(bot.telegram.chat_messages(100)) == 1
