"""Owners section: for each touchpoint without an owner (listed when the section
starts), pick a member, "me", or invite a person by name (a member without a Telegram
account yet, in the touchpoint's department). Skip leaves it without an owner."""

from __future__ import annotations

from collections.abc import Sequence

from flows.conversation.spec import Ctx, Flow, Kind, Loop, Option, Step
from flows.models import Member, Touchpoint
from flows.steps.saving import actor, department_names, members, new_item, text, touchpoint_label
from flows.steps.sections import onward, section_flow

MEMBER_BUTTONS = 20


async def _ids(ctx: Ctx) -> list[str]:
    assert ctx.workshop is not None
    found = await ctx.uow.items.list(ctx.workshop.id, Touchpoint)
    return [t.id for t in found if not t.owner_id]


async def member_options(ctx: Ctx) -> list[Option]:
    """ "me", then the other members by name (literal labels), for any member pick."""
    names = await department_names(ctx)
    found = [Option("me", "owners.me")]
    for m in await members(ctx):
        if ctx.member is not None and m.id == ctx.member.id or not m.name:
            continue
        dept = names.get(m.department_id or "", "")
        found.append(Option(m.id, label=f"{m.name} ({dept})" if dept else m.name))
    return found[:MEMBER_BUTTONS]


ME_ALL = "me_all"


def _left(ctx: Ctx) -> list[str]:
    """This touchpoint and the ones after it in the loop."""
    ids = str(ctx.position.cursor.get("ids") or "").split(",")
    return ids[int(ctx.position.cursor.get("i") or 0) :]


async def _options(ctx: Ctx) -> Sequence[Option]:
    found = [*await member_options(ctx), Option("invite", "owners.invite")]
    left = len(_left(ctx))
    if left > 1:  # one tap: the person owns all that are left
        found.insert(1, Option(ME_ALL, "busy.owners.me_all", {"count": left}))
    return found


async def _own_all(ctx: Ctx) -> dict[str, str]:
    """ "Me — for all left": every touchpoint left gets the person; the section ends."""
    for tp_id in _left(ctx):
        tp = await ctx.uow.items.get(Touchpoint, tp_id)
        if tp is not None and ctx.member is not None:
            tp.owner_id = ctx.member.id
            await ctx.uow.items.update(tp, actor=actor(ctx))
    ids = str(ctx.position.cursor.get("ids") or "").split(",")
    ctx.position.cursor["i"] = len(ids) - 1  # the loop's next item is past its end
    return {}


async def resolve(ctx: Ctx, choice: object) -> str | None:
    if choice == "me":
        return ctx.member.id if ctx.member else None
    if isinstance(choice, str) and choice and await ctx.uow.items.get(Member, choice):
        return choice
    return None


async def _commit(ctx: Ctx) -> dict[str, str]:
    tp = await ctx.uow.items.get(Touchpoint, ctx.item)
    choice = ctx.draft.get("owner")
    if tp is None or not choice:
        return {}
    if choice == ME_ALL:
        return await _own_all(ctx)
    if choice == "invite":
        invited = new_item(
            ctx, Member, name=text(ctx, "invite_name"), department_id=tp.department_id
        )
        known = dict(ctx.draft.get("_ids") or {})
        if "invited" in known:
            invited.id = str(known["invited"])
            await ctx.uow.items.update(invited, actor=actor(ctx))
        else:
            await ctx.uow.items.add(invited, actor=actor(ctx))
        owner: str | None = invited.id
    else:
        owner = await resolve(ctx, choice)
    tp.owner_id = owner
    await ctx.uow.items.update(tp, actor=actor(ctx))
    return {"invited": owner} if choice == "invite" and owner else {}


FLOW = Flow(
    name="owners",
    loop=Loop(_ids, touchpoint_label, "progress.touchpoint"),
    steps=(
        Step("owners.owner", Kind.MEMBER, options=_options, optional=True),
        Step(
            "owners.invite_name",
            Kind.TEXT,
            limit=100,
            when=lambda ctx: ctx.draft.get("owner") == "invite",
        ),
    ),
    commit=_commit,
    finish=section_flow("owners"),
    leads_to=onward("owners"),
    announce=True,
)
