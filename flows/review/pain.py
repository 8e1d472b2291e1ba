""" "Add pain point" from an owner's review card: the pain-point flow for that one
touchpoint — description → evidence kind (skip: a hypothesis) → evidence → severity →
anonymous? — then the review is closed and the person is put back exactly where they
were (mid-section, or on the home menu).

It is a detour (``flows.review.detour``): the previous position waits under ``_return``.
"""

from __future__ import annotations

from dataclasses import replace

from flows.conversation.outcome import Request
from flows.conversation.spec import Ctx, Flow, Hook, Loop, OnCancel
from flows.models import Touchpoint
from flows.review import cycle as rv
from flows.review import detour
from flows.steps import pains
from flows.steps.saving import stage_name
from flows.steps.sections import onward

NAME = "review_pain"


async def begin(ctx: Ctx, review_id: str, came_from: str | None = None) -> None:
    """Start the flow for the review's touchpoint (the caller checked nothing: we do);
    ``came_from`` is the workshop the person was working in."""
    if ctx.member is None:
        raise rv.ReviewError("review.error.not_owner")
    review = await rv.load_review(ctx.uow, review_id, ctx.member)
    await detour.take(
        ctx,
        NAME,
        _came_from=came_from or "",
        _review=review_id,
        _stage=review.touchpoint.stage_id,
        touchpoint=review.touchpoint.id,
    )


async def _items(ctx: Ctx) -> list[str]:
    return [str(ctx.draft.get("_stage") or "")]


async def _commit(ctx: Ctx) -> dict[str, str]:
    saved = await pains.commit(ctx)
    if saved and ctx.member is not None:
        following = await rv.pain_added(ctx.uow, str(ctx.draft["_review"]), ctx.member, ctx.now)
        ctx.info("review.pain.saved", touchpoint=await _touchpoint_name(ctx))
        ctx.requests.append(
            Request(
                kind="review_answered",
                workshop_id=following.workshop_id,
                params={"review": following.id, "answered": str(ctx.draft["_review"])},
            )
        )
    return saved


async def _touchpoint_name(ctx: Ctx) -> str:
    tp = await ctx.uow.items.get(Touchpoint, str(ctx.draft.get("touchpoint") or ""))
    return tp.name if tp else ""


def pain_detour(name: str, items: Hook, commit: Hook) -> Flow:
    """The pain-point questions for one touchpoint, as a detour (a card's "Add pain point",
    a rule's question): back where the person was afterwards."""
    return Flow(
        name=name,
        on_cancel=OnCancel.RETURN,
        loop=Loop(items, stage_name, "progress.stage"),
        steps=tuple(replace(step, exit_key="") for step in pains.SINGLE_STEPS),
        commit=commit,
        finish=detour.come_back,
        # back where the person was: home, a section, a join in progress, another detour
        leads_to=(*onward(None), *detour.RETURNS),
        title="pains.title",
    )


FLOW = pain_detour(NAME, _items, _commit)
