"""KPIs section: per touchpoint of the person's department (or owned by the person),
KPIs suggested for its channel or typed: name → unit and direction (only for a typed
name; a suggestion knows them) → target and current value in one message ("5 / 3.2";
the current one is stored as a KpiReading). Typed KPIs, one per line, are asked in turn.
After each KPI: another one, or "Next touchpoint"."""

from __future__ import annotations

from collections.abc import Sequence

from flows.conversation import validation as v
from flows.conversation.spec import Ctx, Flow, Kind, Loop, Option, Step, Text
from flows.conversation.validation import Invalid
from flows.models import Channel, Direction, Kpi, KpiReading, Touchpoint
from flows.steps.saving import bullets, text, touchpoint_label, upsert
from flows.steps.sections import onward, section_flow
from flows.texts import t_plain
from flows.texts.numbers import CURRENCIES, symbol

# suggestion code -> (unit code, direction)
SUGGESTIONS: dict[str, tuple[str, Direction]] = {
    "conversion": ("percent", Direction.HIGHER),
    "bounce": ("percent", Direction.LOWER),
    "ctr": ("percent", Direction.HIGHER),
    "cost_per_lead": ("currency", Direction.LOWER),  # the language's own currency
    "leads": ("count", Direction.HIGHER),
    "open_rate": ("percent", Direction.HIGHER),
    "response_time": ("minutes", Direction.LOWER),
    "rating": ("score5", Direction.HIGHER),
    "nps": ("score", Direction.HIGHER),  # −100…100: a plain number
    "wait_time": ("minutes", Direction.LOWER),
    "first_call_resolution": ("percent", Direction.HIGHER),
    "visits": ("count", Direction.HIGHER),
    "delivery_on_time": ("percent", Direction.HIGHER),
    "reach": ("count", Direction.HIGHER),
}
BY_CHANNEL: dict[str, tuple[str, ...]] = {
    Channel.WEBSITE: ("conversion", "bounce"),
    Channel.LANDING: ("conversion", "bounce"),
    Channel.SEARCH_ADS: ("ctr", "cost_per_lead"),
    Channel.SOCIAL_ADS: ("ctr", "cost_per_lead"),
    Channel.BANNER_ADS: ("ctr", "reach"),
    Channel.TRANSACTIONAL_EMAIL: ("open_rate",),
    Channel.NEWSLETTER: ("open_rate", "ctr"),
    Channel.MESSENGER: ("response_time", "conversion"),
    Channel.MOBILE_APP: ("rating", "conversion"),
    Channel.REVIEWS: ("rating",),
    Channel.CALL_CENTER: ("wait_time", "first_call_resolution"),
    Channel.STORE: ("visits", "conversion", "nps"),
    Channel.DELIVERY: ("delivery_on_time", "nps"),
}
DEFAULT_SUGGESTIONS = ("nps", "leads")
UNITS = ("percent", "count", "minutes", "days", "score5", "score10")
# unit code -> what is stored (a score's maximum; a currency's ISO code is stored as it is)
STORED = {"percent": "%", "score5": "/5", "score10": "/10", "score": ""}
STORED_LABEL = ("percent", "count", "minutes", "days")  # stored in the person's words


async def _ids(ctx: Ctx) -> list[str]:
    assert ctx.workshop is not None and ctx.member is not None
    me, dept = ctx.member.id, ctx.member.department_id
    found = await ctx.uow.items.list(ctx.workshop.id, Touchpoint)
    return [
        t.id
        for t in found
        if t.owner_id == me or (dept and (t.department_id == dept or dept in t.shared_with))
    ]


async def _intro(ctx: Ctx) -> None:
    assert ctx.workshop is not None
    found = await ctx.uow.items.list_where(ctx.workshop.id, Kpi, "touchpoint_id", ctx.item)
    if found:
        lines = [f"{k.name} ({k.unit})" if k.unit else k.name for k in found]
        ctx.info(
            "kpis.colleagues",
            touchpoint=await touchpoint_label(ctx, ctx.item),
            items=bullets(lines),
        )


async def _names(ctx: Ctx) -> Sequence[Option]:
    tp = await ctx.uow.items.get(Touchpoint, ctx.item)
    codes = BY_CHANNEL.get(tp.channel if tp else "", DEFAULT_SUGGESTIONS)  # type: ignore[call-overload]
    return [Option(code, f"kpis.suggest.{code}") for code in codes]


def _currencies(lang: str) -> tuple[str, ...]:
    return CURRENCIES.get(lang, CURRENCIES["en"])


async def _units(ctx: Ctx) -> Sequence[Option]:
    units = [
        Option(code, f"kpis.unit.{code}" if code in STORED_LABEL else f"map.unit.option.{code}")
        for code in UNITS
    ]
    units[2:2] = [
        Option(code, "map.unit.option.currency", {"symbol": symbol(code, ctx.lang), "code": code})
        for code in _currencies(ctx.lang)
    ]
    return units


