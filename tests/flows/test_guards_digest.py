"""The facilitators' weekly digest: how many touchpoints were reviewed, which reviews are
overdue (and since when, by whom), who cannot be reached, what went stale — and an overdue
review is escalated once."""

from __future__ import annotations

from datetime import timedelta

from flows.models import Member, Review, ReviewStatus, WorkshopStatus
from flows.review.digest import MAX_LINES, weekly
from storage.store import SqliteStore
from tests.builders import NOW, STALE, WorkshopBuilder, review_workshop


async def _set(store: SqliteStore, item: Review | Member, **changes: object) -> None:
    async with store.write() as uow:
        for name, value in changes.items():
            setattr(item, name, value)
        await uow.items.update(item)


async def test_the_digest_counts_lists_the_overdue_and_escalates_them_once(
    store: SqliteStore,
) -> None:
    ws = await review_workshop(store, owners=3, schedule=NOW - timedelta(days=20))
    by_owner = {m.name: m for m in ws.owners}
    async with store.read() as uow:
        reviews = {r.owner_id: r for r in await uow.items.list(ws.id, Review)}
    late = reviews[by_owner["Owner 0"].id]
    await _set(store, late, status=ReviewStatus.SENT, sent_at=NOW - timedelta(days=10))
    recent = reviews[by_owner["Owner 1"].id]
    await _set(store, recent, status=ReviewStatus.SENT, sent_at=NOW - timedelta(days=2))
    done = reviews[by_owner["Owner 2"].id]
    await _set(store, done, status=ReviewStatus.DONE, answered_at=NOW - timedelta(days=1))
    await _set(store, by_owner["Owner 2"], unreachable=True)

    async with store.write() as uow:
        workshop = await uow.workshops.get(ws.id)
        assert workshop is not None
        lines = await weekly(uow, workshop, NOW, overdue_days=7)
    head = lines[0]
    assert head.key == "review.digest"
    # changed: the stage, four members and three touchpoints, made this week; not reviews
    assert head.params == {"workshop": "Dealership", "reviewed": 1, "overdue": 1, "changed": 8}
    overdue = [line.params for line in lines if line.key == "review.digest.overdue"]
    assert overdue == [{"touchpoint": "TP 0.0", "owner": "Owner 0", "since": "22.05.2026"}]
    unreachable = [line.params for line in lines if line.key == "review.digest.unreachable"]
    assert unreachable == [{"name": "Owner 2"}]
    stale = {
        line.params["name"]: line.params["days"]
        for line in lines
        if line.key == "review.digest.stale"
    }
    assert stale == {"TP 0.0": 40, "TP 1.0": 40, "TP 2.0": 40}
    assert [line.key for line in lines].index("review.digest.overdue") == 1

    async with store.read() as uow:
        after = {r.id: r for r in await uow.items.list(ws.id, Review)}
    assert after[late.id].escalated_at == NOW
    assert after[recent.id].escalated_at is None
    async with store.write() as uow:
        workshop = await uow.workshops.get(ws.id)
        assert workshop is not None
        await weekly(uow, workshop, NOW + timedelta(days=1), overdue_days=7)
    async with store.read() as uow:
        assert (await uow.items.get(Review, late.id)).escalated_at == NOW  # type: ignore[union-attr]


async def test_stale_kpis_are_listed_and_a_long_digest_is_cut(store: SqliteStore) -> None:
    b = WorkshopBuilder("Shop", status=WorkshopStatus.PUBLISHED, review_cadence_days=30)
    stage = b.stage("Visit")
    owner = b.member("Olga", tg=100)
    for i in range(13):
        tp = b.touchpoint(stage, f"TP {i}", owner=owner, confirmed=STALE)
        b.kpi(tp, f"KPI {i}", last_confirmed_at=STALE)
    fresh = b.touchpoint(stage, "Fresh", owner=owner, confirmed=NOW - timedelta(days=3))
    b.kpi(fresh, "Fresh KPI", last_confirmed_at=NOW - timedelta(days=3))
    await b.save(store)
    async with store.write() as uow:
        workshop = await uow.workshops.get(b.id)
        assert workshop is not None
        lines = await weekly(uow, workshop, NOW, overdue_days=7)
    assert len(lines) == MAX_LINES
    stale = [line.params["name"] for line in lines if line.key == "review.digest.stale"]
    assert stale == [f"TP {i}" for i in range(13)] + [f"KPI {i}" for i in range(MAX_LINES - 14)]
    assert {line.params["days"] for line in lines if line.key == "review.digest.stale"} == {40}


async def test_a_week_ago_still_counts_and_an_overdue_review_of_what_is_gone_shows_a_mark(
    store: SqliteStore,
) -> None:
    ws = await review_workshop(store, owners=3, schedule=NOW - timedelta(days=20))
    first, second, third = ws.owners
    async with store.read() as uow:
        reviews = {r.owner_id: r for r in await uow.items.list(ws.id, Review)}
    week = timedelta(days=7)
    await _set(store, reviews[first.id], status=ReviewStatus.DONE, answered_at=NOW - week)
    older = NOW - week - timedelta(minutes=1)
    await _set(store, reviews[second.id], status=ReviewStatus.DONE, answered_at=older)
    await _set(store, reviews[third.id], status=ReviewStatus.SENT, sent_at=NOW - 2 * week)
    async with store.write() as uow:
        gone = next(tp for tp in ws.touchpoints if tp.owner_id == third.id)
        await uow.items.delete(gone)
        await uow.items.delete(third)
        workshop = await uow.workshops.get(ws.id)
        assert workshop is not None
        lines = await weekly(uow, workshop, NOW, overdue_days=7)
    assert lines[0].params["reviewed"] == 1  # exactly a week ago counts, a minute more not
    overdue = [line.params for line in lines if line.key == "review.digest.overdue"]
    assert overdue == [{"touchpoint": "?", "owner": "?", "since": "18.05.2026"}]


async def test_an_item_changed_exactly_a_week_ago_is_still_in_the_digest(
    store: SqliteStore,
) -> None:
    ws = await review_workshop(store, owners=1)
    async with store.write() as uow:
        workshop = await uow.workshops.get(ws.id)
        assert workshop is not None
        items = [i for i in await uow.items.all_of_workshop(ws.id) if not isinstance(i, Review)]
        made = max(i.updated_at for i in items)
        on_the_day = await weekly(uow, workshop, made + timedelta(days=7), overdue_days=7)
        later = await weekly(uow, workshop, made + timedelta(days=7, seconds=1), overdue_days=7)
    newest = sum(1 for i in items if i.updated_at == made)
    assert on_the_day[0].params["changed"] == newest >= 1
    assert later[0].params["changed"] == 0
