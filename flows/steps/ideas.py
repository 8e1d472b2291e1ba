"""Ideas section: per open pain point (in stage order), the fixes the person has in one
message, one per line; then per idea: effort (⚡ S quick win / S / M / L) → owner (a
member or "me"; skippable) → due date (skippable). "Nothing to add" leaves the pain
point, "Nothing more in this section" the section."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from flows.conversation.spec import Ctx, Flow, Kind, Loop, Option, Step, Text
from flows.models import Effort, Idea, PainPoint, PainStatus
from flows.steps.owners import member_options, resolve
from flows.steps.saving import bullets, stage_name, stages, text, upsert
from flows.steps.sections import onward, section_flow

LABEL_LIMIT = 80


async def _ids(ctx: Ctx) -> list[str]:
    assert ctx.workshop is not None
    order = {s.id: s.order for s in await stages(ctx)}
    found = [
        p
        for p in await ctx.uow.items.list(ctx.workshop.id, PainPoint)
        if p.status is PainStatus.OPEN and p.stage_id in order
    ]
    return [p.id for p in sorted(found, key=lambda p: order[p.stage_id])]


async def _label(ctx: Ctx, pain_id: str) -> str:
    pain = await ctx.uow.items.get(PainPoint, pain_id)
    if pain is None:
        return ""
    short = (
        pain.description
        if len(pain.description) <= LABEL_LIMIT
        else pain.description[:LABEL_LIMIT] + "…"
    )
    return f"{short} ({await stage_name(ctx, pain.stage_id)})"


async def _intro(ctx: Ctx) -> None:
    assert ctx.workshop is not None
    found = await ctx.uow.items.list_where(ctx.workshop.id, Idea, "pain_id", ctx.item)
    if found:
        ctx.info("ideas.colleagues", items=bullets([i.description for i in found[-15:]]))


QUICK = "qS"  # a quick win: small effort, soon visible


async def _efforts(ctx: Ctx) -> Sequence[Option]:
    found = [Option(e.value, f"ideas.effort.{e.value}") for e in Effort]
    return [Option(QUICK, "busy.ideas.effort.quick"), *found]


async def _named(ctx: Ctx) -> dict[str, str]:
    return {"name": text(ctx, "description")}


async def _dues(ctx: Ctx) -> Sequence[Option]:
    today = ctx.now.date()
    spans = {"2w": 14, "1m": 30, "3m": 91}
    return [
        Option((today + timedelta(days=d)).isoformat(), f"ideas.due.{k}") for k, d in spans.items()
    ]


def _not_past(value: object, ctx: Ctx) -> Text | None:
    """A due date is today or later: a fix planned for 01.01.2020 is a typo."""
    today = ctx.now.date()
    if isinstance(value, str) and date.fromisoformat(value) < today:
        return Text("ideas.due.past", {"today": today.strftime("%d.%m.%Y")})
    return None


async def _commit(ctx: Ctx) -> dict[str, str]:
    description = text(ctx, "description")
    if not description:
        return {}
    due = ctx.draft.get("due")
    effort = str(ctx.draft.get("effort") or Effort.M.value)
    idea_id = await upsert(
        ctx,
        "idea",
        Idea,
        pain_id=ctx.item,
        description=description,
        quick_win=ctx.draft.get("quick_win") is True or effort == QUICK,
        effort=Effort.S if effort == QUICK else Effort(effort),
        owner_id=await resolve(ctx, ctx.draft.get("owner")),
        due=date.fromisoformat(due) if isinstance(due, str) else None,
    )
    return {"idea": idea_id}


async def _owners(ctx: Ctx) -> Sequence[Option]:
    return await member_options(ctx)


FLOW = Flow(
    name="ideas",
    loop=Loop(_ids, _label, "progress.pain"),
    repeat=True,
    intro=_intro,
    steps=(
        Step(
            "ideas.description",
            Kind.TEXT,
            ask="busy.ideas.description.ask",
            lines=True,
            exit_key="busy.nothing",
        ),
        Step(
            "ideas.effort",
            Kind.CHOICE,
            ask="busy.ideas.effort.ask",
            options=_efforts,
            params=_named,
        ),
        Step("ideas.owner", Kind.MEMBER, options=_owners, optional=True),
        Step("ideas.due", Kind.DATE, options=_dues, optional=True, check=_not_past),
    ),
    commit=_commit,
    finish=section_flow("ideas"),
    leads_to=onward("ideas"),
    rest_key="busy.rest",
    announce=True,
    per_item=2,  # most pain points get "Nothing to add" or one idea
)
