"""Moving a position through flows: entering a flow, starting a loop item, going to the
next step that applies, ending an iteration (commit), finishing a flow, and building the
prompt of the current step. The engine calls these inside one unit of work."""

from __future__ import annotations

from typing import Any

from flows.conversation.outcome import Button, Line, Reply
from flows.conversation.spec import (
    BACK,
    DONE,
    NEXT,
    REST,
    RESUME,
    SKIP,
    Ctx,
    Flow,
    Kind,
    Option,
    Step,
)
from flows.texts import normalize_language, t_plain

HISTORY_LIMIT = 30
COUNT = "_q"  # draft key: the questions asked so far in this flow (or shared chain)
QUEUE, LISTED = "_queue", "_listed"  # draft keys: the items of one message still to ask
SECONDS_PER_QUESTION = 20


async def load(ctx: Ctx, default_lang: str) -> None:
    """Fill in the workshop, the member and the language for the context's position."""
    wid = ctx.position.workshop_id
    ctx.workshop = await ctx.uow.workshops.get(wid) if wid else None
    ctx.member = await ctx.uow.items.member_of(wid, ctx.person.id) if wid else None
    lang = ctx.person.language or (ctx.workshop.language if ctx.workshop else None)
    ctx.lang = normalize_language(lang, default_lang)


def flow_of(ctx: Ctx) -> Flow:
    return ctx.flows.flow_at(ctx.position.flow)


def step_of(ctx: Ctx) -> Step:
    flow = flow_of(ctx)
    return flow.step(ctx.position.step) or flow.steps[0]


def _ids(ctx: Ctx) -> list[str]:
    raw = str(ctx.position.cursor.get("ids") or "")
    return raw.split(",") if raw else []


def _clear_iteration(ctx: Ctx, flow: Flow) -> None:
    for name in flow.fields:
        ctx.draft.pop(name, None)
        ctx.draft.pop(name + "_custom", None)
    ctx.draft.pop("_ids", None)
    ctx.position.cursor["it"] = int(ctx.position.cursor.get("it") or 0) + 1


async def enter(ctx: Ctx, name: str) -> None:
    """Start flow ``name`` (its loop items are listed now); an empty loop finishes it."""
    flow = ctx.flows[name]
    pos = ctx.position
    pos.flow, pos.step = name, flow.steps[0].id
    pos.cursor = {"it": int(pos.cursor.get("it") or 0)}
    if not flow.shared_count:
        pos.draft[COUNT] = 0
    if flow.loop is not None:
        ids = await flow.loop.items(ctx)
        if not ids:
            await finish(ctx, flow)
            return
        pos.cursor["ids"] = ",".join(ids)
    if flow.announce:
        await _announce(ctx, flow)
    await start_item(ctx, 0)


async def questions(ctx: Ctx, flow: Flow) -> int:
    """How many questions ``flow`` asks this person, as far as can be known now."""
    if flow.questions is not None:
        return await flow.questions(ctx)
    if flow.loop is None:
        return sum(1 for s in flow.steps if s.when is None or s.when(ctx))
    per = flow.per_item or sum(1 for s in flow.steps if s.when is None)
    return per * max(len(_ids(ctx)), 1)


