"""Persona section: one iteration per persona named at setup. Every field is optional and
shows what colleagues have entered so far; an answer replaces the field (the audit trail
keeps the earlier text). "Done with persona" saves what was answered and moves on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flows.conversation.spec import Ctx, Flow, Kind, Loop, Option, Step
from flows.models import Basis, Persona
from flows.steps.saving import actor
from flows.steps.sections import onward, section_flow

FIELDS = (
    "segment",
    "age",
    "gender",
    "occupation",
    "family",
    "geography",
    "income",
    "interests",
    "social_networks",
    "buying_habits",
    "technology",
    "goals",
    "frustrations",
    "opinion_leaders",
    "brands",
)
EXIT = "persona.next"


async def _ids(ctx: Ctx) -> list[str]:
    assert ctx.workshop is not None
    return [p.id for p in await ctx.uow.items.list(ctx.workshop.id, Persona)]


async def _label(ctx: Ctx, persona_id: str) -> str:
    persona = await ctx.uow.items.get(Persona, persona_id)
    return persona.name if persona else ""


def _current(name: str):  # type: ignore[no-untyped-def]
    async def params(ctx: Ctx) -> dict[str, Any]:
        persona = await ctx.uow.items.get(Persona, ctx.item)
        value = getattr(persona, name, "") if persona else ""
        return {"current": str(value.value if isinstance(value, Basis) else value) or "—"}

    return params


async def _bases(ctx: Ctx) -> Sequence[Option]:
    return [Option(b.value, f"persona.basis.{b.value}") for b in Basis]


async def _commit(ctx: Ctx) -> dict[str, str]:
    persona = await ctx.uow.items.get(Persona, ctx.item)
    if persona is None:
        return {}
    changed = False
    for name in (*FIELDS, "sources"):
        value = ctx.draft.get(name)
        if isinstance(value, str) and value:
            setattr(persona, name, value)
            changed = True
    if ctx.draft.get("basis") in {b.value for b in Basis}:
        persona.basis = Basis(str(ctx.draft["basis"]))
        changed = True
    if changed:
        await ctx.uow.items.update(persona, actor=actor(ctx))
    return {}


def _text(name: str) -> Step:
    return Step(f"persona.{name}", Kind.TEXT, optional=True, params=_current(name), exit_key=EXIT)


FLOW = Flow(
    name="persona",
    loop=Loop(_ids, _label, "progress.persona"),
    steps=(
        *(_text(name) for name in FIELDS),
        Step("persona.basis", Kind.CHOICE, options=_bases, optional=True, params=_current("basis")),
        Step(
            "persona.sources",
            Kind.TEXT,
            optional=True,
            params=_current("sources"),
            when=lambda ctx: ctx.draft.get("basis") == Basis.DATA.value,
        ),
    ),
    commit=_commit,
    finish=section_flow("persona"),
    leads_to=onward("persona"),
)
