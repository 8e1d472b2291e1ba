"""Pain points section: per stage, the pain points the person sees in one message, one per
line, each with its evidence after a dash if there is any ("Long queue — timed 40
deals"); then per pain point: touchpoint (if the stage has any) → evidence kind (only
for a pain point with evidence; none: a hypothesis) → severity 1–3 → anonymous? An
anonymous pain point has no author, but its department is recorded. "Nothing to add"
leaves the stage, "Nothing more in this section" the section. Colleagues' pain points
are shown first."""

from __future__ import annotations

from collections.abc import Sequence

from flows.conversation.spec import Ctx, Flow, Kind, Loop, Option, Step
from flows.models import EvidenceKind, PainPoint, Touchpoint
from flows.steps.persona import chosen, note_personas, which_step
from flows.steps.saving import bullets, department_names, stage_ids, stage_name, text, upsert
from flows.steps.sections import onward, section_flow
from flows.steps.touchpoints import split_detail

SHOWN = 20


async def _stage_touchpoints(ctx: Ctx, limit: int = SHOWN) -> list[Touchpoint]:
    """The stage's first touchpoints (as many as are offered)."""
    assert ctx.workshop is not None
    return await ctx.uow.items.list_where(
        ctx.workshop.id, Touchpoint, "stage_id", ctx.item, limit=limit
    )


async def _intro(ctx: Ctx) -> None:
    assert ctx.workshop is not None
    await note_personas(ctx)
    ctx.draft["_has_tp"] = bool(await _stage_touchpoints(ctx, limit=1))
    found = await ctx.uow.items.list_where(ctx.workshop.id, PainPoint, "stage_id", ctx.item)
    if not found:
        return
    names = await department_names(ctx)
    lines = [
        f"{p.description} [{p.severity}] ({names.get(p.department_id or '', '—')})"
        for p in found[-SHOWN:]
    ]
    ctx.info("pains.colleagues", stage=await stage_name(ctx, ctx.item), items=bullets(lines))


async def _named(ctx: Ctx) -> dict[str, str]:
    return {"name": split_detail(text(ctx, "description"))[0]}


async def _touchpoints(ctx: Ctx) -> Sequence[Option]:
    return [Option(t.id, label=t.name) for t in await _stage_touchpoints(ctx)]


async def _kinds(ctx: Ctx) -> Sequence[Option]:
    return [Option(k.value, f"pains.evidence.{k.value}") for k in EvidenceKind]


async def _severities(ctx: Ctx) -> Sequence[Option]:
    return [Option(str(v), f"pains.severity.{v}") for v in (1, 2, 3)]


def _inline(ctx: Ctx) -> bool:
    """The pain point's line carried its evidence after a dash."""
    return bool(split_detail(text(ctx, "description"))[1])


async def commit(ctx: Ctx) -> dict[str, str]:
    description, evidence = split_detail(text(ctx, "description"))
    if not description:
        return {}
    kind = ctx.draft.get("evidence_kind")
    tp = ctx.draft.get("touchpoint")
    anonymous = ctx.draft.get("anonymous") is True
    pain_id = await upsert(
        ctx,
        "pain",
        PainPoint,
        stage_id=ctx.item,
        description=description,
        touchpoint_id=str(tp) if tp else None,
        evidence_kind=EvidenceKind(str(kind)) if kind in {k.value for k in EvidenceKind} else None,
        evidence=text(ctx, "evidence") or evidence,
        severity=int(ctx.draft.get("severity") or 2),  # type: ignore[call-overload]
        anonymous=anonymous,
        persona_id=chosen(ctx),
        author_id=None if anonymous else (ctx.member.id if ctx.member else None),
    )
    if anonymous:
        ctx.seal()
    return {"pain": pain_id}


# one pain point, every question asked (a review card's "Add pain point", a rule's)
SINGLE_STEPS = (
    Step("pains.description", Kind.TEXT),
    Step("pains.evidence_kind", Kind.CHOICE, options=_kinds, optional=True),
    Step(
        "pains.evidence",
        Kind.TEXT,
        optional=True,
        when=lambda ctx: bool(ctx.draft.get("evidence_kind")),
    ),
    Step("pains.severity", Kind.SCALE, options=_severities, low=1, high=3),
    Step("pains.anonymous", Kind.YESNO),
)

FLOW = Flow(
    name="pains",
    loop=Loop(lambda ctx: stage_ids(ctx), stage_name, "progress.stage"),
    repeat=True,
    intro=_intro,
    steps=(
        Step(
            "pains.description",
            Kind.TEXT,
            ask="busy.pains.description.ask",
            lines=True,
            exit_key="busy.nothing",
        ),
        which_step("pains"),
        Step(
            "pains.touchpoint",
            Kind.CHOICE,
            ask="busy.pains.touchpoint.ask",
            options=_touchpoints,
            optional=True,
            params=_named,
            when=lambda ctx: bool(ctx.draft.get("_has_tp")),
        ),
        Step(
            "pains.evidence_kind",
            Kind.CHOICE,
            ask="busy.pains.evidence_kind.ask",
            options=_kinds,
            optional=True,
            params=_named,
            when=_inline,
        ),
        Step(
            "pains.severity",
            Kind.SCALE,
            ask="busy.pains.severity.ask",
            options=_severities,
            low=1,
            high=3,
            params=_named,
        ),
        Step("pains.anonymous", Kind.YESNO, ask="busy.pains.anonymous.ask", params=_named),
    ),
    commit=commit,
    finish=section_flow("pains"),
    leads_to=onward("pains"),
    announce=True,
    rest_key="busy.rest",
    per_item=2,
)
