"""Workshop logic over a whole :class:`JourneyMap`: emotion aggregation, KPI status,
staleness, disagreements between departments, and gaps. Plain functions, no I/O.

The renderer, the status screen and the review digest all read the map through these, so
they agree on what is "stale", "red" or "a disagreement".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations
from typing import Literal

from flows.models import (
    Department,
    Direction,
    EmotionScore,
    JourneyMap,
    Kpi,
    KpiReading,
    PainStatus,
    Section,
    Stage,
    Touchpoint,
)
from flows.texts import t_plain

Rag = Literal["red", "amber", "green", "none"]
Trend = Literal["up", "down", "flat"]

AMBER_TOLERANCE = 0.10  # amber: missing the target by at most 10 % of it
EMOTION_GAP = 2.0  # department means this far apart are a disagreement


# ------------------------------------------------------------------------- names


def stage_label(stage: Stage, lang: str) -> str:
    """The stage's own name, or the translated template name (``stage.<key>``)."""
    if stage.name:
        return stage.name
    return t_plain(lang, "stage." + stage.key) if stage.key else ""


def department_label(department: Department | None, lang: str) -> str:
    if department is None:
        return ""
    if department.name:
        return department.name
    return t_plain(lang, "department." + department.key) if department.key else ""


# ---------------------------------------------------------------------- emotions


@dataclass(frozen=True)
class EmotionStat:
    mean: float
    min: int
    max: int
    count: int
    by_department: dict[str, float] = field(default_factory=dict)


def latest_scores(emotions: Iterable[EmotionScore]) -> list[EmotionScore]:
    """One score per person and stage (their latest); anonymous scores all count."""
    latest: dict[tuple[str, str], EmotionScore] = {}
    anonymous: list[EmotionScore] = []
    for e in emotions:
        if e.author_id is None:
            anonymous.append(e)
            continue
        key = (e.stage_id, e.author_id)
        if key not in latest or e.updated_at >= latest[key].updated_at:
            latest[key] = e
    return [*latest.values(), *anonymous]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def emotion_summary(journey: JourneyMap) -> dict[str, EmotionStat]:
    """Per stage id (only stages somebody scored): mean, spread, count, per-department mean."""
    by_stage: dict[str, list[EmotionScore]] = defaultdict(list)
    for e in latest_scores(journey.emotions):
        by_stage[e.stage_id].append(e)
    out: dict[str, EmotionStat] = {}
    for stage_id, scores in by_stage.items():
        per_dept: dict[str, list[float]] = defaultdict(list)
        for e in scores:
            if e.department_id:
                per_dept[e.department_id].append(e.score)
        values = [e.score for e in scores]
        out[stage_id] = EmotionStat(
            mean=_mean(values),
            min=min(values),
            max=max(values),
            count=len(values),
            by_department={d: _mean(v) for d, v in per_dept.items()},
        )
    return out


# --------------------------------------------------------------------------- KPIs


@dataclass(frozen=True)
class KpiStatus:
    latest: float | None
    target: float | None
    rag: Rag
    trend: Trend | None
    values: tuple[float, ...] = ()
    latest_at: datetime | None = None


def rag_for(value: float | None, target: float | None, direction: Direction) -> Rag:
    """Red/amber/green of a value against a target.

    * ``none`` — no value or no target;
    * ``green`` — the target is met (``value >= target`` when higher is better,
      ``value <= target`` when lower is better);
    * ``amber`` — missed by at most 10 % of the target's magnitude;
    * ``red`` — missed by more.
    """
    if value is None or target is None:
        return "none"
    miss = target - value if direction is Direction.HIGHER else value - target
    if miss <= 0:
        return "green"
    return "amber" if miss <= abs(target) * AMBER_TOLERANCE else "red"


