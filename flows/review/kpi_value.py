""" "Update KPI" on an owner's review card: which KPI (asked only when the touchpoint has
several) → its current value (a locale-tolerant number; a bad one is asked again) — the
value is stored as a reading, the review is answered, and the person is put back exactly
where they were. ``/cancel`` records nothing and leaves the review open.

A detour on the engine like "Add pain point" (``flows.review.detour``): the typed value
is an ordinary flow answer, stored with its position change and its update record in
one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flows.conversation.outcome import Request
from flows.conversation.spec import Ctx, Flow, Kind, OnCancel, Option, Step
from flows.models import Kpi
from flows.review import card, detour
from flows.review import cycle as rv
from flows.steps.sections import onward

NAME = "review_kpi"


async def begin(ctx: Ctx, review_id: str, kpi_id: str = "", came_from: str | None = None) -> None:
    """Start for the review's touchpoint (``kpi_id``: that KPI, no choice asked); raises
    ReviewError when the review is not the person's, not open, or has no such KPI."""
    _, found, kpis = await card.kpis_to_update(ctx.uow, ctx.person.id, review_id, kpi_id)
    await detour.take(
        ctx,
        NAME,
        _came_from=came_from or "",
        _review=review_id,
        _touchpoint=found.touchpoint.id,
        _kpi=kpis[0].id if len(kpis) == 1 else "",
    )


async def _kpis(ctx: Ctx) -> list[Kpi]:
    if ctx.workshop is None:
        return []
    tp = str(ctx.draft.get("_touchpoint") or "")
    return [k for k in await ctx.uow.items.list(ctx.workshop.id, Kpi) if k.touchpoint_id == tp]


async def _choices(ctx: Ctx) -> Sequence[Option]:
    return [Option(k.id, label=k.name) for k in await _kpis(ctx)]


async def _choice_params(ctx: Ctx) -> dict[str, Any]:
    return {"touchpoint": await card.touchpoint_name(ctx.uow, str(ctx.draft.get("_touchpoint")))}


def _choosing(ctx: Ctx) -> bool:
    return not ctx.draft.get("_kpi")


def _chosen(ctx: Ctx) -> str:
    return str(ctx.draft.get("_kpi") or ctx.draft.get("kpi") or "")


async def _value_params(ctx: Ctx) -> dict[str, Any]:
    return card.kpi_question(await ctx.uow.items.get(Kpi, _chosen(ctx)), ctx.lang)


async def _commit(ctx: Ctx) -> dict[str, str]:
    value, review_id = ctx.draft.get("value"), str(ctx.draft.get("_review") or "")
    kpi = await ctx.uow.items.get(Kpi, _chosen(ctx))
    ctx.draft["_said"] = True  # whatever happens now, the person is told (not "cancelled")
    if ctx.member is None or kpi is None or not isinstance(value, int | float):
        ctx.info("review.error.unknown_kpi")
        return {}
    try:
        following = await rv.record_kpi(ctx.uow, review_id, ctx.member, kpi.id, value, ctx.now)
    except rv.ReviewError as exc:  # closed meanwhile, or the KPI was removed
        ctx.info(exc.key)
        return {}
    ctx.info("review.kpi.saved", kpi=kpi.name, value=card.kpi_value(kpi, float(value), ctx.lang))
    ctx.requests.append(
        Request(
            kind="review_answered",
            workshop_id=following.workshop_id,
            params={"review": following.id, "answered": review_id},
        )
    )
    return {"review": review_id}


async def _finish(ctx: Ctx) -> str | None:
    if not ctx.draft.get("_said"):  # /cancel before the value
        ctx.info("review_kpi.cancelled")
    return await detour.come_back(ctx)


FLOW = Flow(
    name=NAME,
    on_cancel=OnCancel.RETURN,
    show_progress=False,
    steps=(
        Step(
            "review_kpi.kpi",
            Kind.CHOICE,
            ask="review.kpi.choose",
            options=_choices,
            params=_choice_params,
            when=_choosing,
        ),
        Step("review_kpi.value", Kind.NUMBER, ask="review.kpi.ask", params=_value_params),
    ),
    commit=_commit,
    finish=_finish,
    # back where the person was: home, a section, a join in progress, another detour
    leads_to=(*onward(None), *detour.RETURNS),
)
