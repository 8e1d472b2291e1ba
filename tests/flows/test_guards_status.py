"""The facilitator's status screen: who joined and finished per department, where each
participant is, the gaps, the disagreement radar and — once published — what went stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flows.models import EmotionScore, Role, WorkshopStatus
from flows.texts import t_plain
from flows.workshop.status import status_text
from storage.store import SqliteStore
from tests.builders import NOW, WorkshopBuilder

# The stale count is taken at the real time: confirmations relative to it.
REAL_NOW = datetime.now(UTC)
LONG_AGO = REAL_NOW - timedelta(days=100)
YESTERDAY = REAL_NOW - timedelta(days=1)


def shown(parts: list) -> list[str]:  # type: ignore[type-arg]
    return [t_plain("en", part.key, **part.params) for part in parts]


async def build(store: SqliteStore, status: WorkshopStatus) -> WorkshopBuilder:
    b = WorkshopBuilder("Shop", status=status)
    marketing = b.department("marketing")
    legal = b.department(name="Legal")
    b.department(name="Empty")
    b.member("Fac", tg=1, role=Role.FACILITATOR, department=marketing)
    ann = b.member("Ann", tg=2, department=marketing, finished_at=NOW)
    bob = b.member("Bob", tg=3, department=legal)
    b.member("Cid", tg=4, department=legal)
    b.member("Invited", department=legal)  # has not joined
    b.position(bob, "touchpoints", "touchpoints.name")
    visit = b.stage("Visit")
    for name in ("Pay", "Leave", "Return"):
        b.stage(name)
    tp = b.touchpoint(visit, "Web", confirmed=LONG_AGO)
    b.touchpoint(visit, "Shop floor", owner=ann, confirmed=YESTERDAY)
    b.kpi(tp, "NPS", last_confirmed_at=LONG_AGO)
    b.touchpoint(visit, "App", owner=ann, confirmed=YESTERDAY)
    for text in ("Slow", "Rude", "Dirty", "Loud"):
        b.pain(visit, text, author=ann, department=marketing, evidence="survey")
    for member, dept, score in ((ann, marketing, 2), (bob, legal, -1)):
        b.add(
            EmotionScore(
                workshop_id=b.id,
                stage_id=visit.id,
                score=score,
                author_id=member.id,
                department_id=dept.id,
            )
        )
    return await b.save(store)


async def test_the_status_screen_shows_progress_gaps_and_the_radar(store: SqliteStore) -> None:
    b = await build(store, WorkshopStatus.COLLECTING)
    async with store.read() as uow:
        parts = await status_text(uow, b.workshop, "en")
    assert shown(parts) == [
        "Status of «Shop»\nDepartments:\n"
        "• Marketing: 1 joined, 1 finished\n"
        "• Legal: 2 joined, 0 finished\n"
        "• Empty: 0 joined, 0 finished\n"
        "People:\n"
        "• Ann (Marketing): finished\n"
        "• Bob (Legal): at Touchpoints\n"
        "• Cid (Legal): at —",
        "Gaps: 3 stages without touchpoints; 1 touchpoints without an owner; 2 without a KPI;"
        " 0 pain points without evidence; 4 without ideas.",
        # Legal's people are still before the pain-point section: not "silent" yet
        "Disagreement radar:\n• «Visit»: Marketing and Legal feel differently (+2.0/-1.0)",
    ]


async def radar(store: SqliteStore, b: WorkshopBuilder) -> str:
    async with store.read() as uow:
        return shown(await status_text(uow, b.workshop, "en"))[-1]


async def test_a_department_at_the_pain_section_that_reported_none_is_named(
    store: SqliteStore,
) -> None:
    b = WorkshopBuilder("Shop")
    marketing, legal = b.department("marketing"), b.department(name="Legal")
    ann = b.member("Ann", tg=2, department=marketing)
    bob = b.member("Bob", tg=3, department=legal)
    visit = b.stage("Visit")
    b.touchpoint(visit, "Desk", author=bob, department_id=legal.id)
    b.pain(visit, "Slow", author=ann, department=marketing)
    b.position(bob, "pains", "pains.description")
    await b.save(store)
    assert await radar(store, b) == (
        "Disagreement radar:\n• «Visit»: only Marketing reported pain points (1); Legal did not"
    )


async def test_a_finished_department_counts_but_one_never_asked_for_pains_does_not(
    store: SqliteStore,
) -> None:
    b = WorkshopBuilder("Shop")
    marketing = b.department("marketing")
    legal = b.department(name="Legal")
    audit = b.department(name="Audit", sections=["stages", "touchpoints"])
    ann = b.member("Ann", tg=2, department=marketing)
    bob = b.member("Bob", tg=3, department=legal, finished_at=NOW)
    cid = b.member("Cid", tg=4, department=audit, finished_at=NOW)
    visit = b.stage("Visit")
    b.touchpoint(visit, "Desk", author=bob, department_id=legal.id)
    b.touchpoint(visit, "Audit desk", author=cid, department_id=audit.id)
    b.pain(visit, "Slow", author=ann, department=marketing)
    await b.save(store)
    assert await radar(store, b) == (
        "Disagreement radar:\n• «Visit»: only Marketing reported pain points (1); Legal did not"
    )


async def test_tied_departments_are_named_in_the_workshop_order_every_time(
    store: SqliteStore,
) -> None:
    b = WorkshopBuilder("Shop")
    # ids sort the other way round from the workshop's order of departments
    depts = [b.department(name=n, id=i) for n, i in (("Zed", "d-z"), ("Mid", "d-m"), ("Ay", "d-a"))]
    visit = b.stage("Visit")
    for dept, score, tg in zip(depts, (2, 2, -1), (2, 3, 4), strict=True):
        who = b.member(f"P{tg}", tg=tg, department=dept)
        b.add(
            EmotionScore(
                workshop_id=b.id,
                stage_id=visit.id,
                score=score,
                author_id=who.id,
                department_id=dept.id,
            )
        )
    await b.save(store)
    assert await radar(store, b) == (
        "Disagreement radar:\n• «Visit»: Zed and Ay feel differently (+2.0/-1.0)"
    )


async def test_a_published_workshop_also_shows_what_went_stale(store: SqliteStore) -> None:
    b = await build(store, WorkshopStatus.PUBLISHED)
    async with store.read() as uow:
        parts = await status_text(uow, b.workshop, "en")
    assert len(parts) == 4
    assert parts[3].key == "review.status.stale"
    assert parts[3].params == {"touchpoints": 1, "kpis": 1}


async def test_nobody_yet_shows_a_dash(store: SqliteStore) -> None:
    b = WorkshopBuilder("Empty shop")
    b.department("sales")
    await b.save(store)
    async with store.read() as uow:
        parts = await status_text(uow, b.workshop, "en")
    progress, _, radar = shown(parts)
    assert (
        progress
        == "Status of «Empty shop»\nDepartments:\n• Sales: 0 joined, 0 finished\nPeople:\n—"
    )
    assert radar == "Disagreement radar:\n—"