def kpi_status(kpi: Kpi, readings: Iterable[KpiReading]) -> KpiStatus:
    """The KPI's latest reading against its target, and the trend of the last two readings.

    ``readings`` may hold other KPIs' readings; only this KPI's are used, in time order.
    """
    own = sorted((r for r in readings if r.kpi_id == kpi.id), key=lambda r: (r.at, r.created_at))
    values = tuple(r.value for r in own)
    latest = values[-1] if values else None
    trend: Trend | None = None
    if len(values) >= 2:
        a, b = values[-2], values[-1]
        trend = "up" if b > a else "down" if b < a else "flat"
    return KpiStatus(
        latest=latest,
        target=kpi.target,
        rag=rag_for(latest, kpi.target, kpi.direction),
        trend=trend,
        values=values,
        latest_at=own[-1].at if own else None,
    )


def trend_is_good(trend: Trend | None, direction: Direction) -> bool | None:
    if trend is None or trend == "flat":
        return None
    return (trend == "up") == (direction is Direction.HIGHER)


# ---------------------------------------------------------------------- staleness


@dataclass(frozen=True)
class Staleness:
    days: int
    stale: bool


def staleness(
    last_confirmed_at: datetime | None,
    cadence_days: int,
    now: datetime,
    *,
    created_at: datetime | None = None,
) -> Staleness:
    """Whole days since the last confirmation (or since creation, if never confirmed);
    stale when that is longer than the cadence."""
    since = last_confirmed_at or created_at
    if since is None:
        return Staleness(days=0, stale=False)
    days = max(0, (now - since).days)
    return Staleness(days=days, stale=days > cadence_days)


def touchpoint_cadence(journey: JourneyMap, touchpoint: Touchpoint | None) -> int:
    if touchpoint is not None and touchpoint.review_cadence_days:
        return touchpoint.review_cadence_days
    return journey.workshop.review_cadence_days


def touchpoint_staleness(
    journey: JourneyMap, touchpoint: Touchpoint, now: datetime | None = None
) -> Staleness:
    return staleness(
        touchpoint.last_confirmed_at,
        touchpoint_cadence(journey, touchpoint),
        now or journey.generated_at,
        created_at=touchpoint.created_at,
    )


def kpi_staleness(
    journey: JourneyMap,
    kpi: Kpi,
    now: datetime | None = None,
    *,
    touchpoints: Mapping[str, Touchpoint] | None = None,
    readings: Iterable[KpiReading] | None = None,
) -> Staleness:
    """A KPI is confirmed by its owner's confirmation or by a new reading, whichever is later.
    Its cadence is its touchpoint's (or the workshop's). A caller going through many KPIs
    may pass the touchpoints by id and this KPI's readings (the same answer, found faster)."""
    if touchpoints is not None:
        touchpoint = touchpoints.get(kpi.touchpoint_id or "")
    else:
        touchpoint = next((tp for tp in journey.touchpoints if tp.id == kpi.touchpoint_id), None)
    own = journey.readings if readings is None else readings
    moments = [r.at for r in own if r.kpi_id == kpi.id]
    if kpi.last_confirmed_at:
        moments.append(kpi.last_confirmed_at)
    return staleness(
        max(moments, default=None),
        touchpoint_cadence(journey, touchpoint),
        now or journey.generated_at,
        created_at=kpi.created_at,
    )


# ------------------------------------------------------------------ disagreements


@dataclass(frozen=True)
class Disagreement:
    """Where departments see a stage differently.

    ``emotion``: two departments' mean scores differ by ``EMOTION_GAP`` or more;
    ``departments`` is (the most positive, the most negative), ``detail`` their means
    ("+2.0/-1.0"). ``pain_only_one_department``: the stage's open pain points all come from
    one department although others contributed to the stage; ``departments`` is (the
    reporter, *the silent ones), ``detail`` the number of its pain points, ``item_ids`` them.
    """

    stage_id: str
    kind: Literal["emotion", "pain_only_one_department"]
    departments: tuple[str, ...]
    detail: str
    item_ids: tuple[str, ...] = ()


def stage_departments(journey: JourneyMap) -> dict[str, set[str]]:
    """Departments that contributed anything (notes, scores, touchpoints, pains) per stage."""
    out: dict[str, set[str]] = defaultdict(set)
    groups: Iterable[Iterable[object]] = (
        journey.notes,
        journey.emotions,
        journey.touchpoints,
        journey.pains,
    )
    for group in groups:
        for item in group:
            dept = getattr(item, "department_id", None)
            if dept:
                out[item.stage_id].add(dept)  # type: ignore[attr-defined]
    return out


