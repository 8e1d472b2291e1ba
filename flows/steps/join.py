"""Join (participant, invite link): confirm the workshop and department → name →
position → the department's sections begin. The member is created at the end, with the
invite's department; facilitators and the bound group are told "X joined"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flows.conversation import runner
from flows.conversation.outcome import Request
from flows.conversation.spec import Ctx, Flow, Kind, OnCancel, Option, Step
from flows.models import (
    ALL_SECTIONS,
    Department,
    Invite,
    Member,
    Persona,
    Position,
    WorkshopStatus,
)
from flows.steps.persona import WHICH_ASK
from flows.steps.saving import department_names, stage_ids
from flows.steps.sections import GROWING, next_section, onward

NAME_LIMIT = 100


async def find_invite(ctx: Ctx, code: str) -> Invite | None:
    code = code.strip()
    if not code or len(code) > 64:
        return None
    return await ctx.uow.items.find_invite(code)


async def begin(ctx: Ctx, code: str) -> None:
    invite = await find_invite(ctx, code)
    if invite is None or invite.revoked_at is not None:
        ctx.info("join.invite.unknown")
        return
    workshop = await ctx.uow.workshops.get(invite.workshop_id)
    if workshop is None or workshop.status is WorkshopStatus.CLOSED:
        ctx.info("join.closed")
        return
    ctx.person.current_workshop_id = workshop.id
    pid = ctx.person.id
    ctx.position = await ctx.uow.positions.get(pid, workshop.id) or Position(
        person_id=pid, workshop_id=workshop.id
    )
    await runner.load(ctx, ctx.lang)
    if ctx.member is not None and ctx.member.department_id:
        ctx.info("join.already", title=workshop.title)
        if not ctx.position.flow:
            await runner.enter(ctx, ctx.flows.home)
        return
    ctx.position.history = []
    ctx.position.draft = {"department": invite.department_id or "", "_invite": invite.id}
    await runner.enter(ctx, "join")


async def _still_open(ctx: Ctx) -> bool:
    """The invite may have been revoked, or the workshop closed, since the person opened it:
    then nothing is created and the person leaves the join."""
    assert ctx.workshop is not None
    invite = await ctx.uow.items.get(Invite, str(ctx.draft.get("_invite") or ""))
    if ctx.workshop.status is WorkshopStatus.CLOSED:
        ctx.info("join.closed")
    elif ctx.member is None and (invite is None or invite.revoked_at is not None):
        ctx.info("join.invite.unknown")
    else:
        return True
    await ctx.uow.positions.delete(ctx.position.person_id, ctx.position.workshop_id)
    ctx.person.current_workshop_id = None
    ctx.position.flow = ""
    return False


async def _yes(ctx: Ctx) -> Sequence[Option]:
    return [Option("yes", "join.confirm.yes")]


async def _confirm_params(ctx: Ctx) -> dict[str, Any]:
    names = await department_names(ctx)
    assert ctx.workshop is not None
    dept_id = str(ctx.draft.get("department") or "")
    count = len(JOIN.steps) + await contribution(ctx, dept_id)
    return {
        "title": ctx.workshop.title,
        "product": ctx.workshop.product or "—",
        "department": names.get(dept_id, ""),
        "questions": count,
        "minutes": runner.minutes(count),
    }


async def contribution(ctx: Ctx, department_id: str) -> int:
    """About how many prompts a participant of the department answers in all of its
    sections, read off the flow catalog as the workshop stands: a section that counts
    for itself (persona: filled or not) says so; a section whose first question takes
    every loop item in one message (emotions: "1 1 2 -1 0") is one prompt; any other is
    its questions per item times its items. Owners, KPIs and ideas loop over items made
    during the workshop: those there now plus the department's own, about one every
    second stage (the demo's departments add 2 to 4 touchpoints over 5 stages). With
    several personas, "same for all, or one persona?" is one more tap per item where a
    flow asks it. Asked before the person is a member: a stand-in member of the
    department lists the items."""
    assert ctx.workshop is not None
    dept = await ctx.uow.items.get(Department, department_id) if department_id else None
    chosen = set(dept.sections) if dept is not None else set(ALL_SECTIONS)
    real = ctx.member
    ctx.member = real or Member(workshop_id=ctx.workshop.id, department_id=department_id or None)
    try:
        own = max(1, len(await stage_ids(ctx)) // 2)
        several = len(await ctx.uow.items.list(ctx.workshop.id, Persona)) > 1
        total = 0
        for section in (s for s in ALL_SECTIONS if s in chosen):
            total += await _section_prompts(ctx, ctx.flows[section.value], own, several)
        return total
    finally:
        ctx.member = real


async def _section_prompts(ctx: Ctx, flow: Flow, own: int, several: bool) -> int:
    if flow.questions is not None:
        return await flow.questions(ctx)
    if flow.loop is None:
        return 0
    items = len(await flow.loop.items(ctx))
    if flow.name in GROWING:
        items += own
    if not items:
        return 0
    which = sum(1 for s in flow.steps if s.ask == WHICH_ASK) if several else 0
    if flow.steps[0].lines and not flow.repeat:  # this item and the ones after it at once
        return 1 + which * items
    per = flow.per_item or sum(1 for s in flow.steps if s.when is None)
    return (per + which) * items


TELEGRAM_NAME = "~tg"  # the button "Use «<Telegram name>»"


async def _names(ctx: Ctx) -> Sequence[Option]:
    """One tap for the name Telegram gave (when it gave one); typing gives another."""
    if not ctx.person.name:
        return []
    return [Option(TELEGRAM_NAME, "join.name.use", {"name": ctx.person.name})]


def _name(ctx: Ctx) -> str:
    name = str(ctx.draft.get("name") or "")
    return ctx.person.name if name == TELEGRAM_NAME else name


async def _finish(ctx: Ctx) -> str | None:
    assert ctx.workshop is not None
    if not await _still_open(ctx):
        return ""
    dept_id = str(ctx.draft.get("department") or "") or None
    if dept_id and await ctx.uow.items.get(Department, dept_id) is None:
        dept_id = None
    name, position = _name(ctx), str(ctx.draft.get("position") or "")
    member = ctx.member or Member(
        workshop_id=ctx.workshop.id, person_id=ctx.person.id, created_at=ctx.now
    )
    member.name, member.position, member.department_id = name, position, dept_id
    if ctx.member is None:
        member.author_id = member.id
        await ctx.uow.items.add(member, actor=member.id)
    else:
        await ctx.uow.items.update(member, actor=member.id)
    ctx.member = member
    if not ctx.person.name:
        ctx.person.name = name
    dept = (await department_names(ctx)).get(dept_id or "", "")
    params = {"name": name, "department": dept, "title": ctx.workshop.title}
    ctx.info("join.welcome", **params)
    for kind in ("notify_facilitators", "notify_group"):
        ctx.requests.append(
            Request(kind=kind, workshop_id=ctx.workshop.id, key="join.notify.joined", params=params)
        )
    return await next_section(ctx, None)


JOIN = Flow(
    name="join",
    guests=True,
    on_cancel=OnCancel.DROP,
    steps=(
        Step(
            "join.confirm",
            Kind.CHOICE,
            ask="join.confirm.ask_time",
            options=_yes,
            params=_confirm_params,
        ),
        Step("join.name", Kind.CHOICE, options=_names, allow_text=True),
        Step("join.position", Kind.TEXT, optional=True, limit=NAME_LIMIT * 2),
    ),
    finish=_finish,
    leads_to=onward(None),  # the department's first section (or home)
)
