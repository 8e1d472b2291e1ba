"""The order of sections, and what happens when a participant has gone through all of
their department's sections (finished: when it completes the department, facilitators and
the group are told in one line; single finishes go into the facilitators' daily summary)."""

from __future__ import annotations

from flows.conversation.outcome import Request
from flows.conversation.spec import Ctx
from flows.models import ALL_SECTIONS, Department, Member, Role, Stage
from flows.steps.saving import department_names

HOME = "home"  # the name of the flow a person rests in (flows.steps.home)


async def assigned(ctx: Ctx) -> list[str]:
    if ctx.member is None or not ctx.member.department_id:
        return []
    dept = await ctx.uow.items.get(Department, ctx.member.department_id)
    chosen = set(dept.sections) if dept is not None else set()
    return [s.value for s in ALL_SECTIONS if s in chosen]


async def next_section(ctx: Ctx, after: str | None) -> str | None:
    """The next section of the member's department after ``after`` (None: the first);
    after the last one the member is finished and goes home (None)."""
    if ctx.draft.pop("_redo", None):
        return None
    order = [s.value for s in ALL_SECTIONS]
    start = order.index(after) + 1 if after in order else 0
    mine = await assigned(ctx)
    for name in order[start:]:
        if name in mine:
            return name
    await _finished(ctx)
    return None


GROWING = ("owners", "kpis", "ideas")  # their items are made during the workshop


async def contribution(ctx: Ctx, department_id: str) -> int:
    """About how many questions a participant of the department answers in all of its
    sections, as the workshop stands: per section its questions per item times its items
    (for owners, KPIs and ideas, whose items colleagues are still adding, at least one
    per stage). Asked before the person is a member: a stand-in member of the department
    lists the items."""
    assert ctx.workshop is not None
    dept = await ctx.uow.items.get(Department, department_id) if department_id else None
    chosen = set(dept.sections) if dept is not None else set(ALL_SECTIONS)
    real = ctx.member
    ctx.member = real or Member(workshop_id=ctx.workshop.id, department_id=department_id or None)
    try:
        stage_count = len([s for s in await ctx.uow.items.list(ctx.workshop.id, Stage)])
        total = 0
        for section in (s for s in ALL_SECTIONS if s in chosen):
            flow = ctx.flows[section.value]
            if flow.questions is not None:  # it counts for itself (persona: filled or not)
                total += await flow.questions(ctx)
                continue
            if flow.loop is None:
                continue
            items = len(await flow.loop.items(ctx))
            if section.value in GROWING:
                items = max(items, stage_count)
            per = flow.per_item or sum(1 for s in flow.steps if s.when is None)
            total += per * items
        return total
    finally:
        ctx.member = real


def onward(after: str | None) -> tuple[str, ...]:
    """Every flow :func:`next_section` can return after ``after`` (None: before the first
    section): each later section in order, then home. A flow's ``leads_to``."""
    order = [s.value for s in ALL_SECTIONS]
    start = order.index(after) + 1 if after in order else 0
    return (*order[start:], HOME)


def section_flow(name: str):  # type: ignore[no-untyped-def]
    async def finish(ctx: Ctx) -> str | None:
        return await next_section(ctx, name)

    return finish


async def _finished(ctx: Ctx) -> None:
    member, workshop = ctx.member, ctx.workshop
    if member is None or workshop is None or member.finished_at is not None:
        return
    member.finished_at = ctx.now
    await ctx.uow.items.update(member, actor=member.id)
    ctx.info("sections.all_done")
    dept = (await department_names(ctx)).get(member.department_id or "", "")
    # one person's finish tells nobody at once: the facilitators see it in the daily
    # summary (flows/workshop/summary.py); a whole department's, below, is one line each
    colleagues = [
        m
        for m in await ctx.uow.items.list(workshop.id, Member)
        if m.department_id == member.department_id and m.person_id and m.role is Role.PARTICIPANT
    ]
    if all(m.finished_at is not None for m in colleagues):
        for kind in ("notify_facilitators", "notify_group"):
            ctx.requests.append(
                Request(
                    kind=kind,
                    workshop_id=workshop.id,
                    key="sections.notify.department_done",
                    params={"department": dept, "title": workshop.title},
                )
            )
