"""Stages section: per stage, the customer's goal, actions (doing) and thoughts and
questions (thinking), in one message: one line each, the goal first ("Actions: …",
"Thoughts: …" name the other lanes; several lines per lane are several notes). Each line
becomes a StageNote with author and department. When colleagues already wrote for the
stage, their entries are shown with "✓ Agree", "Add" and "Nothing to add" (one tap leaves
the stage); "Nothing more in this section" leaves the section. With several personas, one
more tap says whether the notes are the same for all of them or one persona's."""

from __future__ import annotations

from collections.abc import Sequence

from flows.conversation.spec import Ctx, Flow, Kind, Loop, Option, Step
from flows.models import NoteLane, StageNote
from flows.steps import labelled
from flows.steps.persona import chosen, note_personas, which_step
from flows.steps.saving import bullets, department_names, stage_ids, stage_name, upsert
from flows.steps.sections import onward, section_flow
from flows.texts import t_plain

AGREE, ADD = "agree", "add"


async def _intro(ctx: Ctx) -> None:
    assert ctx.workshop is not None
    await note_personas(ctx)
    notes = await ctx.uow.items.list_where(ctx.workshop.id, StageNote, "stage_id", ctx.item)
    ctx.draft["_seen"] = bool(notes)
    if not notes:
        return
    names = await department_names(ctx)
    lines = [
        f"{t_plain(ctx.lang, f'stages.lane.{n.lane.value}')}: {n.text}"
        f" ({names.get(n.department_id or '', '—')})"
        for n in notes[-15:]
    ]
    ctx.info("stages.colleagues", stage=await stage_name(ctx, ctx.item), items=bullets(lines))


LANE_KEYS = {lane.value: f"stages.lane.{lane.value}" for lane in NoteLane}


def _lines(ctx: Ctx, raw: object) -> list[tuple[str, str]]:
    if not isinstance(raw, str):
        return []
    known = labelled.labels(ctx.lang, LANE_KEYS)
    return labelled.split(raw, known, default=NoteLane.GOAL.value)[0]


async def _commit(ctx: Ctx) -> dict[str, str]:
    saved = {}
    for n, (lane, text) in enumerate(_lines(ctx, ctx.draft.get("notes"))):
        key = f"{lane}.{n}"
        saved[key] = await upsert(
            ctx,
            key,
            StageNote,
            stage_id=ctx.item,
            lane=NoteLane(lane),
            text=text,
            persona_id=chosen(ctx),
        )
    return saved


async def _seen_options(ctx: Ctx) -> Sequence[Option]:
    return [Option(AGREE, "busy.stages.agree"), Option(ADD, "busy.stages.add")]


def _asking(ctx: Ctx) -> bool:
    return not ctx.draft.get("_seen") or ctx.draft.get("seen") == ADD


async def _notes_params(ctx: Ctx) -> dict[str, str]:
    return {k: t_plain(ctx.lang, key) for k, key in LANE_KEYS.items()}


FLOW = Flow(
    name="stages",
    loop=Loop(lambda ctx: stage_ids(ctx), stage_name, "progress.stage"),
    intro=_intro,
    steps=(
        Step(
            "stages.seen",
            Kind.CHOICE,
            ask="busy.stages.seen.ask",
            options=_seen_options,
            when=lambda ctx: bool(ctx.draft.get("_seen")),
            exit_key="busy.nothing",
        ),
        Step(
            "stages.notes",
            Kind.TEXT,
            ask="busy.stages.notes.ask",
            params=_notes_params,
            exit_key="busy.nothing",
            when=_asking,
        ),
        which_step("stages", lambda ctx: _asking(ctx) and bool(ctx.draft.get("notes"))),
    ),
    commit=_commit,
    finish=section_flow("stages"),
    leads_to=onward("stages"),
    rest_key="busy.rest",
    per_item=1,
    announce=True,
)
