"""A workshop set up in the harness: the facilitator (user 10) answers the demo's setup
script through the engine; staff then join over Telegram with the invite codes."""

from __future__ import annotations

from bot.demo.script import SCRIPTS
from flows.conversation.player import Player
from tests.bot.harness import BotHarness

FACILITATOR = 10


async def create_workshop(bot: BotHarness, lang: str = "en") -> tuple[str, dict[str, str]]:
    bot.telegram.user(FACILITATOR, "Olga", lang)
    await bot.say(FACILITATOR, "/help")  # the bot learns the facilitator's chat
    engine = bot.services.engine
    player = Player(engine, f"tg:{FACILITATOR}")
    player._keep(await engine.start_setup(f"tg:{FACILITATOR}", name="Olga", language=lang))
    out = await player.play(SCRIPTS[lang]["setup"])  # type: ignore[arg-type]
    created = next(r for o in player.seen for r in o.requests if r.kind == "workshop_created")
    assert out.workshop_id is not None
    return out.workshop_id, {i["key"]: i["code"] for i in created.params["invites"]}


async def join(bot: BotHarness, user_id: int, code: str, name: str) -> dict:
    """Join and answer the join questions; returns the first section question."""
    bot.telegram.user(user_id, name, "en")
    confirm = await bot.say(user_id, f"/start {code}")
    named = await bot.press(user_id, confirm, "Join")
    assert "name" in named["text"].lower()
    await bot.say(user_id, name)
    return await bot.say(user_id, "Manager")
