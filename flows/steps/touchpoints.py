"""Touchpoints section: per stage, the touchpoints the person knows in one message, one
per line ("Search ads — ads for family models": a description after a dash). Then per
touchpoint only its channel (the catalogue, or a typed custom one); a custom channel also
asks online/offline and whether the company controls it (catalogue channels know the
first, and are the company's). "Nothing to add" leaves the stage, "Nothing more in this
section" the section. Colleagues' touchpoints of the stage are shown first, so
departments build on each other."""

from __future__ import annotations

from collections.abc import Sequence

from flows.conversation.spec import Ctx, Flow, Kind, Loop, Option, Step
from flows.models import Channel, Touchpoint, channel_is_online
from flows.steps.saving import bullets, department_names, stage_ids, stage_name, text, upsert
from flows.steps.sections import onward, section_flow
from flows.texts import t_plain

CATALOGUE = {c.value for c in Channel}


def channel_label(lang: str, channel: str) -> str:
    return t_plain(lang, f"channel.{channel}") if channel in CATALOGUE else channel


async def _intro(ctx: Ctx) -> None:
    assert ctx.workshop is not None
    found = await ctx.uow.items.list_where(ctx.workshop.id, Touchpoint, "stage_id", ctx.item)
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
    return str(ctx.draft.get("channel") or "") not in CATALOGUE


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


async def _commit(ctx: Ctx) -> dict[str, str]:
    name, detail = split_detail(text(ctx, "name"))
    if not name:
        return {}
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
    return {"touchpoint": tp_id}


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
            "touchpoints.channel",
            Kind.CHOICE,
            ask="busy.touchpoints.channel.ask",
            options=_channels,
            allow_text=True,
            params=_name_params,
        ),
        Step("touchpoints.online", Kind.YESNO, optional=True, when=_custom_channel),
        Step("touchpoints.controllable", Kind.YESNO, optional=True, when=_custom_channel),
    ),
    commit=_commit,
    finish=section_flow("touchpoints"),
    leads_to=onward("touchpoints"),
    rest_key="busy.rest",
    per_item=2,
    announce=True,
)
