"""Setup (facilitator, ``/new``): title → product → stage template (or custom stages) →
departments (marketing, sales, support preselected; custom ones typed) → sections per
department (default: all) → personas → review cadence → time zone → reminder time →
confirm. Confirming creates the workshop (status collecting), its stages, departments,
personas, one invite per department and the facilitator as a member, in one transaction.

Three flows chained: ``setup`` → ``setup_sections`` (one iteration per chosen
department) → ``setup_final``. Answers live in ``Position.draft`` until the confirm.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Any

from flows.conversation.runner import enter
from flows.conversation.spec import Ctx, Flow, Kind, Loop, OnCancel, Option, Step, Text
from flows.conversation.validation import check_timezone, same_name
from flows.models import (
    ALL_SECTIONS,
    DEFAULT_DEPARTMENTS,
    STAGE_TEMPLATES,
    Department,
    Invite,
    Member,
    Persona,
    Role,
    Section,
    Stage,
    StageTemplate,
    Workshop,
    WorkshopStatus,
)
from flows.steps.saving import bullets, new_item
from flows.texts import t_plain

NAME_LIMIT = 100
TIMEZONES = ("UTC", "Europe/Moscow", "Europe/Warsaw", "Europe/London", "Asia/Almaty")


async def begin(ctx: Ctx) -> None:
    """Start (or restart) the setup conversation of ``ctx.person``."""
    ctx.position.draft = {}
    ctx.position.history = []
    await enter(ctx, "setup")


# ------------------------------------------------------------------------ options


async def _templates(ctx: Ctx) -> Sequence[Option]:
    return [Option(t.value, f"setup.template.{t.value}") for t in StageTemplate]


async def _departments(ctx: Ctx) -> Sequence[Option]:
    return [Option(key, f"department.{key}") for key in DEFAULT_DEPARTMENTS]


async def _sections(ctx: Ctx) -> Sequence[Option]:
    return [Option(s.value, f"{s.value}.title") for s in ALL_SECTIONS]


async def _cadences(ctx: Ctx) -> Sequence[Option]:
    return [Option(str(d), "setup.cadence.days", {"days": d}) for d in (7, 14, 30, 90)]


def _default_zone(ctx: Ctx) -> str:
    return ctx.defaults.get("timezone") or "UTC"


async def _zones(ctx: Ctx) -> Sequence[Option]:
    """The operator's time zone (``DEFAULT_TIMEZONE``) first, then the usual ones."""
    first = _default_zone(ctx)
    return [Option(z, label=z) for z in (first, *(z for z in TIMEZONES if z != first))]


async def _times(ctx: Ctx) -> Sequence[Option]:
    return [Option(f"{h:02d}:00", label=f"{h:02d}:00") for h in (9, 10, 11, 14)]


async def _create(ctx: Ctx) -> Sequence[Option]:
    return [Option("create", "setup.confirm.create")]


def _zone_check(value: Any, ctx: Ctx) -> None:
    check_timezone(str(value))


def _department_check(value: Any, ctx: Ctx) -> Text | None:
    """A typed department that near-duplicates a built-in one ("sale": Sales) or one
    already typed and chosen ("Legals" after "Legal"): the one already there is meant."""
    if not isinstance(value, str) or value in DEFAULT_DEPARTMENTS or value.startswith("+"):
        return None
    chosen = list(ctx.draft.get("departments") or [])
    names = [t_plain(ctx.lang, f"department.{k}") for k in DEFAULT_DEPARTMENTS]
    names += [_department_label(ctx, c) for c in chosen if c.startswith("+")]
    twin = same_name(value, names)
    return Text("setup.departments.same", {"item": twin}) if twin is not None else None


def _department_label(ctx: Ctx, code: str) -> str:
    if code.startswith("+"):
        customs = list(ctx.draft.get("departments_custom") or [])
        index = int(code[1:])
        return str(customs[index]) if index < len(customs) else code
    return t_plain(ctx.lang, f"department.{code}")


async def _department_codes(ctx: Ctx) -> list[str]:
    return list(ctx.draft.get("departments") or [])


async def _department_item(ctx: Ctx, code: str) -> str:
    return _department_label(ctx, code)


async def _assign(ctx: Ctx) -> dict[str, str]:
    assign = dict(ctx.draft.get("assign") or {})  # type: ignore[arg-type]
    assign[ctx.item] = list(ctx.draft.get("sections") or [])
    ctx.draft["assign"] = assign
    return {}


async def _summary(ctx: Ctx) -> dict[str, Any]:
    d = ctx.draft
    template = StageTemplate(str(d.get("template") or "aida"))
    stage_names = (
        list(d.get("stages") or [])
        if template is StageTemplate.CUSTOM
        else [t_plain(ctx.lang, f"stage.{k}") for k in STAGE_TEMPLATES[template]]
    )
    departments = [_department_label(ctx, c) for c in d.get("departments") or []]
    return {
        "title": d.get("title", ""),
        "product": d.get("product") or "—",
        "stages": " → ".join(stage_names),
        "departments": ", ".join(departments),
        "personas": ", ".join(d.get("personas") or []),
        "cadence": int(float(d.get("cadence") or 30)),
        "timezone": d.get("timezone") or _default_zone(ctx),
        "time": d.get("time", "10:00"),
    }


# -------------------------------------------------------------------------- create


