"""The facilitators' daily summary (flows.workshop.summary): once per local day at or after
the reminder time, only while collecting, only with news; per department, who is still
going."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flows.models import Role, WorkshopStatus
from flows.ports import FixedClock
from flows.workshop.summary import daily_summary
from storage.store import SqliteStore
from tests.builders import WorkshopBuilder

MORNING = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # 09:00 in Warsaw


async def _workshop(store: SqliteStore, **fields: object) -> WorkshopBuilder:
    b = WorkshopBuilder(
        "Clinic",
        timezone="Europe/Warsaw",
        reminder_time=time(10, 0),
        status=fields.pop("status", WorkshopStatus.COLLECTING),
    )
    sales = b.department("sales", "Sales")
    support = b.department("support", "Support")
    b.member("Fac", tg=1, role=Role.FACILITATOR)
    b.member("Zoe", tg=2, department=sales, finished_at=MORNING - timedelta(hours=3))
    b.member("Adam", tg=3, department=sales)
    b.member("Invited", department=support)  # not joined: not counted
    for n in range(12):
        b.member(f"S{n:02d}", tg=10 + n, department=support)
    return await b.save(store)


async def test_the_summary_goes_once_a_day_after_the_reminder_time(store: SqliteStore) -> None:
    b = await _workshop(store)
    clock = FixedClock(MORNING)
    assert await daily_summary(store, clock, b.id) == []  # 09:00: before 10:00
    clock.advance(hours=1)
    (told,) = await daily_summary(store, clock, b.id)
    assert told.to.id == "tg:1" and told.key == "summary.daily"
    assert told.params["done"] == 1 and told.params["total"] == 14
    lines = told.params["lines"].splitlines()
    assert lines[0] == "• Sales: 1 of 2 finished — still going: Adam"
    assert lines[1].startswith("• Support: 0 of 12 finished — still going: S00, S01")
    assert lines[1].endswith("S09 +2")  # ten names at most
    assert await daily_summary(store, clock, b.id) == []
    clock.advance(hours=15)  # 01:00 in Warsaw: a new day, but before 10:00
    assert await daily_summary(store, clock, b.id) == []
    clock.advance(hours=9)
    assert len(await daily_summary(store, clock, b.id)) == 1


async def test_no_summary_outside_collecting(store: SqliteStore) -> None:
    for status in (WorkshopStatus.DRAFT, WorkshopStatus.PUBLISHED, WorkshopStatus.CLOSED):
        b = await _workshop(store, status=status)
        assert await daily_summary(store, FixedClock(MORNING + timedelta(hours=4)), b.id) == []
