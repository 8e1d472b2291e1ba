"""The review card shows each KPI's trend over all its readings: a sparkline (▁▃▅▇, the
latest last) beside the latest value, the target and the status mark."""

from __future__ import annotations

from datetime import timedelta

from bot.telegram.review_cards import Cards, sparkline
from flows.models import Direction, Review
from flows.workshop.queries import load_map
from storage.store import SqliteStore
from tests.builders import NOW, STALE, WorkshopBuilder


def test_the_sparkline_scales_every_reading_to_eight_bars() -> None:
    assert sparkline((1.0, 2.0, 3.0, 8.0)) == "▁▂▃█"
    assert sparkline((8.0, 1.0)) == "█▁"
    assert sparkline((5.0, 5.0, 5.0)) == "▄▄▄"  # flat is flat, not "lowest"
    assert sparkline((5.0,)) == "" and sparkline(()) == ""  # no trend from one reading


def test_a_long_history_is_sampled_to_twelve_keeping_the_first_and_the_latest() -> None:
    values = tuple(float(v) for v in range(30)) + (0.0,)
    line = sparkline(values)
    assert len(line) == 12
    assert line[0] == "▁" and line[-1] == "▁"  # the latest (a drop to 0) is shown
    assert "█" in line  # the peak before it is too


async def test_the_card_shows_the_trend_with_value_target_and_status(store: SqliteStore) -> None:
    b = WorkshopBuilder("Shop", status="published", timezone="Europe/Warsaw")
    stage = b.stage("Visit")
    owner = b.member("Olga", tg=100)
    tp = b.touchpoint(stage, "Checkout", owner=owner, confirmed=STALE)
    days = [NOW - timedelta(days=d) for d in (40, 30, 20, 10)]
    b.kpi(tp, "Conversion", unit="%", target=12, readings=zip(days, (4, 6, 9, 13), strict=True))
    b.kpi(tp, "Returns", unit="%", target=5, direction=Direction.LOWER, readings=[(NOW, 7.0)])
    await b.save(store, schedule=NOW)
    async with store.read() as uow:
        (review,) = await uow.items.list(b.id, Review)
    text, _ = Cards(await load_map(store, b.id, at=NOW)).card(owner, review, "en")
    lines = text.splitlines()
    assert "📊 Conversion: 13% / target 12% 🟢 ▁▃▅█" in lines
    assert "📊 Returns: 7% / target 5% 🔴" in lines  # one reading: no trend yet