def _emotion_disagreement(
    stage_id: str, means: dict[str, float], rank: dict[str, int]
) -> Disagreement | None:
    """The pair of departments furthest apart; on a tie the pair that comes first in the
    workshop's department order (``rank``), so the radar names the same pair every time."""
    order = sorted(means, key=lambda d: (rank.get(d, len(rank)), d))
    pairs = list(combinations(order, 2))
    worst = max(pairs, key=lambda p: abs(means[p[0]] - means[p[1]]), default=None)
    if worst is None or abs(means[worst[0]] - means[worst[1]]) < EMOTION_GAP:
        return None
    hi, lo = sorted(worst, key=lambda d: -means[d])  # stable: a tie keeps the order
    return Disagreement(stage_id, "emotion", (hi, lo), f"{means[hi]:+.1f}/{means[lo]:+.1f}")


def reporting_departments(journey: JourneyMap) -> set[str]:
    """Departments that are asked for pain points (their sections include pains)."""
    return {d.id for d in journey.departments if Section.PAINS in d.sections}


def disagreements(journey: JourneyMap, reached: set[str] | None = None) -> list[Disagreement]:
    """All disagreements, in stage order (emotion first within a stage).

    A department counts as silent on a stage's pain points only when it is asked for pain
    points and has reached that section: ``reached`` names the departments that have (the
    status screen passes it while people are still answering); None means every department
    that is asked (a published map)."""
    summary = emotion_summary(journey)
    contributors = stage_departments(journey)
    rank = {d.id: i for i, d in enumerate(journey.departments)}
    asked = reporting_departments(journey)
    could_report = asked if reached is None else asked & reached
    out: list[Disagreement] = []
    for stage in journey.stages:
        stat = summary.get(stage.id)
        if stat is not None:
            found = _emotion_disagreement(stage.id, stat.by_department, rank)
            if found is not None:
                out.append(found)
        pains = [
            p
            for p in journey.pains
            if p.stage_id == stage.id and p.status is PainStatus.OPEN and p.department_id
        ]
        reporters = {p.department_id for p in pains}
        others = (contributors.get(stage.id, set()) & could_report) - reporters
        if len(reporters) == 1 and others:
            (reporter,) = reporters
            silent = sorted(others, key=lambda d: (rank.get(d, len(rank)), d))
            out.append(
                Disagreement(
                    stage.id,
                    "pain_only_one_department",
                    (str(reporter), *silent),
                    str(len(pains)),
                    tuple(p.id for p in pains),
                )
            )
    return out


# --------------------------------------------------------------------------- gaps


@dataclass(frozen=True)
class Gaps:
    """Ids of what the map still lacks (SPEC §3 facilitator status)."""

    stages_without_touchpoints: list[str]
    touchpoints_without_owner: list[str]
    touchpoints_without_kpi: list[str]
    pains_without_evidence: list[str]  # hypotheses
    pains_without_ideas: list[str]

    @property
    def total(self) -> int:
        return sum(
            len(v)
            for v in (
                self.stages_without_touchpoints,
                self.touchpoints_without_owner,
                self.touchpoints_without_kpi,
                self.pains_without_evidence,
                self.pains_without_ideas,
            )
        )


def gaps(journey: JourneyMap) -> Gaps:
    """Open pain points only count; resolved ones need neither evidence nor ideas."""
    with_tp = {tp.stage_id for tp in journey.touchpoints}
    with_kpi = {k.touchpoint_id for k in journey.kpis if k.touchpoint_id}
    with_idea = {i.pain_id for i in journey.ideas}
    open_pains = [p for p in journey.pains if p.status is PainStatus.OPEN]
    return Gaps(
        stages_without_touchpoints=[s.id for s in journey.stages if s.id not in with_tp],
        touchpoints_without_owner=[tp.id for tp in journey.touchpoints if not tp.owner_id],
        touchpoints_without_kpi=[tp.id for tp in journey.touchpoints if tp.id not in with_kpi],
        pains_without_evidence=[p.id for p in open_pains if p.is_hypothesis],
        pains_without_ideas=[p.id for p in open_pains if p.id not in with_idea],
    )