async def _directions(ctx: Ctx) -> Sequence[Option]:
    return [Option(d.value, f"kpis.direction.{d.value}") for d in Direction]


def _typed(ctx: Ctx) -> bool:
    return str(ctx.draft.get("name") or "") not in SUGGESTIONS


def _unit(ctx: Ctx, code: str) -> str:
    """What a KPI stores for a unit code (one of :data:`UNITS`, a currency, or typed text,
    kept as typed: renderers read units in any language back, flows.texts.numbers)."""
    if code == "currency":
        return _currencies(ctx.lang)[0]
    if code in STORED:
        return STORED[code]
    return t_plain(ctx.lang, f"kpis.unit.{code}") if code in STORED_LABEL else code


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


async def _same_kpi(ctx: Ctx, touchpoint_id: str, name: str) -> Kpi | None:
    """A KPI of this touchpoint by that name that this iteration did not make itself."""
    assert ctx.workshop is not None
    made_here = dict(ctx.draft.get("_ids") or {}).get("kpi")
    for kpi in await ctx.uow.items.list_where(ctx.workshop.id, Kpi, "touchpoint_id", touchpoint_id):
        if kpi.id != made_here and _same_name(kpi.name, name):
            return kpi
    return None


def pair(raw: object) -> tuple[float | None, float | None]:
    """ "5 / 3.2" → (5, 3.2); "/ 3.2" → (None, 3.2); "5" → (5, None) ("1 200" is one
    number). Raises Invalid for what is not a number."""
    if not isinstance(raw, str) or not raw.strip():
        return None, None
    parts = raw.split("/")
    if len(parts) > 2:
        raise Invalid("busy.kpis.values.too_many")
    found = [v.parse_number(p) if p.strip() not in ("", "-", "—") else None for p in parts]
    return (found + [None])[0], (found + [None, None])[1]


def _values_check(value: object, ctx: Ctx) -> Text | None:
    try:
        pair(value)
    except Invalid as bad:
        return bad.text
    return None


async def _kpi_params(ctx: Ctx) -> dict[str, str]:
    name = text(ctx, "name")
    label = t_plain(ctx.lang, f"kpis.suggest.{name}") if name in SUGGESTIONS else name
    return {"name": label}


async def _commit(ctx: Ctx) -> dict[str, str]:
    name = text(ctx, "name")
    tp = await ctx.uow.items.get(Touchpoint, ctx.item)
    if not name or tp is None:
        return {}
    if name in SUGGESTIONS:
        unit, direction = SUGGESTIONS[name]
        name = t_plain(ctx.lang, f"kpis.suggest.{name}")
    else:
        unit = text(ctx, "unit")
        direction = Direction(str(ctx.draft.get("direction") or Direction.HIGHER.value))
    target, current = pair(ctx.draft.get("values"))
    unit = _unit(ctx, unit)
    existing = await _same_kpi(ctx, tp.id, name)
    if existing is not None:  # chosen again: its new value is a reading, not a second KPI
        ctx.draft["_ids"] = {**dict(ctx.draft.get("_ids") or {}), "kpi": existing.id}
        if not isinstance(target, int | float):
            target = existing.target
        name, unit = existing.name, unit or existing.unit  # what was skipped stays
        if not ctx.draft.get("direction") and _typed(ctx):
            direction = existing.direction
        ctx.info("kpis.existing", kpi=existing.name)
    kpi_id = await upsert(
        ctx,
        "kpi",
        Kpi,
        touchpoint_id=tp.id,
        stage_id=tp.stage_id,
        name=name,
        unit=unit,
        direction=direction,
        target=float(target) if isinstance(target, int | float) else None,
    )
    saved = {"kpi": kpi_id}
    if isinstance(current, int | float):
        saved["reading"] = await upsert(
            ctx,
            "reading",
            KpiReading,
            kpi_id=kpi_id,
            value=float(current),
            at=ctx.now,
            source="workshop",
        )
    return saved


FLOW = Flow(
    name="kpis",
    loop=Loop(_ids, touchpoint_label, "progress.touchpoint"),
    repeat=True,
    intro=_intro,
    steps=(
        Step(
            "kpis.name",
            Kind.CHOICE,
            ask="busy.kpis.name.ask",
            options=_names,
            allow_text=True,
            lines=True,
            exit_key="busy.nothing",
        ),
        Step("kpis.unit", Kind.CHOICE, options=_units, allow_text=True, optional=True, when=_typed),
        Step("kpis.direction", Kind.CHOICE, options=_directions, optional=True, when=_typed),
        Step(
            "kpis.values",
            Kind.TEXT,
            ask="busy.kpis.values.ask",
            optional=True,
            check=_values_check,
            params=_kpi_params,
        ),
    ),
    commit=_commit,
    finish=section_flow("kpis"),
    leads_to=onward("kpis"),
    rest_key="busy.rest",
    announce=True,
)
