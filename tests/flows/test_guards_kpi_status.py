"""A KPI as the map shows it: the latest reading (by time, then by entry) against its
target — green when met, amber when missed by at most a tenth, red beyond — the trend of
the last two readings and whether that trend is good for the KPI's direction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flows.models import Direction, Kpi, KpiReading
from flows.workshop.insights import kpi_status, rag_for, trend_is_good

T0 = datetime(2026, 6, 1, tzinfo=UTC)


def reading(kpi: Kpi, value: float, days: int, entered: int = 0) -> KpiReading:
    return KpiReading(
        workshop_id="ws",
        kpi_id=kpi.id,
        value=value,
        at=T0 + timedelta(days=days),
        created_at=T0 + timedelta(minutes=entered),
    )


def test_the_latest_reading_by_time_then_by_entry_and_its_trend() -> None:
    nps = Kpi(workshop_id="ws", name="NPS", target=50)
    other = Kpi(workshop_id="ws", name="Other")
    readings = [
        reading(nps, 40, days=2),
        reading(nps, 30, days=1),
        reading(other, 99, days=9),
        reading(nps, 47, days=2, entered=5),  # same day, entered later: the latest
    ]
    status = kpi_status(nps, readings)
    assert status.values == (30, 40, 47)
    assert (status.latest, status.target, status.latest_at) == (47, 50, T0 + timedelta(days=2))
    assert (status.rag, status.trend) == ("amber", "up")
    assert kpi_status(nps, [reading(nps, 60, 1), reading(nps, 55, 2)]).trend == "down"
    assert kpi_status(nps, [reading(nps, 55, 1), reading(nps, 55, 2)]).trend == "flat"
    single = kpi_status(nps, [reading(nps, 55, 1)])
    assert (single.trend, single.rag) == (None, "green")
    empty = kpi_status(nps, [])
    assert (empty.latest, empty.latest_at, empty.rag, empty.values) == (None, None, "none", ())


def test_red_amber_green_against_the_target_in_both_directions() -> None:
    assert rag_for(100, 100, Direction.HIGHER) == "green"
    assert rag_for(90, 100, Direction.HIGHER) == "amber"  # a tenth short
    assert rag_for(89.9, 100, Direction.HIGHER) == "red"
    assert rag_for(5, 5, Direction.LOWER) == "green"
    assert rag_for(5.5, 5, Direction.LOWER) == "amber"
    assert rag_for(5.6, 5, Direction.LOWER) == "red"
    assert rag_for(-9, -10, Direction.LOWER) == "amber"  # a tenth of the target's size
    assert rag_for(None, 5, Direction.LOWER) == "none"
    assert rag_for(5, None, Direction.LOWER) == "none"


def test_a_trend_is_good_when_it_goes_the_kpis_way() -> None:
    assert trend_is_good("up", Direction.HIGHER) is True
    assert trend_is_good("down", Direction.HIGHER) is False
    assert trend_is_good("down", Direction.LOWER) is True
    assert trend_is_good("up", Direction.LOWER) is False
    assert trend_is_good("flat", Direction.HIGHER) is None
    assert trend_is_good(None, Direction.LOWER) is None
