"""Turning one answer into a value for the current step (or a specific error), and
storing it in the draft. Commands (back, skip, ...) are handled by the engine."""

from __future__ import annotations

import re
from typing import Any

from flows.conversation import validation as v
from flows.conversation.outcome import Answer
from flows.conversation.runner import LISTED, QUEUE, end_iteration, goto_from, options
from flows.conversation.spec import Ctx, Kind, Option, Step
from flows.conversation.validation import Invalid
from flows.texts import t_plain

CUSTOM_LIMIT = 100  # a custom option (department, channel, unit) is a short name
LIST_LIMIT = 80  # items a "many" answer may collect (stages: up to 80)
_YES = {"y", "yes", "да", "д", "tak", "+"}
_NO = {"n", "no", "нет", "н", "nie", "-"}


def _match(ctx: Ctx, opts: list[Option], text: str) -> str | None:
    wanted = text.strip().casefold()
    for option in opts:
        label = option.label if option.label is not None else t_plain(ctx.lang, option.key)
        if wanted in (option.value.casefold(), label.strip().casefold()):
            return option.value
    return None


async def parse(ctx: Ctx, step: Step, answer: Answer, opts: list[Option] | None = None) -> Any:
    """The value of a text or button answer for ``step``; raises :class:`Invalid`.
    ``opts``: the step's options when the caller has them already (asked once). A
    ``lines`` step's typed answer is a list: one value per non-empty line."""
    if step.lines and answer.kind == "text":
        lines = _items(step, answer.value)
        if len(lines) > LIST_LIMIT:
            raise Invalid("engine.error.list_full", limit=LIST_LIMIT)
        values = [await parse(ctx, _single(step), Answer.text(line), opts) for line in lines]
        if not values:
            return await _parse(ctx, step, answer, opts)
        found = [x[1] if isinstance(x, tuple) else x for x in values]
        problem = step.check(found, ctx) if step.check is not None else None
        if problem is not None:
            raise Invalid(problem.key, **problem.params)
        return found
    value = await _parse(ctx, step, answer, opts)
    if step.check is not None:
        problem = step.check(value[1] if isinstance(value, tuple) else value, ctx)
        if problem is not None:
            raise Invalid(problem.key, **problem.params)
    return value


async def _parse(ctx: Ctx, step: Step, answer: Answer, opts: list[Option] | None) -> Any:
    raw = answer.value
    if step.kind is Kind.TEXT:
        if answer.kind != "text":
            raise Invalid("engine.error.use_text")
        return v.clean_text(raw, min(step.limit or ctx.text_limit, ctx.text_limit))
    if step.kind is Kind.NUMBER:
        return v.check_range(v.parse_number(raw), step.low, step.high)
    if step.kind is Kind.SCALE:
        return v.parse_int_in(raw, step.low, step.high)
    if step.kind is Kind.DATE:
        return v.parse_date(raw, ctx.now.date()).isoformat()
    if step.kind is Kind.TIME:
        return v.parse_time(raw).strftime("%H:%M")
    return await _closed(ctx, step, answer, opts)


async def _closed(ctx: Ctx, step: Step, answer: Answer, opts: list[Option] | None) -> Any:
    if opts is None:
        opts = await options(ctx, step)
    found = _match(ctx, opts, answer.value)
    if step.kind is Kind.YESNO and found is None and answer.kind == "text":
        word = answer.value.strip().casefold()
        found = "y" if word in _YES else ("n" if word in _NO else None)
    if found is not None:
        return found
    if step.allow_text and answer.kind == "text":
        return ("=", v.clean_text(answer.value, min(CUSTOM_LIMIT, ctx.text_limit)))
    raise Invalid("engine.error.choose")


def _items(step: Step, raw: str) -> list[str]:
    """The items of one message: its lines (or, where one line is all a terminal sends,
    its parts between semicolons); on a scale, its numbers ("1 1 2 -1 0")."""
    if step.kind is Kind.SCALE:
        return [x for x in re.split(r"[\s,;]+", raw) if x]
    return [line for line in split_lines(raw) if v.visible(line)]


def split_lines(raw: str) -> list[str]:
    return [part for line in raw.splitlines() for part in line.split(";")]


def _single(step: Step) -> Step:
    from dataclasses import replace

    return replace(step, lines=False)


def _custom(ctx: Ctx, step: Step, name: str) -> str:
    customs: list[str] = list(ctx.draft.get(step.field_name + "_custom") or [])
    if name not in customs:
        if len(customs) >= LIST_LIMIT:
            raise Invalid("engine.error.list_full", limit=LIST_LIMIT)
        customs.append(name)
    ctx.draft[step.field_name + "_custom"] = customs
    return f"+{customs.index(name)}"


async def store(ctx: Ctx, step: Step, value: Any) -> None:
    """Keep ``value`` and move on (a list step or multi-choice stays on its question)."""
    name = step.field_name
    if step.kind is Kind.MULTI:
        code = _custom(ctx, step, value[1]) if isinstance(value, tuple) else value
        chosen: list[str] = list(ctx.draft.get(name) or [])
        if code in chosen and not isinstance(value, tuple):
            chosen.remove(code)
        elif code not in chosen:
            chosen.append(code)
        ctx.draft[name] = chosen
        return
    if step.many:
        items: list[str] = list(ctx.draft.get(name) or [])
        if len(items) >= LIST_LIMIT:
            raise Invalid("engine.error.list_full", limit=LIST_LIMIT)
        twin = v.same_name(value, items)
        if twin is not None:
            raise Invalid("engine.error.list_twice", item=twin, items="; ".join(items))
        items.append(value)
        ctx.draft[name] = items
        ctx.info("engine.list.so_far", items="; ".join(items), count=len(items))
        return
    if isinstance(value, tuple):
        value = value[1]
    if step.lines:
        items = value if isinstance(value, list) else [value]
        value = items[0]
        ctx.draft[QUEUE], ctx.draft[LISTED] = items[1:], True
    if step.kind is Kind.YESNO:
        value = value == "y"
    ctx.draft[name] = value
    await goto_from(ctx, _index(ctx, step) + 1)


def _index(ctx: Ctx, step: Step) -> int:
    return ctx.flows.flow_at(ctx.position.flow).index(step.id)


async def skip(ctx: Ctx, step: Step) -> None:
    if not step.optional and step.exit_key:
        await end_iteration(ctx, leave=True)
        return
    if not step.optional:
        raise Invalid("engine.error.no_skip")
    ctx.draft[step.field_name] = None
    await goto_from(ctx, _index(ctx, step) + 1)


async def leave(ctx: Ctx, step: Step) -> None:
    """The step's exit button ("Next stage", "Nothing to add"): the item ends here."""
    if step.exit_key:
        await end_iteration(ctx, leave=True)
        return
    await done(ctx, step)


async def done(ctx: Ctx, step: Step) -> None:
    """Finish a list or multi-choice; elsewhere "done" leaves the current item."""
    if step.kind is Kind.MULTI or step.many:
        if len(ctx.draft.get(step.field_name) or []) < int(step.low or 0):
            raise Invalid("engine.error.pick_one", count=int(step.low or 0))
        await goto_from(ctx, _index(ctx, step) + 1)
        return
    if step.exit_key:
        await end_iteration(ctx, leave=True)
        return
    await skip(ctx, step)
