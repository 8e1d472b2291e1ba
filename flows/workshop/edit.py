"""``/edit``: a person's own items of the current workshop, to change their text or delete
them — a short flow on the engine, taken from wherever the person is and putting them
back there afterwards (a detour, like ``/kpi``: ``flows.review.detour``).

The list shows a page of the items the person authored (touchpoints, stage notes, KPIs,
pain points, ideas) with a button each, and "More ›" / "‹ Previous" between pages. An
item pressed can get a new text or be deleted (after a confirmation); then the list comes
again; "Close" (or ``/cancel``) goes back. Anonymous pain points are never listed: nothing
links them to their author, and nothing here adds a link. Changes go through the items
repository with the person's member id as the actor, so the audit says who did what."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flows.conversation import runner
from flows.conversation.spec import Ctx, Flow, Kind, OnCancel, Option, Step
from flows.models import Idea, Item, Kpi, KpiReading, PainPoint, StageNote, Touchpoint
from flows.review import detour
from flows.steps.sections import onward
from flows.texts import t_plain

NAME = "edit"
PAGE = 6  # items (and their buttons) on one page of the list
LABEL = 28  # characters of an item's text on its button
SHOWN = 80  # characters of an item's text in the list
PREV, MORE = "<", ">"
EDIT, DELETE, KEEP = "edit", "del", "keep"
YES, NO = "y", "n"
# what can be edited, and the field holding its text
TEXT_FIELD: dict[type[Item], str] = {
    Touchpoint: "name",
    StageNote: "text",
    Kpi: "name",
    PainPoint: "description",
    Idea: "description",
}


def _text(item: Item) -> str:
    return str(getattr(item, TEXT_FIELD[type(item)], ""))


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _kind(ctx: Ctx, item: Item) -> str:
    return t_plain(ctx.lang, f"edit.kind.{item.kind}")


async def own_items(ctx: Ctx) -> list[Item]:
    """The person's own live items of the current workshop, oldest first (never an
    anonymous one: those have no author)."""
    if ctx.workshop is None or ctx.member is None:
        return []
    me = ctx.member.id
    found = [
        item
        for item in await ctx.uow.items.all_of_workshop(ctx.workshop.id)
        if type(item) in TEXT_FIELD
        and item.author_id == me
        and not getattr(item, "anonymous", False)
    ]
    return sorted(found, key=lambda i: (i.created_at, i.id))


async def _mine(ctx: Ctx, item_id: str) -> Item | None:
    return next((i for i in await own_items(ctx) if i.id == item_id), None)


def _pages(count: int) -> int:
    return max(1, -(-count // PAGE))


async def _page(ctx: Ctx) -> tuple[list[Item], int, int]:
    """This page's items, its number (from 0) and the number of pages."""
    found = await own_items(ctx)
    pages = _pages(len(found))
    page = min(max(int(ctx.draft.get("_page") or 0), 0), pages - 1)
    return found[page * PAGE : (page + 1) * PAGE], page, pages


async def begin(ctx: Ctx) -> None:
    """Start, unless the person has nothing of their own here (then say so and stay where
    they are). ``/edit`` inside ``/edit`` starts the list anew."""
    if ctx.workshop is None or ctx.member is None:
        ctx.info("access.not_member")
        ctx.dirty = False
        return
    if not await own_items(ctx):
        ctx.info("edit.none", workshop=ctx.workshop.title)
        ctx.dirty = False
        return
    if ctx.position.flow == NAME:
        ctx.position.history = []
        ctx.position.draft = {"_return": ctx.draft.get("_return")}
        await runner.enter(ctx, NAME)
        return
    await detour.take(ctx, NAME)


async def _list_params(ctx: Ctx) -> dict[str, Any]:
    items, page, pages = await _page(ctx)
    first = page * PAGE + 1
    lines = [
        f"{n}. {_kind(ctx, item)}: {_short(_text(item), SHOWN)}"
        for n, item in enumerate(items, first)
    ]
    return {
        "workshop": ctx.workshop.title if ctx.workshop else "",
        "page": page + 1,
        "pages": pages,
        "items": "\n".join(lines),
    }


async def _pick_options(ctx: Ctx) -> Sequence[Option]:
    items, page, pages = await _page(ctx)
    first = page * PAGE + 1
    options = [
        Option(item.id, label=f"{n}. {_short(_text(item), LABEL)}")
        for n, item in enumerate(items, first)
    ]
    if page > 0:
        options.append(Option(PREV, "edit.pick.prev"))
    if page < pages - 1:
        options.append(Option(MORE, "edit.pick.more"))
    return options


