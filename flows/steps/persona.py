"""Persona section: one iteration per persona named at setup, filled once and then built
on. The first person to reach an empty persona describes it in one message, one line per
field they know ("Age: 28–35"), then says whether it rests on data. Everyone after sees
the card and answers "✓ Agrees", or picks the fields to add or correct and answers
those. An empty field takes the answer; a different answer for a filled field is kept
beside it as an alternative (a disagreement on the map and in the status), never
overwriting what a colleague said."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flows.conversation.spec import Ctx, Flow, Kind, Loop, Option, Step, Text
from flows.conversation.validation import name_key
from flows.models import Basis, Persona, PersonaAlternative
from flows.steps import labelled
from flows.steps.saving import actor, department_names
from flows.steps.sections import onward, section_flow
from flows.texts import t_plain

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
CORE = ("segment", "age", "occupation", "goals", "frustrations")
BASIS = "basis"  # also a pickable "field": how the persona is known (data or hypothesis)
AGREE, EDIT = "agree", "edit"
EXIT = "persona.next"

# "Same for all personas, or one of them?" after an emotion, a stage's notes or a pain
# point — asked only when the workshop has several personas (one tap: the first button)
WHICH = "persona"  # the question's draft field in those flows
WHICH_ASK = "persona.which.ask"
ALL = "all"
PERSONAS = "_personas"  # {id: name} of the workshop's personas, when there are several


async def note_personas(ctx: Ctx) -> None:
    """For a section's intro: remember the personas when there are several."""
    assert ctx.workshop is not None
    found = await ctx.uow.items.list(ctx.workshop.id, Persona)
    if len(found) > 1:
        ctx.draft[PERSONAS] = {p.id: p.name for p in found}
    else:
        ctx.draft.pop(PERSONAS, None)


async def _which(ctx: Ctx) -> Sequence[Option]:
    known = dict(ctx.draft.get(PERSONAS) or {})
    return [Option(ALL, "persona.which.all")] + [
        Option(pid, label=str(name)) for pid, name in known.items()
    ]


def which_step(section: str, when: Any = None) -> Step:
    """The question "For which persona?" of ``section`` (asked when ``when`` holds too)."""

    def asked(ctx: Ctx) -> bool:
        return bool(ctx.draft.get(PERSONAS)) and (when is None or bool(when(ctx)))

    return Step(f"{section}.persona", Kind.CHOICE, ask=WHICH_ASK, options=_which, when=asked)


def chosen(ctx: Ctx) -> str | None:
    """The persona the iteration's answers are for; None: the same for every persona."""
    value = ctx.draft.get(WHICH)
    return str(value) if value in dict(ctx.draft.get(PERSONAS) or {}) else None


async def _ids(ctx: Ctx) -> list[str]:
    assert ctx.workshop is not None
    return [p.id for p in await ctx.uow.items.list(ctx.workshop.id, Persona)]


async def _label(ctx: Ctx, persona_id: str) -> str:
    persona = await ctx.uow.items.get(Persona, persona_id)
    return persona.name if persona else ""


def _filled(persona: Persona) -> bool:
    return any(getattr(persona, name) for name in FIELDS)


async def _intro(ctx: Ctx) -> None:
    """The card's state decides the first question: filled → the card; empty → pick."""
    persona = await ctx.uow.items.get(Persona, ctx.item)
    ctx.draft["_filled"] = persona is not None and _filled(persona)


def card(persona: Persona, lang: str, departments: dict[str, str]) -> str:
    """The persona's fields, one per line, each with its colleagues' alternatives."""
    lines = []
    for name in FIELDS:
        value = str(getattr(persona, name))
        if not value:
            continue
        line = f"{t_plain(lang, f'map.persona.{name}')}: {value}"
        others = [
            f"{a.text} ({departments.get(a.department_id or '', '—')})"
            for a in persona.alternatives
            if a.field == name
        ]
        if others:
            line += " ≠ " + "; ".join(others)
        lines.append(line)
    basis = t_plain(lang, f"persona.basis.{persona.basis.value}")
    lines.append(f"{t_plain(lang, 'map.persona.sources')}: {persona.sources or basis}")
    return "\n".join(lines)


async def _card_params(ctx: Ctx) -> dict[str, Any]:
    persona = await ctx.uow.items.get(Persona, ctx.item)
    if persona is None:
        return {"card": ""}
    return {"card": card(persona, ctx.lang, await department_names(ctx))}


async def _card_options(ctx: Ctx) -> Sequence[Option]:
    return [Option(AGREE, "busy.persona.agree"), Option(EDIT, "busy.persona.edit")]


async def _fields(ctx: Ctx) -> Sequence[Option]:
    return [Option(n, f"map.persona.{n}") for n in FIELDS] + [
        Option(BASIS, "busy.persona.basis_field")
    ]


def _picking(ctx: Ctx) -> bool:
    return bool(ctx.draft.get("_filled")) and ctx.draft.get("card") == EDIT


def _first(ctx: Ctx) -> bool:
    return not ctx.draft.get("_filled")


