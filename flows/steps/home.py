"""Home: where a person rests between flows. A menu of what they can do next — go
through one of their department's sections again, see the map; facilitators also get
the status and the invite codes."""

from __future__ import annotations

from collections.abc import Sequence

from flows.conversation.outcome import Request
from flows.conversation.spec import Ctx, Flow, Kind, Option, Step
from flows.models import Invite, Review, ReviewStatus, Role
from flows.steps.saving import bullets, department_names
from flows.steps.sections import HOME as NAME
from flows.steps.sections import assigned, onward
from flows.texts import t_plain


def _is_facilitator(ctx: Ctx) -> bool:
    return ctx.member is not None and ctx.member.role is Role.FACILITATOR


async def _menu(ctx: Ctx) -> Sequence[Option]:
    found = [Option(name, f"{name}.title") for name in await assigned(ctx)]
    found.append(Option("map", "home.menu.map"))
    if _is_facilitator(ctx):
        found += [Option("status", "home.menu.status"), Option("invites", "home.menu.invites")]
    return found


async def _params(ctx: Ctx) -> dict[str, str]:
    return {"title": ctx.workshop.title if ctx.workshop else "", "waiting": await _waiting(ctx)}


async def _waiting(ctx: Ctx) -> str:
    """ "3 reviews are waiting: /review_me" when some of the member's reviews are."""
    if ctx.workshop is None or ctx.member is None:
        return ""
    sent = [
        r
        for r in await ctx.uow.items.list(ctx.workshop.id, Review)
        if r.owner_id == ctx.member.id and r.status == ReviewStatus.SENT
    ]
    return t_plain(ctx.lang, "home.reviews_waiting", count=len(sent)) if sent else ""


async def _act(ctx: Ctx) -> dict[str, str]:
    choice = str(ctx.draft.get("menu") or "")
    if choice == "map" and ctx.workshop is not None:
        ctx.requests.append(Request(kind="send_map", workshop_id=ctx.workshop.id))
        ctx.info("home.map.sent")
    elif choice == "status" and _is_facilitator(ctx):
        from flows.workshop.facilitator import status_text

        ctx.infos.extend(await status_text(ctx.uow, ctx.workshop, ctx.lang))  # type: ignore[arg-type]
    elif choice == "invites" and _is_facilitator(ctx):
        await _invites(ctx)
    elif choice:
        ctx.draft["_next"] = choice
        ctx.draft["_redo"] = 1
    return {}


async def _invites(ctx: Ctx) -> None:
    assert ctx.workshop is not None
    names = await department_names(ctx)
    live = [i for i in await ctx.uow.items.list(ctx.workshop.id, Invite) if i.revoked_at is None]
    lines = [f"{names.get(i.department_id or '', '')}: {ctx.invite_link(i.code)}" for i in live]
    ctx.info("home.invites", invites=bullets(lines))


async def _next(ctx: Ctx) -> str | None:
    """The flow a menu choice asked for; None stays home."""
    chosen = ctx.draft.pop("_next", None)
    return str(chosen) if chosen else None


HOME = Flow(
    name=NAME,
    steps=(Step("home.menu", Kind.CHOICE, options=_menu, params=_params),),
    commit=_act,
    finish=_next,
    leads_to=onward(None),  # the section chosen, or the menu again
    show_progress=False,
)
