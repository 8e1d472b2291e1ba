from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flows.models import (
    Department,
    Direction,
    EmotionScore,
    EvidenceKind,
    Idea,
    JourneyMap,
    Kpi,
    KpiReading,
    NoteLane,
    PainPoint,
    PainStatus,
    Stage,
    StageNote,
    Touchpoint,
    Workshop,
)
from flows.workshop.insights import (
    department_label,
    disagreements,
    emotion_summary,
    gaps,
    kpi_staleness,
    kpi_status,
    rag_for,
    stage_label,
    staleness,
    touchpoint_staleness,
    trend_is_good,
)

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
WS = "w1"


def _map(**lists: object) -> JourneyMap:
    ws = Workshop(id=WS, title="T", review_cadence_days=30)
    return JourneyMap(workshop=ws, generated_at=NOW, **lists)  # type: ignore[arg-type]


def _depts() -> list[Department]:
    return [Department(id=k, workshop_id=WS, key=k) for k in ("marketing", "sales", "support")]


def _score(stage: str, score: int, dept: str, author: str | None) -> EmotionScore:
    return EmotionScore(
        workshop_id=WS, stage_id=stage, score=score, department_id=dept, author_id=author
    )


def test_names_fall_back_to_the_catalog_for_template_items() -> None:
    assert stage_label(Stage(workshop_id=WS, order=1, key="awareness"), "ru") != "awareness"
    assert stage_label(Stage(workshop_id=WS, order=1, key="awareness"), "en") == "Awareness"
    assert stage_label(Stage(workshop_id=WS, order=1, name="Own"), "en") == "Own"
    assert department_label(Department(workshop_id=WS, key="sales"), "en") == "Sales"
    assert department_label(Department(workshop_id=WS, name="Legal"), "en") == "Legal"
    assert department_label(None, "en") == ""


def test_emotion_summary_has_mean_spread_and_department_means() -> None:
    scores = [
        _score("s1", 2, "sales", "a"),
        _score("s1", 1, "sales", "b"),
        _score("s1", -1, "support", "c"),
        _score("s2", 0, "support", None),
        _score("s2", -2, "support", None),
    ]
    summary = emotion_summary(_map(emotions=scores))
    s1 = summary["s1"]
    assert (s1.min, s1.max, s1.count) == (-1, 2, 3)
    assert s1.mean == pytest.approx(2 / 3)
    assert s1.by_department == {"sales": 1.5, "support": -1.0}
    assert summary["s2"].count == 2  # anonymous scores all count


def test_a_person_who_scores_twice_counts_once_with_the_latest_score() -> None:
    old = _score("s1", -2, "sales", "a")
    new = _score("s1", 2, "sales", "a")
    new.updated_at = old.updated_at + timedelta(minutes=1)
    stat = emotion_summary(_map(emotions=[new, old]))["s1"]
    assert (stat.count, stat.mean) == (1, 2)


@pytest.mark.parametrize(
    ("value", "target", "direction", "rag"),
    [
        (5, 5, Direction.HIGHER, "green"),
        (6, 5, Direction.HIGHER, "green"),
        (4.5, 5, Direction.HIGHER, "amber"),
        (4.49, 5, Direction.HIGHER, "red"),
        (3, 3, Direction.LOWER, "green"),
        (3.3, 3, Direction.LOWER, "amber"),
        (3.31, 3, Direction.LOWER, "red"),
        (None, 3, Direction.LOWER, "none"),
        (3, None, Direction.LOWER, "none"),
    ],
)
def test_rag_rule(
    value: float | None, target: float | None, direction: Direction, rag: str
) -> None:
    assert rag_for(value, target, direction) == rag


def test_kpi_status_uses_this_kpis_readings_in_time_order() -> None:
    kpi = Kpi(id="k", workshop_id=WS, name="NPS", target=50, direction=Direction.HIGHER)
    readings = [
        KpiReading(workshop_id=WS, kpi_id="k", value=48, at=NOW),
        KpiReading(workshop_id=WS, kpi_id="k", value=40, at=NOW - timedelta(days=30)),
        KpiReading(workshop_id=WS, kpi_id="other", value=99, at=NOW + timedelta(days=1)),
    ]
    status = kpi_status(kpi, readings)
    assert status.values == (40, 48)
    assert (status.latest, status.rag, status.trend) == (48, "amber", "up")
    assert trend_is_good("up", Direction.HIGHER) is True
    assert trend_is_good("up", Direction.LOWER) is False
    assert trend_is_good(None, Direction.LOWER) is None
    assert kpi_status(kpi, []).trend is None
    assert kpi_status(kpi, readings[:1]).trend is None