def minutes(count: int) -> int:
    return max(1, -(-count * SECONDS_PER_QUESTION // 60))


async def _announce(ctx: Ctx, flow: Flow) -> None:
    count = await questions(ctx, flow)
    section = t_plain(ctx.lang, flow.title_key)
    ctx.info("progress.section", section=section, count=count, minutes=minutes(count))


async def start_item(ctx: Ctx, index: int) -> None:
    flow = flow_of(ctx)
    if index >= max(len(_ids(ctx)), 1) or (flow.loop is None and index > 0):
        await finish(ctx, flow)
        return
    ctx.position.cursor["i"] = index
    _clear_iteration(ctx, flow)
    ctx.draft.pop(QUEUE, None)
    ctx.draft.pop(LISTED, None)
    if flow.intro is not None:
        await flow.intro(ctx)
    await goto_from(ctx, 0)


async def goto_from(ctx: Ctx, index: int) -> None:
    """Land on the first step from ``index`` on that applies; none left ends the iteration."""
    flow = flow_of(ctx)
    for step in flow.steps[index:]:
        if step.when is None or step.when(ctx):
            ctx.position.step = step.id
            ctx.draft[COUNT] = int(ctx.draft.get(COUNT) or 0) + 1
            if step.kind is Kind.MULTI and step.field_name not in ctx.draft:
                ctx.draft[step.field_name] = list(step.default(ctx)) if step.default else []
            return
    await end_iteration(ctx)


async def end_iteration(ctx: Ctx, *, leave: bool = False) -> None:
    """Commit the answers; a repeat flow asks for another item unless ``leave``."""
    flow = flow_of(ctx)
    saved: dict[str, str] = {}
    if flow.commit is not None:
        saved = await flow.commit(ctx) or {}
    if ctx.sealed:
        _forget_iteration(ctx, flow)
    elif saved:
        _remember_ids(ctx, flow, saved)
    if not flow.repeat and ctx.draft.get(QUEUE) and not leave:
        await _answer_ahead(ctx, flow)
        return
    if flow.repeat and saved and not leave:
        _clear_iteration(ctx, flow)
        ctx.info(f"{flow.name}.saved")
        if await _next_listed(ctx, flow):
            return
        await goto_from(ctx, 0)
        return
    await start_item(ctx, int(ctx.position.cursor.get("i") or 0) + 1)


async def _answer_ahead(ctx: Ctx, flow: Flow) -> None:
    """A loop over items (not a repeat flow) got several answers in one message ("1 1 2"
    for five stages): the next item takes the next one, as if answered there."""
    queue = list(ctx.draft.get(QUEUE) or [])
    index = int(ctx.position.cursor.get("i") or 0) + 1
    await start_item(ctx, index)  # forgets the queue
    if ctx.position.flow != flow.name or int(ctx.position.cursor.get("i") or 0) != index:
        return
    first = flow.steps[0]
    ctx.draft[first.field_name] = queue.pop(0)
    ctx.draft[QUEUE], ctx.draft[LISTED] = queue, True
    await goto_from(ctx, 1)


async def _next_listed(ctx: Ctx, flow: Flow) -> bool:
    """After one item of a list given in one message: ask about the next one (its line
    becomes the first step's answer), or — the list done — go to the loop's next item."""
    if not ctx.draft.get(LISTED):
        return False
    queue = list(ctx.draft.get(QUEUE) or [])
    if not queue:
        await start_item(ctx, int(ctx.position.cursor.get("i") or 0) + 1)
        return True
    first = flow.steps[0]
    ctx.draft[first.field_name] = queue.pop(0)
    ctx.draft[QUEUE] = queue
    await goto_from(ctx, 1)
    return True


def _forget_iteration(ctx: Ctx, flow: Flow) -> None:
    """Nothing of a sealed iteration stays in the position (see ``Ctx.seal``); when its
    answer came in a list, the list's earlier answers go too (they held its line)."""
    ctx.sealed = False
    pos, it = ctx.position, ctx.position.cursor.get("it")
    item = pos.cursor.get("i") if ctx.draft.get(LISTED) else None
    pos.history = [
        entry
        for entry in pos.history
        if not _of_iteration(entry, flow.name, it) and not _of_item(entry, flow.name, item)
    ]
    for name in flow.fields:
        ctx.draft.pop(name, None)
        ctx.draft.pop(name + "_custom", None)
    ctx.draft.pop("_ids", None)
    ctx.draft.pop("_said", None)


def _of_iteration(entry: dict[str, object], flow_name: str, it: object) -> bool:
    cursor = entry.get("cursor")
    return entry.get("flow") == flow_name and isinstance(cursor, dict) and cursor.get("it") == it


def _of_item(entry: dict[str, object], flow_name: str, item: object) -> bool:
    cursor = entry.get("cursor")
    return (
        item is not None
        and entry.get("flow") == flow_name
        and isinstance(cursor, dict)
        and cursor.get("i") == item
    )


def _remember_ids(ctx: Ctx, flow: Flow, saved: dict[str, str]) -> None:
    """So that going back and answering again updates these items instead of adding."""
    ids = {**dict(ctx.draft.get("_ids") or {}), **saved}
    ctx.draft["_ids"] = ids
    it = ctx.position.cursor.get("it")
    for entry in ctx.position.history:
        cursor = entry.get("cursor") or {}
        if entry.get("flow") == flow.name and cursor.get("it") == it:  # type: ignore[union-attr,attr-defined]
            entry["draft"]["_ids"] = ids  # type: ignore[index]


async def finish(ctx: Ctx, flow: Flow) -> None:
    """Go to the flow the finish hook names (home if none). A hook that moved the position
    itself — back to where the person was, or out of the workshop — is left as it is."""
    nxt = await flow.finish(ctx) if flow.finish is not None else None
    if ctx.switch_to is not None:
        ctx.position.history.clear()
    if ctx.position.flow != flow.name:
        return
    if not flow.carry_answers:  # done with them: the position stays small
        for name in flow.fields:
            ctx.draft.pop(name, None)
            ctx.draft.pop(name + "_custom", None)
    await enter(ctx, nxt or ctx.flows.home)


# --------------------------------------------------------------------------- history


# A draft key starting with this caches what the current item shows (e.g. a stage's
# touchpoint names, thousands of characters): back steps do not copy it (see restore)
CACHED = "__"


def _copy(value: Any) -> Any:
    """A copy of a draft value (JSON: dicts, lists, scalars) — deepcopy without its memo."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def snapshot(ctx: Ctx) -> None:
    pos = ctx.position
    entry = {"flow": pos.flow, "step": pos.step, "cursor": dict(pos.cursor)}
    draft = {k: _copy(v) for k, v in pos.draft.items() if not k.startswith(CACHED)}
    pos.history.append({**entry, "draft": draft})
    del pos.history[:-HISTORY_LIMIT]


def restore(ctx: Ctx) -> bool:
    """Back one step. The iteration's caches (draft keys starting with :data:`CACHED`) are
    not in back steps: they stay while the step goes back within the same item, and are
    dropped when it goes back to another one."""
    pos = ctx.position
    if not pos.history:
        return False
    entry = pos.history.pop()
    cursor = dict(entry["cursor"])  # type: ignore[call-overload]
    same = entry["flow"] == pos.flow and all(
        cursor.get(k) == pos.cursor.get(k) for k in ("ids", "i", "it")
    )
    kept = {k: v for k, v in pos.draft.items() if k.startswith(CACHED)} if same else {}
    pos.flow, pos.step = str(entry["flow"]), str(entry["step"])
    pos.cursor = cursor
    pos.draft = {**dict(entry["draft"]), **kept}  # type: ignore[call-overload]
    return True


# --------------------------------------------------------------------------- prompts


async def options(ctx: Ctx, step: Step) -> list[Option]:
    found = list(await step.options(ctx)) if step.options is not None else []
    if step.kind is Kind.YESNO and not found:
        found = [Option("y", "engine.yes"), Option("n", "engine.no")]
    if step.kind is Kind.SCALE and not found:
        low, high = int(step.low or 0), int(step.high or 0)
        found = [
            Option(str(v), label=f"{v:+d}" if low < 0 else str(v)) for v in range(low, high + 1)
        ]
    customs = ctx.draft.get(step.field_name + "_custom") or []
    found += [Option(f"+{i}", label=str(name)) for i, name in enumerate(customs)]
    return found


def _nav(ctx: Ctx, step: Step) -> list[Button]:
    row = []
    if ctx.position.history:
        row.append(Button(value=BACK, label_key="engine.back"))
    if step.optional:
        row.append(Button(value=SKIP, label_key="engine.skip"))
    if step.exit_key:
        row.append(Button(value=NEXT, label_key=step.exit_key))
        flow = flow_of(ctx)
        more = int(ctx.position.cursor.get("i") or 0) + 1 < len(_ids(ctx))
        if flow.rest_key and more:
            row.append(Button(value=REST, label_key=flow.rest_key))
    if step.kind is Kind.MULTI or step.many:
        row.append(Button(value=DONE, label_key="engine.done"))
    return row


def _button(option: Option, selected: bool) -> Button:
    return Button(
        value=option.value,
        label_key=option.key,
        label_params=dict(option.params),
        label=option.label,
        selected=selected,
    )


async def buttons(ctx: Ctx, step: Step) -> list[list[Button]]:
    chosen = ctx.draft.get(step.field_name) if step.kind is Kind.MULTI else None
    opts = [
        _button(o, isinstance(chosen, list) and o.value in chosen) for o in await options(ctx, step)
    ]
    width = 5 if step.kind is Kind.SCALE else (1 if step.kind is Kind.MEMBER else 2)
    rows = [opts[i : i + width] for i in range(0, len(opts), width)]
    nav = _nav(ctx, step)
    return rows + ([nav] if nav else [])


async def progress(ctx: Ctx, flow: Flow, step: Step) -> Line | None:
    """ "Touchpoints · stage 2 of 5 · question 4 of 10" (a loop), "New workshop ·
    question 3 of 12" (steps): n counts the questions asked, N is what the flow expects
    (never less than n)."""
    if flow.loop is None and not flow.show_progress:
        return None
    section = t_plain(ctx.lang, flow.title_key)
    n = max(int(ctx.draft.get(COUNT) or 0), 1)
    params = {"section": section, "n": n, "total": max(await questions(ctx, flow), n)}
    if flow.loop is not None:
        params |= {"i": int(ctx.position.cursor.get("i") or 0) + 1, "items": len(_ids(ctx))}
        return Line(key=f"{flow.loop.progress}.q", params=params)
    return Line(key="progress.question", params=params)


async def prompt(ctx: Ctx) -> Reply:
    flow, step = flow_of(ctx), step_of(ctx)
    if ctx.position.cursor.get("paused"):
        resume = Button(value=RESUME, label_key="engine.resume")
        return Reply(key="engine.paused", kind="prompt", buttons=[[resume]], step=step.id)
    params: dict[str, Any] = {}
    if flow.loop is not None and ctx.item:
        params["item"] = await flow.loop.label(ctx, ctx.item)
    if step.params is not None:
        params.update(await step.params(ctx) or {})
    return Reply(
        key=step.ask_key,
        params=params,
        kind="prompt",
        buttons=await buttons(ctx, step),
        progress=await progress(ctx, flow, step),
        step=step.id,
    )
