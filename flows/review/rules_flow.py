"""``/rules``: a facilitator's rules of the living map as a short flow on the engine.

The first question lists the rules (what each does, whether it is on, how many times and
when it last fired) with a button per rule and "Add a rule". Adding asks what to watch
and how long to wait (the default first among the buttons, or a typed number); a rule
pressed can be switched off or on, or deleted. After each change the list comes again;
"Close" (or ``/cancel``) puts the facilitator back where they were — a detour, like
``/kpi`` (``flows.review.detour``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flows.conversation import runner
from flows.conversation.spec import Ctx, Flow, Kind, OnCancel, Option, Options, Step, Text
from flows.models import Role, Rule, RuleFiring, RuleTrigger, Workshop
from flows.ports import UnitOfWork
from flows.review import detour
from flows.review import rules as rl
from flows.steps.saving import new_item
from flows.steps.sections import onward
from flows.texts import t_plain

NAME = "rules"
ADD = "add"
SHOWN = 20  # rules a workshop may have: each listed, with its button
HIGH = {RuleTrigger.KPI_MISSES: 50, RuleTrigger.UNCONFIRMED: 12, RuleTrigger.PAIN_WITHOUT_IDEA: 365}
WAIT = {  # the step asking each trigger's wait, and the draft field it fills
    RuleTrigger.KPI_MISSES: "readings",
    RuleTrigger.UNCONFIRMED: "cadences",
    RuleTrigger.PAIN_WITHOUT_IDEA: "days",
}


# ------------------------------------------------------------------ what the list shows


@dataclass(frozen=True)
class RuleSummary:
    """A rule with how many times it fired and when it last did."""

    rule: Rule
    fired: int
    last: datetime | None


async def summaries(uow: UnitOfWork, workshop_id: str) -> list[RuleSummary]:
    """Each rule of the workshop with how many times it fired and when it last did."""
    firings: dict[str, list[RuleFiring]] = {}
    for f in await uow.items.list(workshop_id, RuleFiring):
        firings.setdefault(f.rule_id, []).append(f)
    return [
        RuleSummary(
            rule,
            len(firings.get(rule.id, [])),
            max((f.at for f in firings.get(rule.id, [])), default=None),
        )
        for rule in await uow.items.list(workshop_id, Rule)
    ]


def when(at: datetime, workshop: Workshop) -> str:
    """A moment as the workshop's people read it (its time zone)."""
    try:
        zone = ZoneInfo(workshop.timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return at.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def summary_line(lang: str, n: int, found: RuleSummary, workshop: Workshop) -> str:
    state = t_plain(lang, "rules.state.on" if found.rule.enabled else "rules.state.off")
    return t_plain(
        lang,
        "rules.line",
        n=n,
        rule=rl.describe(lang, found.rule),
        state=state,
        fired=fired_text(lang, found, workshop),
    )


def fired_text(lang: str, found: RuleSummary, workshop: Workshop) -> str:
    if found.last is None:
        return t_plain(lang, "rules.fired.never")
    return t_plain(lang, "rules.fired.count", count=found.fired, last=when(found.last, workshop))


class Manage:
    OFF, ON, DELETE, KEEP = "off", "on", "del", "keep"


def _facilitates(ctx: Ctx) -> bool:
    return ctx.member is not None and ctx.member.role == Role.FACILITATOR


async def begin(ctx: Ctx) -> None:
    """Start for a facilitator of the current workshop; anyone else is told why not and
    stays where they are. ``/rules`` inside ``/rules`` starts the list again."""
    if ctx.workshop is None or not _facilitates(ctx):
        ctx.info("access.not_facilitator")
        ctx.dirty = False
        return
    if ctx.position.flow == NAME:
        ctx.position.history = []
        ctx.position.draft = {"_return": ctx.draft.get("_return")}
        await runner.enter(ctx, NAME)
        return
    await detour.take(ctx, NAME)


async def _summaries(ctx: Ctx) -> list[RuleSummary]:
    if ctx.workshop is None:
        return []
    return (await summaries(ctx.uow, ctx.workshop.id))[:SHOWN]


async def _list_params(ctx: Ctx) -> dict[str, Any]:
    assert ctx.workshop is not None
    found = await _summaries(ctx)
    lines = [summary_line(ctx.lang, n, s, ctx.workshop) for n, s in enumerate(found, 1)]
    return {
        "workshop": ctx.workshop.title,
        "rules": "\n".join(lines) if lines else t_plain(ctx.lang, "rules.pick.none"),
    }


async def _pick_options(ctx: Ctx) -> Sequence[Option]:
    found = await _summaries(ctx)
    short = [
        t_plain(
            ctx.lang,
            f"rules.short.{s.rule.trigger.value}",
            n=s.rule.count,
            state="" if s.rule.enabled else "⏸ ",
        )
        for s in found
    ]
    rules = [
        Option(s.rule.id, label=f"{n}. {label}")
        for n, (s, label) in enumerate(zip(found, short, strict=True), 1)
    ]
    room = len(found) < SHOWN  # a full list takes no more rules (each must be listed)
    return [*rules, *([Option(ADD, "rules.pick.add")] if room else [])]


def _adding(ctx: Ctx) -> bool:
    return ctx.draft.get("pick") == ADD


def _managing(ctx: Ctx) -> bool:
    return bool(ctx.draft.get("pick")) and not _adding(ctx)


async def _trigger_options(ctx: Ctx) -> Sequence[Option]:
    return [Option(t.value, f"rules.trigger.{t.value}") for t in RuleTrigger]


def _waiting_for(trigger: RuleTrigger) -> tuple[Callable[[Ctx], bool], Options]:
    def when(ctx: Ctx) -> bool:
        return _adding(ctx) and ctx.draft.get("trigger") == trigger.value

    async def options(ctx: Ctx) -> Sequence[Option]:
        first, *others = rl.CHOICES[trigger]
        return [
            Option(str(first), "rules.wait.default", params={"n": first}),
            *(Option(str(n), label=str(n)) for n in others),
        ]

    return when, options


def _whole(value: Any, ctx: Ctx) -> Text | None:
    if isinstance(value, float) and not value.is_integer():
        return Text("rules.error.whole")
    return None


def _wait_step(trigger: RuleTrigger) -> Step:
    when, options = _waiting_for(trigger)
    return Step(
        f"rules.{WAIT[trigger]}",
        Kind.NUMBER,
        options=options,
        when=when,
        low=1,
        high=HIGH[trigger],
        check=_whole,
    )


async def _picked(ctx: Ctx) -> Rule | None:
    rule = await ctx.uow.items.get(Rule, str(ctx.draft.get("pick") or ""))
    if rule is None or ctx.workshop is None or rule.workshop_id != ctx.workshop.id:
        return None
    return None if rule.deleted_at is not None else rule


async def _manage_params(ctx: Ctx) -> dict[str, Any]:
    rule = await _picked(ctx)
    if rule is None or ctx.workshop is None:
        return {"rule": "—", "state": "", "fired": ""}
    found = next((s for s in await _summaries(ctx) if s.rule.id == rule.id), None)
    state = "rules.state.on" if rule.enabled else "rules.state.off"
    return {
        "rule": rl.describe(ctx.lang, rule),
        "state": t_plain(ctx.lang, state),
        "fired": fired_text(ctx.lang, found, ctx.workshop) if found else "",
    }


async def _manage_options(ctx: Ctx) -> Sequence[Option]:
    rule = await _picked(ctx)
    switch = Manage.OFF if rule is None or rule.enabled else Manage.ON
    return [
        Option(switch, f"rules.manage.{switch}"),
        Option(Manage.DELETE, "rules.manage.delete"),
        Option(Manage.KEEP, "rules.manage.keep"),
    ]


async def _commit(ctx: Ctx) -> dict[str, str]:
    """Add, switch or delete a rule (facilitators only: checked again here)."""
    pick = str(ctx.draft.get("pick") or "")
    if not pick or ctx.workshop is None or not _facilitates(ctx):
        return {}
    ctx.draft["_again"] = 1
    actor = ctx.member.id if ctx.member else None
    if pick == ADD and len(await _summaries(ctx)) >= SHOWN:
        ctx.info("rules.full", count=SHOWN)
        return {}
    if pick == ADD:
        trigger = RuleTrigger(str(ctx.draft.get("trigger")))
        count = int(float(str(ctx.draft.get(WAIT[trigger]) or rl.default_count(trigger))))
        rule = new_item(ctx, Rule, trigger=trigger, count=count)
        await ctx.uow.items.add(rule, actor=actor)
        ctx.info("rules.added", rule=rl.describe(ctx.lang, rule))
        return {"rule": rule.id}
    picked = await _picked(ctx)
    choice = str(ctx.draft.get("manage") or "")
    if picked is None:
        ctx.info("rules.gone")
        return {}
    rule = picked
    if choice == Manage.DELETE:
        await ctx.uow.items.delete(rule, actor=actor)
        ctx.info("rules.deleted", rule=rl.describe(ctx.lang, rule))
    elif choice in (Manage.OFF, Manage.ON) and rule.enabled != (choice == Manage.ON):
        rule.enabled = choice == Manage.ON
        await ctx.uow.items.update(rule, actor=actor)
        ctx.info(f"rules.switched_{choice}", rule=rl.describe(ctx.lang, rule))
    return {}


async def _finish(ctx: Ctx) -> str | None:
    """After a change: the list again; after "Close": back where the person was."""
    if ctx.draft.pop("_again", None):
        ctx.position.history = []
        return NAME
    return await detour.come_back(ctx)


FLOW = Flow(
    name=NAME,
    on_cancel=OnCancel.RETURN,
    steps=(
        Step(
            "rules.pick",
            Kind.CHOICE,
            options=_pick_options,
            params=_list_params,
            exit_key="rules.pick.close",
        ),
        Step("rules.trigger", Kind.CHOICE, options=_trigger_options, when=_adding),
        *(_wait_step(trigger) for trigger in RuleTrigger),
        Step(
            "rules.manage",
            Kind.CHOICE,
            options=_manage_options,
            params=_manage_params,
            when=_managing,
        ),
    ),
    commit=_commit,
    finish=_finish,
    show_progress=False,
    # the list again, or back where the person was (home, a section, a join, a detour)
    leads_to=(*onward(None), *detour.RETURNS),
)