FORM_KEYS = {name: f"map.persona.{name}" for name in FIELDS}


def _form(ctx: Ctx) -> list[tuple[str, str]]:
    raw = ctx.draft.get("form")
    if not isinstance(raw, str):
        return []
    return labelled.split(raw, labelled.labels(ctx.lang, FORM_KEYS))[0]


def _form_check(value: Any, ctx: Ctx) -> Text | None:
    _, bad = labelled.split(str(value), labelled.labels(ctx.lang, FORM_KEYS))
    return labelled.refusal(bad, ctx.lang, FORM_KEYS) if bad is not None else None


async def _form_params(ctx: Ctx) -> dict[str, Any]:
    core = "\n".join(f"{t_plain(ctx.lang, FORM_KEYS[n])}: …" for n in CORE)
    more = ", ".join(t_plain(ctx.lang, FORM_KEYS[n]) for n in FIELDS if n not in CORE)
    return {"core": core, "more": more}


def _picked(name: str):  # type: ignore[no-untyped-def]
    def when(ctx: Ctx) -> bool:
        if name == BASIS and _first(ctx):
            return True
        return _picking(ctx) and name in (ctx.draft.get("fields") or [])

    return when


def _current(name: str):  # type: ignore[no-untyped-def]
    async def params(ctx: Ctx) -> dict[str, Any]:
        persona = await ctx.uow.items.get(Persona, ctx.item)
        value = getattr(persona, name, "") if persona else ""
        return {"current": str(value.value if isinstance(value, Basis) else value) or "—"}

    return params


async def _bases(ctx: Ctx) -> Sequence[Option]:
    return [Option(b.value, f"persona.basis.{b.value}") for b in Basis]


def _keep(ctx: Ctx, persona: Persona, name: str, value: str) -> bool:
    """Fill an empty field; a different answer becomes an alternative. Changed?"""
    now = str(getattr(persona, name))
    if not now:
        setattr(persona, name, value)
        return True
    if name_key(now) == name_key(value):
        return False
    dept = ctx.member.department_id if ctx.member else None
    known = {(a.field, name_key(a.text)) for a in persona.alternatives}
    if (name, name_key(value)) in known:
        return False
    persona.alternatives = [
        *persona.alternatives,
        PersonaAlternative(field=name, text=value, department_id=dept),
    ]
    return True


async def _commit(ctx: Ctx) -> dict[str, str]:
    persona = await ctx.uow.items.get(Persona, ctx.item)
    if persona is None:
        return {}
    changed = False
    answers = [(n, ctx.draft.get(n)) for n in FIELDS] + list(_form(ctx))
    for name, value in answers:
        if isinstance(value, str) and value:
            changed |= _keep(ctx, persona, name, value)
    basis = ctx.draft.get("basis")
    if basis in {b.value for b in Basis} and (not _filled(persona) or basis == Basis.DATA.value):
        changed |= persona.basis != Basis(str(basis))
        persona.basis = Basis(str(basis))
    sources = ctx.draft.get("sources")
    if isinstance(sources, str) and sources:
        changed |= _keep(ctx, persona, "sources", sources)
    if changed:
        await ctx.uow.items.update(persona, actor=actor(ctx))
    return {}


async def _questions(ctx: Ctx) -> int:
    """A filled card is one tap; an empty one is the description, the basis, sources."""
    assert ctx.workshop is not None
    found = await ctx.uow.items.list(ctx.workshop.id, Persona)
    return sum(1 if _filled(p) else 3 for p in found) or 1


def _text(name: str) -> Step:
    return Step(
        f"persona.{name}",
        Kind.TEXT,
        optional=True,
        params=_current(name),
        exit_key=EXIT,
        when=_picked(name),
    )


FLOW = Flow(
    name="persona",
    loop=Loop(_ids, _label, "progress.persona"),
    intro=_intro,
    steps=(
        Step(
            "persona.card",
            Kind.CHOICE,
            ask="busy.persona.card.ask",
            options=_card_options,
            params=_card_params,
            when=lambda ctx: bool(ctx.draft.get("_filled")),
        ),
        Step(
            "persona.form",
            Kind.TEXT,
            ask="busy.persona.form.ask",
            params=_form_params,
            check=_form_check,
            when=_first,
            exit_key="busy.nothing",
        ),
        Step(
            "persona.fields",
            Kind.MULTI,
            ask="busy.persona.fields.ask",
            options=_fields,
            when=_picking,
        ),
        *(_text(name) for name in FIELDS),
        Step(
            "persona.basis",
            Kind.CHOICE,
            options=_bases,
            optional=True,
            params=_current("basis"),
            when=_picked(BASIS),
        ),
        Step(
            "persona.sources",
            Kind.TEXT,
            optional=True,
            params=_current("sources"),
            when=lambda ctx: _picked(BASIS)(ctx) and ctx.draft.get("basis") == Basis.DATA.value,
        ),
    ),
    commit=_commit,
    finish=section_flow("persona"),
    leads_to=onward("persona"),
    announce=True,
    questions=_questions,
)
