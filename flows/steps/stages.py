"""Stages section: per stage, the customer's goal, actions (doing) and thoughts and
questions (thinking). Each answer becomes a StageNote with author and department; before
the questions of a stage, what colleagues already wrote for it is shown."""

from __future__ import annotations

from flows.conversation.spec import Ctx, Flow, Kind, Loop, Step
from flows.models import NoteLane, StageNote
from flows.steps.saving import bullets, department_names, stage_ids, stage_name, upsert
from flows.steps.sections import onward, section_flow
from flows.texts import t_plain


async def _intro(ctx: Ctx) -> None:
    assert ctx.workshop is not None
    notes = [
        n for n in await ctx.uow.items.list(ctx.workshop.id, StageNote) if n.stage_id == ctx.item
    ]
    if not notes:
        return
    names = await department_names(ctx)
    lines = [
        f"{t_plain(ctx.lang, f'stages.lane.{n.lane.value}')}: {n.text}"
        f" ({names.get(n.department_id or '', '—')})"
        for n in notes[-15:]
    ]
    ctx.info("stages.colleagues", stage=await stage_name(ctx, ctx.item), items=bullets(lines))


async def _commit(ctx: Ctx) -> dict[str, str]:
    saved = {}
    for lane in NoteLane:
        text = ctx.draft.get(lane.value)
        if isinstance(text, str) and text:
            saved[lane.value] = await upsert(
                ctx, lane.value, StageNote, stage_id=ctx.item, lane=lane, text=text
            )
    return saved


FLOW = Flow(
    name="stages",
    loop=Loop(lambda ctx: stage_ids(ctx), stage_name, "progress.stage"),
    intro=_intro,
    steps=tuple(Step(f"stages.{lane.value}", Kind.TEXT, optional=True) for lane in NoteLane),
    commit=_commit,
    finish=section_flow("stages"),
    leads_to=onward("stages"),
)
