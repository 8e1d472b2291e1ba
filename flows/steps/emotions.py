"""Emotions section: per stage, how the customer feels, on a scale from −2 to +2 — a
tap per stage, or all of them in one message ("1 1 2 -1 0": this stage and the next).
One score per person, stage and persona (with several personas one more tap says
whether it is the same for all of them): going through the section again updates it."""

from __future__ import annotations

from collections.abc import Sequence

from flows.conversation.spec import Ctx, Flow, Kind, Loop, Option, Step, Text
from flows.models import EmotionScore
from flows.steps.persona import chosen, note_personas, which_step
from flows.steps.saving import actor, stage_ids, stage_name, upsert
from flows.steps.sections import onward, section_flow

LABELS = {-2: "m2", -1: "m1", 0: "0", 1: "p1", 2: "p2"}


async def _scale(ctx: Ctx) -> Sequence[Option]:
    return [Option(str(v), f"emotions.score.{code}") for v, code in LABELS.items()]


def _fits(value: object, ctx: Ctx) -> Text | None:
    """Several scores go to this stage and the ones after it: no more than are left."""
    ids = str(ctx.position.cursor.get("ids") or "").split(",")
    left = len(ids) - int(ctx.position.cursor.get("i") or 0)
    if isinstance(value, list) and len(value) > left:
        return Text("busy.emotions.too_many", {"count": len(value), "left": left})
    return None


async def _commit(ctx: Ctx) -> dict[str, str]:
    score = ctx.draft.get("score")
    if not isinstance(score, int) or ctx.member is None or ctx.workshop is None:
        return {}
    persona = chosen(ctx)
    for old in await ctx.uow.items.list_where(ctx.workshop.id, EmotionScore, "stage_id", ctx.item):
        if old.author_id == ctx.member.id and old.persona_id == persona:
            old.score = score
            await ctx.uow.items.update(old, actor=actor(ctx))
            return {"score": old.id}
    saved = await upsert(
        ctx, "score", EmotionScore, stage_id=ctx.item, score=score, persona_id=persona
    )
    return {"score": saved}


FLOW = Flow(
    name="emotions",
    loop=Loop(lambda ctx: stage_ids(ctx), stage_name, "progress.stage"),
    intro=note_personas,
    steps=(
        Step(
            "emotions.score",
            Kind.SCALE,
            ask="busy.emotions.score.ask",
            options=_scale,
            low=-2,
            high=2,
            optional=True,
            lines=True,
            check=_fits,
        ),
        which_step("emotions", lambda ctx: isinstance(ctx.draft.get("score"), int)),
    ),
    commit=_commit,
    finish=section_flow("emotions"),
    leads_to=onward("emotions"),
    announce=True,
)
