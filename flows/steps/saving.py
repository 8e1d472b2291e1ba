"""Helpers the flows share: creating or updating the items an iteration produces (with
author, department and time), and naming stages, departments and members in prompts."""

from __future__ import annotations

from typing import Any, TypeVar

from flows.conversation.spec import Ctx
from flows.models import Department, Item, Member, Stage, Touchpoint
from flows.workshop.insights import department_label, stage_label

T = TypeVar("T", bound=Item)
BULLET = "• "


def actor(ctx: Ctx) -> str:
    return ctx.member.id if ctx.member is not None else ctx.person.id


def new_item(ctx: Ctx, cls: type[T], **fields: Any) -> T:
    assert ctx.workshop is not None
    base: dict[str, Any] = {
        "workshop_id": ctx.workshop.id,
        "author_id": ctx.member.id if ctx.member else None,
        "department_id": ctx.member.department_id if ctx.member else None,
        "created_at": ctx.now,
        "updated_at": ctx.now,
    }
    return cls(**(base | fields))


async def upsert(ctx: Ctx, key: str, cls: type[T], **fields: Any) -> str:
    """Add the item, or — when this iteration already saved it under ``key`` (the person
    went back and answered again) — update it. Returns the item id."""
    known = dict(ctx.draft.get("_ids") or {})
    if key in known:
        item = await ctx.uow.items.get(cls, str(known[key]))
        if item is not None and item.deleted_at is None:
            for name, value in fields.items():
                setattr(item, name, value)
            await ctx.uow.items.update(item, actor=actor(ctx))
            return item.id
    item = new_item(ctx, cls, **fields)
    await ctx.uow.items.add(item, actor=actor(ctx))
    return item.id


def text(ctx: Ctx, name: str) -> str:
    value = ctx.draft.get(name)
    return value if isinstance(value, str) else ""


async def stages(ctx: Ctx) -> list[Stage]:
    assert ctx.workshop is not None
    found = await ctx.uow.items.list(ctx.workshop.id, Stage)
    return sorted(found, key=lambda s: s.order)


async def stage_ids(ctx: Ctx) -> list[str]:
    return [s.id for s in await stages(ctx)]


async def stage_name(ctx: Ctx, stage_id: str) -> str:
    stage = await ctx.uow.items.get(Stage, stage_id)
    return stage_label(stage, ctx.lang) if stage else ""


async def department_names(ctx: Ctx) -> dict[str, str]:
    assert ctx.workshop is not None
    found = await ctx.uow.items.list(ctx.workshop.id, Department)
    return {d.id: department_label(d, ctx.lang) for d in found}


async def members(ctx: Ctx) -> list[Member]:
    assert ctx.workshop is not None
    return await ctx.uow.items.list(ctx.workshop.id, Member)


async def touchpoint_label(ctx: Ctx, touchpoint_id: str) -> str:
    tp = await ctx.uow.items.get(Touchpoint, touchpoint_id)
    if tp is None:
        return ""
    return f"{tp.name} ({await stage_name(ctx, tp.stage_id)})"


def bullets(lines: list[str]) -> str:
    return "\n".join(BULLET + line for line in lines)


def is_mine(ctx: Ctx, item: Item) -> bool:
    return ctx.member is not None and item.author_id == ctx.member.id