def _picked(ctx: Ctx) -> bool:
    return str(ctx.draft.get("pick") or "") not in ("", PREV, MORE)


def _editing(ctx: Ctx) -> bool:
    return _picked(ctx) and ctx.draft.get("action") == EDIT


def _deleting(ctx: Ctx) -> bool:
    return _picked(ctx) and ctx.draft.get("action") == DELETE


async def _item_params(ctx: Ctx) -> dict[str, Any]:
    item = await _mine(ctx, str(ctx.draft.get("pick") or ""))
    if item is None:
        return {"kind": "", "text": "—"}
    return {"kind": _kind(ctx, item), "text": _text(item)}


async def _action_options(ctx: Ctx) -> Sequence[Option]:
    return [
        Option(EDIT, "edit.action.edit"),
        Option(DELETE, "edit.action.delete"),
        Option(KEEP, "edit.action.keep"),
    ]


async def _confirm_options(ctx: Ctx) -> Sequence[Option]:
    return [Option(YES, "edit.confirm.yes"), Option(NO, "edit.confirm.no")]


async def _commit(ctx: Ctx) -> dict[str, str]:
    """Turn a page, change a text or delete an item — the person's own only (checked
    again here), with the person as the actor."""
    pick = str(ctx.draft.get("pick") or "")
    if not pick or ctx.member is None:
        return {}  # "Close"
    ctx.draft["_again"] = 1
    if pick in (PREV, MORE):
        ctx.draft["_page"] = int(ctx.draft.get("_page") or 0) + (1 if pick == MORE else -1)
        return {}
    item = await _mine(ctx, pick)
    if item is None:
        ctx.info("edit.gone")
        return {}
    actor = ctx.member.id
    if _editing(ctx) and isinstance(ctx.draft.get("text"), str):
        setattr(item, TEXT_FIELD[type(item)], ctx.draft["text"])
        item.updated_at = ctx.now
        await ctx.uow.items.update(item, actor=actor)
        ctx.info("edit.saved", kind=_kind(ctx, item), text=_text(item))
    elif _deleting(ctx) and ctx.draft.get("confirm") == YES:
        held = await _holding(ctx, item)
        if held:  # colleagues' KPIs, pain points, ideas or readings hang on it
            ctx.info("edit.delete.held", kind=_kind(ctx, item), text=_text(item), count=held)
            return {}
        await ctx.uow.items.delete(item, actor=actor)
        ctx.info("edit.deleted", kind=_kind(ctx, item), text=_text(item))
    return {}


async def _holding(ctx: Ctx, item: Item) -> int:
    """How many items refer to ``item`` (a touchpoint's KPIs and pain points, a KPI's
    readings, a pain point's ideas): deleting it would leave them pointing at nothing."""
    wid = item.workshop_id
    if isinstance(item, Touchpoint):
        kpis = await ctx.uow.items.list(wid, Kpi)
        pains = await ctx.uow.items.list(wid, PainPoint)
        return sum(k.touchpoint_id == item.id for k in kpis) + sum(
            p.touchpoint_id == item.id for p in pains
        )
    if isinstance(item, Kpi):
        return sum(r.kpi_id == item.id for r in await ctx.uow.items.list(wid, KpiReading))
    if isinstance(item, PainPoint):
        return sum(i.pain_id == item.id for i in await ctx.uow.items.list(wid, Idea))
    return 0


async def _finish(ctx: Ctx) -> str | None:
    """After a change or a page turned: the list again; after "Close": back where the
    person was."""
    if ctx.draft.pop("_again", None) and await own_items(ctx):
        ctx.position.history = []
        return NAME
    return await detour.come_back(ctx)


FLOW = Flow(
    name=NAME,
    on_cancel=OnCancel.RETURN,
    steps=(
        Step(
            "edit.pick",
            Kind.CHOICE,
            options=_pick_options,
            params=_list_params,
            exit_key="edit.pick.close",
        ),
        Step(
            "edit.action",
            Kind.CHOICE,
            options=_action_options,
            params=_item_params,
            when=_picked,
        ),
        Step("edit.text", Kind.TEXT, params=_item_params, when=_editing),
        Step(
            "edit.confirm",
            Kind.CHOICE,
            options=_confirm_options,
            params=_item_params,
            when=_deleting,
        ),
    ),
    commit=_commit,
    finish=_finish,
    show_progress=False,
    # the list again, or back where the person was (home, a section, a join, a detour)
    leads_to=(*onward(None), *detour.RETURNS),
)
