"""A short flow taken from wherever a person is — "Add pain point" or "Update KPI" on a
review card, a KPI reading with ``/kpi`` — after which they are put back exactly where
they were (mid-section, or on the home menu). The previous position is kept in the draft
under ``_return``."""

from __future__ import annotations

from typing import Any

from flows.conversation import runner
from flows.conversation.spec import Ctx

# where a detour can lead back to besides home and the sections: a join in progress, or
# another detour the person was in (a card's button pressed in the middle of one)
RETURNS = ("join", "review_pain", "review_kpi", "kpi_reading", "rules", "rule_pain")


async def take(ctx: Ctx, flow: str, **draft: Any) -> None:
    """Enter ``flow`` with ``draft``, remembering where the person was."""
    pos = ctx.position
    back: dict[str, Any] = {
        "flow": pos.flow,
        "step": pos.step,
        "cursor": dict(pos.cursor),
        "draft": dict(pos.draft),
        "history": list(pos.history),
    }
    pos.history = []
    pos.draft = {"_return": back, **draft}
    await runner.enter(ctx, flow)


async def come_back(ctx: Ctx) -> str | None:
    """A detour's finish: the person's workshop and position as they were."""
    if "_came_from" in ctx.draft:
        ctx.person.current_workshop_id = str(ctx.draft["_came_from"]) or None
    back = ctx.draft.get("_return")
    if not isinstance(back, dict) or not back.get("flow"):
        return None  # home
    pos = ctx.position
    pos.flow, pos.step = str(back["flow"]), str(back["step"])
    pos.cursor, pos.draft = dict(back["cursor"]), dict(back["draft"])
    pos.history = list(back["history"])
    return pos.flow  # already in place: the runner does not enter it again
