"""Touchpoints section: per stage, the touchpoints the person knows in one message, one
per line ("Search ads — ads for family models": a description after a dash). Then per
touchpoint only its channel (the catalogue, or a typed custom one); a custom channel also
asks online/offline and whether the company controls it (catalogue channels know the
first, and are the company's). "Nothing to add" leaves the stage, "Nothing more in this
section" the section. Colleagues' touchpoints of the stage are shown first, so
departments build on each other; a name that one of them already has in the stage
(case, spacing and singular/plural aside) asks "«Instagram ads» is already there — use
it?" first: using it adds nothing, the channel is the colleague's, and the department's
KPIs are asked for that touchpoint (``Touchpoint.shared_with``)."""

from __future__ import annotations

from collections.abc import Sequence

from flows.conversation.spec import Ctx, Flow, Kind, Loop, Option, Step
from flows.models import Channel, Touchpoint, channel_is_online
from flows.steps.saving import (
    actor,
    bullets,
    department_names,
    stage_ids,
    stage_name,
    text,
    upsert,
)
from flows.steps.sections import onward, section_flow
from flows.texts import t_plain
from flows.workshop.duplicates import twin

CATALOGUE = {c.value for c in Channel}
# {touchpoint id: name}: the stage's touchpoints when the stage began (a cache, not in back
# steps: flows.conversation.runner.CACHED), and the ones the person added since
NAMES, ADDED = "__names", "_added"
USE, ADD = "use", "add"


def channel_label(lang: str, channel: str) -> str:
    return t_plain(lang, f"channel.{channel}") if channel in CATALOGUE else channel


async def _intro(ctx: Ctx) -> None:
    assert ctx.workshop is not None
    found = await ctx.uow.items.list_where(ctx.workshop.id, Touchpoint, "stage_id", ctx.item)
    ctx.draft[NAMES] = {t.id: t.name for t in found}
    ctx.draft.pop(ADDED, None)
    stage = await stage_name(ctx, ctx.item)
    if not found:
        ctx.info("touchpoints.colleagues.none", stage=stage)
        return
    names = await department_names(ctx)
    lines = [
        f"{t.name} — {channel_label(ctx.lang, t.channel)} ({names.get(t.department_id or '', '—')})"
        for t in found[-20:]
    ]
    ctx.info("touchpoints.colleagues", stage=stage, items=bullets(lines))


async def _channels(ctx: Ctx) -> Sequence[Option]:
    return [Option(c.value, f"channel.{c.value}") for c in Channel]


def _custom_channel(ctx: Ctx) -> bool:
    return _adding(ctx) and str(ctx.draft.get("channel") or "") not in CATALOGUE


def _twin(ctx: Ctx) -> str | None:
    """The stage's touchpoint the typed name near-duplicates (its id), or None."""
    known = _known(ctx)
    name = split_detail(text(ctx, "name"))[0]
    return twin(name, known) if known and name else None


def _known(ctx: Ctx) -> dict[str, str]:
    """The stage's touchpoints by id: colleagues' (as the stage began) and the person's."""
    return {**dict(ctx.draft.get(NAMES) or {}), **dict(ctx.draft.get(ADDED) or {})}


def _used(ctx: Ctx) -> str | None:
    found = _twin(ctx)
    return found if found is not None and ctx.draft.get("same") == USE else None


def _adding(ctx: Ctx) -> bool:
    return _used(ctx) is None


async def _same_params(ctx: Ctx) -> dict[str, str]:
    return {"name": str(_known(ctx).get(_twin(ctx) or "", "")), "typed": _typed_name(ctx)}


def _typed_name(ctx: Ctx) -> str:
    return split_detail(text(ctx, "name"))[0]


async def _same_options(ctx: Ctx) -> Sequence[Option]:
    params = await _same_params(ctx)
    return [
        Option(USE, "touchpoints.same.use", {"name": params["name"]}),
        Option(ADD, "touchpoints.same.add", {"typed": params["typed"]}),
    ]


DASHES = (" — ", " – ", " - ")


def split_detail(line: str) -> tuple[str, str]:
    """ "Name — detail" → (name, detail); a line without a spaced dash has no detail."""
    for dash in DASHES:
        if dash in line:
            name, detail = line.split(dash, 1)
            if name.strip() and detail.strip():
                return name.strip(), detail.strip()
    return line.strip(), ""


async def _name_params(ctx: Ctx) -> dict[str, str]:
    return {"name": split_detail(text(ctx, "name"))[0]}


async def _share(ctx: Ctx, touchpoint_id: str) -> None:
    """The person's department uses a colleague's touchpoint as its own: its KPIs are
    asked for that one."""
    dept = ctx.member.department_id if ctx.member else None
    tp = await ctx.uow.items.get(Touchpoint, touchpoint_id)
    if tp is None or not dept or dept == tp.department_id or dept in tp.shared_with:
        return
    tp.shared_with = [*tp.shared_with, dept]
    await ctx.uow.items.update(tp, actor=actor(ctx))


async def _commit(ctx: Ctx) -> dict[str, str]:
    name, detail = split_detail(text(ctx, "name"))
    if not name:
        return {}
    used = _used(ctx)
    if used is not None:  # a colleague's touchpoint: nothing new, this one is meant
        await _share(ctx, used)
        return {"used": used}
    channel = text(ctx, "channel") or Channel.WEBSITE.value
    online = ctx.draft.get("online")
    tp_id = await upsert(
        ctx,
        "touchpoint",
        Touchpoint,
        stage_id=ctx.item,
        name=name,
        channel=channel,
        online=channel_is_online(channel) if online is None else bool(online),
        controllable=ctx.draft.get("controllable") is not False,
        description=text(ctx, "description") or detail,
    )
    ctx.draft[ADDED] = {**dict(ctx.draft.get(ADDED) or {}), tp_id: name}
    return {"touchpoint": tp_id}


_next_section = section_flow("touchpoints")


async def _finish(ctx: Ctx) -> str | None:
    ctx.draft.pop(NAMES, None)
    ctx.draft.pop(ADDED, None)
    return await _next_section(ctx)


FLOW = Flow(
    name="touchpoints",
    loop=Loop(lambda ctx: stage_ids(ctx), stage_name, "progress.stage"),
    repeat=True,
    intro=_intro,
    steps=(
        Step(
            "touchpoints.name",
            Kind.TEXT,
            ask="busy.touchpoints.name.ask",
            limit=400,
            lines=True,
            exit_key="busy.nothing",
        ),
        Step(
            "touchpoints.same",
            Kind.CHOICE,
            options=_same_options,
            params=_same_params,
            when=lambda ctx: _twin(ctx) is not None,
        ),
        Step(
            "touchpoints.channel",
            Kind.CHOICE,
            ask="busy.touchpoints.channel.ask",
            options=_channels,
            allow_text=True,
            params=_name_params,
            when=_adding,
        ),
        Step("touchpoints.online", Kind.YESNO, optional=True, when=_custom_channel),
        Step("touchpoints.controllable", Kind.YESNO, optional=True, when=_custom_channel),
    ),
    commit=_commit,
    finish=_finish,
    leads_to=onward("touchpoints"),
    rest_key="busy.rest",
    per_item=2,
    announce=True,
)