def test_staleness_counts_from_confirmation_or_creation() -> None:
    assert staleness(NOW - timedelta(days=30), 30, NOW) == staleness(
        None, 30, NOW, created_at=NOW - timedelta(days=30)
    )
    assert not staleness(NOW - timedelta(days=30), 30, NOW).stale
    assert staleness(NOW - timedelta(days=31), 30, NOW).stale
    assert staleness(None, 30, NOW).days == 0


def test_touchpoint_and_kpi_staleness_use_the_touchpoint_cadence() -> None:
    tp = Touchpoint(
        id="tp",
        workshop_id=WS,
        stage_id="s",
        name="Site",
        review_cadence_days=7,
        created_at=NOW - timedelta(days=100),
        last_confirmed_at=NOW - timedelta(days=8),
    )
    fresh = Touchpoint(
        workshop_id=WS, stage_id="s", name="Shop", created_at=NOW - timedelta(days=10)
    )
    kpi = Kpi(workshop_id=WS, touchpoint_id="tp", name="CR", created_at=NOW - timedelta(days=100))
    reading = KpiReading(workshop_id=WS, kpi_id=kpi.id, value=1, at=NOW - timedelta(days=3))
    jm = _map(touchpoints=[tp, fresh], kpis=[kpi], readings=[reading])
    assert touchpoint_staleness(jm, tp).stale and touchpoint_staleness(jm, tp).days == 8
    assert not touchpoint_staleness(jm, fresh).stale  # workshop cadence 30
    assert kpi_staleness(jm, kpi).days == 3
    jm.readings = []
    assert kpi_staleness(jm, kpi).stale


def test_emotion_disagreement_needs_two_points_between_departments() -> None:
    jm = _map(
        departments=_depts(),
        stages=[Stage(id="s1", workshop_id=WS, order=1), Stage(id="s2", workshop_id=WS, order=2)],
        emotions=[
            _score("s1", 2, "sales", "a"),
            _score("s1", -1, "support", "b"),
            _score("s1", 1, "marketing", "c"),
            _score("s2", 1, "sales", "a"),
            _score("s2", 0, "support", "b"),
        ],
    )
    found = disagreements(jm)
    assert len(found) == 1
    assert found[0].stage_id == "s1" and found[0].kind == "emotion"
    assert found[0].departments == ("sales", "support")
    assert found[0].detail == "+2.0/-1.0"


def test_pain_reported_by_one_of_several_contributing_departments_is_flagged() -> None:
    def pain(stage: str, dept: str) -> PainPoint:
        return PainPoint(workshop_id=WS, stage_id=stage, description="x", department_id=dept)

    stages = [Stage(id=s, workshop_id=WS, order=i) for i, s in enumerate(("s1", "s2", "s3"))]
    notes = [
        StageNote(
            workshop_id=WS, stage_id="s1", lane=NoteLane.GOAL, text="g", department_id="sales"
        ),
        StageNote(
            workshop_id=WS, stage_id="s2", lane=NoteLane.GOAL, text="g", department_id="sales"
        ),
    ]
    lonely = pain("s1", "support")
    pains = [lonely, pain("s2", "support"), pain("s2", "sales"), pain("s3", "support")]
    found = disagreements(_map(departments=_depts(), stages=stages, notes=notes, pains=pains))
    assert [(d.stage_id, d.kind, d.departments) for d in found] == [
        ("s1", "pain_only_one_department", ("support", "sales"))
    ]
    assert found[0].item_ids == (lonely.id,)


def test_gaps_list_what_the_map_lacks() -> None:
    stages = [Stage(id="s1", workshop_id=WS, order=1), Stage(id="s2", workshop_id=WS, order=2)]
    tps = [
        Touchpoint(id="t1", workshop_id=WS, stage_id="s1", name="a", owner_id="m"),
        Touchpoint(id="t2", workshop_id=WS, stage_id="s1", name="b"),
    ]
    kpis = [Kpi(workshop_id=WS, touchpoint_id="t1", name="k")]
    pains = [
        PainPoint(id="p1", workshop_id=WS, stage_id="s1", description="no evidence"),
        PainPoint(
            id="p2",
            workshop_id=WS,
            stage_id="s1",
            description="ok",
            evidence_kind=EvidenceKind.TICKETS,
        ),
        PainPoint(
            id="p3", workshop_id=WS, stage_id="s1", description="done", status=PainStatus.RESOLVED
        ),
    ]
    ideas = [Idea(workshop_id=WS, pain_id="p2", description="fix")]
    found = gaps(_map(stages=stages, touchpoints=tps, kpis=kpis, pains=pains, ideas=ideas))
    assert found.stages_without_touchpoints == ["s2"]
    assert found.touchpoints_without_owner == ["t2"]
    assert found.touchpoints_without_kpi == ["t2"]
    assert found.pains_without_evidence == ["p1"]
    assert found.pains_without_ideas == ["p1"]
    assert found.total == 5
