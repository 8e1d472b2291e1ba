""" "Add pain point" under a rule's question: when a KPI keeps missing its target, a
``kpi_misses`` rule asks the touchpoint's owner for the pain point behind it, with this
button. It runs the pain-point flow for that touchpoint — description → evidence kind →
evidence → severity → anonymous? — and puts the owner back exactly where they were, like
"Add pain point" on a review card (``flows.review.pain``), with no review to close.
Only the touchpoint's owner may answer; anyone else is told so and nothing changes."""

from __future__ import annotations

from flows.conversation.engine import Engine
from flows.conversation.outcome import Outcome
from flows.conversation.spec import Ctx
from flows.models import Touchpoint
from flows.ports import UnitOfWork
from flows.review import detour, pain
from flows.steps import pains

NAME = "rule_pain"
NOT_OWNER = "rules.pain.not_owner"


async def _owned(uow: UnitOfWork, person_id: str, touchpoint_id: str) -> Touchpoint | None:
    """The touchpoint, when it is live and the person is its owner."""
    tp = await uow.items.get(Touchpoint, touchpoint_id)
    if tp is None or tp.deleted_at is not None or tp.owner_id is None:
        return None
    member = await uow.items.member_of(tp.workshop_id, person_id)
    return tp if member is not None and member.id == tp.owner_id else None


async def start(engine: Engine, person_id: str, touchpoint_id: str) -> Outcome | None:
    """Begin the flow for the owner of ``touchpoint_id``; None (nothing done) for anyone
    else."""
    async with engine.store.read() as uow:
        tp = await _owned(uow, person_id, touchpoint_id)
        person = await uow.people.get(person_id)
    if tp is None:
        return None
    came_from = person.current_workshop_id if person else None

    async def begin(ctx: Ctx) -> None:
        await _begin(ctx, touchpoint_id, came_from)

    return await engine.start(person_id, begin, workshop_id=tp.workshop_id)


async def _begin(ctx: Ctx, touchpoint_id: str, came_from: str | None) -> None:
    tp = await _owned(ctx.uow, ctx.person.id, touchpoint_id)  # checked again: it may be gone
    if tp is None or ctx.workshop is None or tp.workshop_id != ctx.workshop.id:
        ctx.info(NOT_OWNER)
        ctx.person.current_workshop_id = came_from
        ctx.dirty = False
        return
    await detour.take(ctx, NAME, _came_from=came_from or "", _stage=tp.stage_id, touchpoint=tp.id)


async def _items(ctx: Ctx) -> list[str]:
    return [str(ctx.draft.get("_stage") or "")]


async def _commit(ctx: Ctx) -> dict[str, str]:
    saved = await pains.commit(ctx)
    if saved:
        tp = await ctx.uow.items.get(Touchpoint, str(ctx.draft.get("touchpoint") or ""))
        ctx.info("rules.pain.saved", touchpoint=tp.name if tp else "")
    return saved


FLOW = pain.pain_detour(NAME, _items, _commit)
