"""Shared helpers of the flow tests: an engine on real SQLite with a fixed clock, and a
facilitator-made workshop with invite codes per department."""

from __future__ import annotations

from datetime import UTC, datetime

from flows.conversation.player import Player
from flows.ports import FixedClock
from flows.steps.catalog import WorkshopEngine

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

SETUP = {
    "setup.title": ["Clinic journey"],
    "setup.product": ["Dental clinic"],
    "setup.template": ["=aida"],
    "setup.personas": ["Anxious first-time patient", "!done"],
    "setup.cadence": ["=30"],
    "setup.timezone": ["=Europe/Warsaw"],
    "setup.time": ["=10:00"],
    "setup.confirm": ["=create"],
}


def make_engine(store, clock: FixedClock | None = None, **kw) -> WorkshopEngine:  # type: ignore[no-untyped-def]
    return WorkshopEngine(store, clock or FixedClock(T0), **kw)


async def new_workshop(engine: WorkshopEngine, pid: str = "t:fac", script: dict | None = None):  # type: ignore[no-untyped-def]
    """Set up a workshop; returns (player, workshop id, {department key: invite code})."""
    player = Player(engine, pid)
    player._keep(await engine.start_setup(pid, name="Fay", language="en"))
    out = await player.play(script or SETUP)
    created = next(r for o in player.seen for r in o.requests if r.kind == "workshop_created")
    return (
        player,
        out.workshop_id,
        {i["key"] or i["department"]: i["code"] for i in created.params["invites"]},
    )


async def joined(engine: WorkshopEngine, pid: str, code: str, name: str = "Pat") -> Player:
    """A participant who joined and stands at the first question of their sections."""
    player = Player(engine, pid)
    player._keep(await engine.join(pid, code, name=name, language="en"))
    await player.press("yes")
    await player.text(name)
    await player.text("Clerk")
    return player
