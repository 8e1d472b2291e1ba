"""A KPI reading at any time (``/kpi``): an owner picks one of the KPIs of their
touchpoints and types its current value; it is stored as a reading (the map and the
cards draw the trend from all of them), then the person is back where they were. A
detour, like "Add pain point" (``flows.review.detour``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flows.conversation.spec import Ctx, Flow, Kind, OnCancel, Option, Step
from flows.models import Kpi, KpiReading, Touchpoint
from flows.review import card, detour
from flows.steps.saving import new_item
from flows.steps.sections import onward

NAME = "kpi_reading"
SHOWN = 20


async def _owned(ctx: Ctx) -> list[tuple[Kpi, Touchpoint]]:
    if ctx.workshop is None or ctx.member is None:
        return []
    mine = {
        t.id: t
        for t in await ctx.uow.items.list(ctx.workshop.id, Touchpoint)
        if t.owner_id == ctx.member.id
    }
    kpis = await ctx.uow.items.list(ctx.workshop.id, Kpi)
    return [(k, mine[k.touchpoint_id]) for k in kpis if k.touchpoint_id in mine][:SHOWN]


async def begin(ctx: Ctx) -> None:
    """Start, unless the person owns no KPI (then say so and stay where they are)."""
    if not await _owned(ctx):
        ctx.info("kpi_reading.none")
        ctx.dirty = False
        return
    await detour.take(ctx, NAME)


async def _choices(ctx: Ctx) -> Sequence[Option]:
    return [Option(k.id, label=f"{k.name} · {tp.name}") for k, tp in await _owned(ctx)]


async def _value_params(ctx: Ctx) -> dict[str, Any]:
    return card.kpi_question(
        await ctx.uow.items.get(Kpi, str(ctx.draft.get("kpi") or "")), ctx.lang
    )


async def _commit(ctx: Ctx) -> dict[str, str]:
    kpi = await ctx.uow.items.get(Kpi, str(ctx.draft.get("kpi") or ""))
    value = ctx.draft.get("value")
    owned = {k.id for k, _ in await _owned(ctx)}
    if kpi is None or kpi.id not in owned or not isinstance(value, int | float):
        return {}
    reading = new_item(
        ctx, KpiReading, kpi_id=kpi.id, value=float(value), at=ctx.now, source="chat"
    )
    await ctx.uow.items.add(reading, actor=ctx.member.id if ctx.member else None)
    ctx.info("kpi_reading.saved", kpi=kpi.name, value=card.kpi_value(kpi, float(value), ctx.lang))
    return {"reading": reading.id}


FLOW = Flow(
    name=NAME,
    on_cancel=OnCancel.RETURN,
    steps=(
        Step("kpi_reading.kpi", Kind.CHOICE, options=_choices),
        Step("kpi_reading.value", Kind.NUMBER, params=_value_params),
    ),
    commit=_commit,
    finish=detour.come_back,
    # back where the person was: home, a section, a join in progress, another detour
    leads_to=(*onward(None), *detour.RETURNS),
)