async def _create_workshop(ctx: Ctx) -> str | None:
    d = ctx.draft
    hour, minute = (int(x) for x in str(d.get("time") or "10:00").split(":"))
    workshop = Workshop(
        title=str(d["title"]),
        product=str(d.get("product") or ""),
        language=ctx.lang,
        timezone=str(d.get("timezone") or _default_zone(ctx)),
        stage_template=StageTemplate(str(d.get("template") or "aida")),
        review_cadence_days=int(float(d.get("cadence") or 30)),
        reminder_time=time(hour, minute),
        status=WorkshopStatus.COLLECTING,
        created_by=ctx.person.id,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    await ctx.uow.workshops.add(workshop)
    ctx.workshop = workshop
    member = new_item(
        ctx, Member, person_id=ctx.person.id, name=ctx.person.name, role=Role.FACILITATOR
    )
    member.author_id = None
    await ctx.uow.items.add(member, actor=ctx.person.id)
    ctx.member = member
    await _add_stages(ctx, workshop)
    invites = await _add_departments(ctx, workshop)
    for name in d.get("personas") or []:
        await ctx.uow.items.add(new_item(ctx, Persona, name=str(name)), actor=member.id)
    ctx.switch_to = workshop.id
    lines = [f"{i['department']}: {ctx.invite_link(i['code'])}" for i in invites]
    ctx.info("setup.created", title=workshop.title, invites=bullets(lines))
    ctx.requests.append(_created_request(workshop, invites))
    return None


def _created_request(workshop: Workshop, invites: list[dict[str, str]]) -> Any:
    from flows.conversation.outcome import Request

    return Request(
        kind="workshop_created",
        workshop_id=workshop.id,
        key="setup.created.invites",
        params={"invites": invites, "title": workshop.title},
    )


async def _add_stages(ctx: Ctx, workshop: Workshop) -> None:
    template = workshop.stage_template
    if template is StageTemplate.CUSTOM:
        specs = [{"name": str(n)} for n in ctx.draft.get("stages") or []]
    else:
        specs = [{"key": k} for k in STAGE_TEMPLATES[template]]
    for order, spec in enumerate(specs):
        await ctx.uow.items.add(new_item(ctx, Stage, order=order, **spec), actor=ctx.member.id)  # type: ignore[union-attr]


async def _add_departments(ctx: Ctx, workshop: Workshop) -> list[dict[str, str]]:
    assign = dict(ctx.draft.get("assign") or {})  # type: ignore[arg-type]
    invites = []
    for code in ctx.draft.get("departments") or []:
        custom = code.startswith("+")
        sections = [Section(s) for s in assign.get(code) or ALL_SECTIONS]
        dept = new_item(
            ctx,
            Department,
            key=None if custom else code,
            name=_department_label(ctx, code) if custom else "",
            sections=sorted(sections, key=ALL_SECTIONS.index),
        )
        await ctx.uow.items.add(dept, actor=ctx.person.id)
        invite = new_item(ctx, Invite, department_id=dept.id)
        await ctx.uow.items.add(invite, actor=ctx.person.id)
        invites.append(
            {
                "department": _department_label(ctx, code),
                "department_id": dept.id,
                "key": "" if custom else code,
                "code": invite.code,
            }
        )
    return invites


async def _questions(ctx: Ctx) -> int:
    """Setup's questions across its three flows: the first flow's, one per department
    (the three preselected until they are chosen), and the final five."""
    first = sum(1 for s in SETUP.steps if s.when is None or s.when(ctx))
    departments = len(ctx.draft.get("departments") or DEFAULT_DEPARTMENTS)
    return first + departments + len(SETUP_FINAL.steps)


async def _to_sections(ctx: Ctx) -> str:
    return "setup_sections"


async def _to_final(ctx: Ctx) -> str:
    return "setup_final"


def _custom_template(ctx: Ctx) -> bool:
    return ctx.draft.get("template") == StageTemplate.CUSTOM.value


# --------------------------------------------------------------------------- flows

SETUP = Flow(
    name="setup",
    on_cancel=OnCancel.DROP,
    carry_answers=True,  # setup_final creates the workshop from them
    steps=(
        Step("setup.title", Kind.TEXT, limit=NAME_LIMIT * 2),
        Step("setup.product", Kind.TEXT, optional=True, limit=NAME_LIMIT * 3),
        Step("setup.template", Kind.CHOICE, options=_templates),
        Step("setup.stages", Kind.TEXT, many=True, low=1, limit=NAME_LIMIT, when=_custom_template),
        Step(
            "setup.departments",
            Kind.MULTI,
            options=_departments,
            allow_text=True,
            low=1,
            check=_department_check,
            default=lambda ctx: list(DEFAULT_DEPARTMENTS),
        ),
    ),
    finish=_to_sections,
    leads_to=("setup_sections",),
    questions=_questions,
)

SETUP_SECTIONS = Flow(
    name="setup_sections",
    on_cancel=OnCancel.DROP,
    carry_answers=True,  # setup_final creates the workshop from them
    title="setup.title",
    loop=Loop(
        _department_codes, lambda ctx, code: _department_item(ctx, code), "progress.department"
    ),
    steps=(
        Step(
            "setup.sections",
            Kind.MULTI,
            options=_sections,
            low=1,
            default=lambda ctx: [s.value for s in ALL_SECTIONS],
        ),
    ),
    commit=_assign,
    finish=_to_final,
    leads_to=("setup_final",),
    questions=_questions,
    shared_count=True,
)

SETUP_FINAL = Flow(
    name="setup_final",
    on_cancel=OnCancel.DROP,
    title="setup.title",
    steps=(
        Step("setup.personas", Kind.TEXT, many=True, low=1, limit=NAME_LIMIT),
        Step("setup.cadence", Kind.NUMBER, options=_cadences, low=1, high=365),
        Step("setup.timezone", Kind.CHOICE, options=_zones, allow_text=True, check=_zone_check),
        Step("setup.time", Kind.TIME, options=_times),
        Step("setup.confirm", Kind.CHOICE, options=_create, params=_summary),
    ),
    finish=_create_workshop,
    leads_to=("home",),  # in the new workshop
    questions=_questions,
    shared_count=True,
)
