"""An owner's own time zone and absence move only their scheduled reviews: to their
local reminder time, and to after the absence; others' reviews and sent ones stay as they
are; one in a running round goes at the owner's next allowed moment."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from flows.models import Review, ReviewStatus
from flows.review import cycle as rv
from storage.store import SqliteStore
from tests.builders import NOW, review_workshop


async def _reviews(store: SqliteStore, workshop_id: str) -> dict[str, Review]:
    async with store.read() as uow:
        return {r.owner_id: r for r in await uow.items.list(workshop_id, Review)}


async def test_an_owners_time_zone_moves_their_scheduled_reviews_to_its_reminder_time(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=3, confirmed=NOW, schedule=NOW)
    ann, bob, cid = built.owners
    before = await _reviews(store, built.id)
    async with store.write() as uow:
        sent = before[cid.id]
        sent.status, sent.sent_at = ReviewStatus.SENT, NOW
        await uow.items.update(sent)
    async with store.write() as uow:
        moved = await rv.set_timezone(uow, ann, "Asia/Almaty", NOW)
        assert await rv.set_timezone(uow, cid, "Asia/Almaty", NOW) == []  # already sent
    after = await _reviews(store, built.id)
    assert [r.id for r in moved] == [before[ann.id].id]
    local = after[ann.id].due_at.astimezone(ZoneInfo("Asia/Almaty"))
    assert local.time() == time(10, 0)
    assert after[ann.id].due_at != before[ann.id].due_at
    assert after[bob.id].due_at == before[bob.id].due_at
    assert after[cid.id].due_at == before[cid.id].due_at
    async with store.read() as uow:
        member = await uow.items.member_of(built.id, "tg:100")
    assert member is not None and member.timezone == "Asia/Almaty"


async def test_a_time_zone_never_moves_a_review_into_the_past(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=1, schedule=NOW)  # confirmed 40 days ago
    (owner,) = built.owners
    async with store.write() as uow:
        (moved,) = await rv.set_timezone(uow, owner, "Europe/London", NOW)
    assert moved.due_at == NOW


async def test_an_absence_holds_only_the_absent_owners_reviews(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=2, confirmed=NOW, schedule=NOW)
    ann, bob = built.owners
    before = await _reviews(store, built.id)
    back = (before[ann.id].due_at + timedelta(days=10)).date()
    async with store.write() as uow:
        moved = await rv.set_away(uow, ann, back, NOW)
    after = await _reviews(store, built.id)
    assert [r.id for r in moved] == [before[ann.id].id]
    assert after[ann.id].due_at.astimezone(ZoneInfo("Europe/Warsaw")).date() > back
    assert after[bob.id].due_at == before[bob.id].due_at
    async with store.write() as uow:
        (back_again,) = await rv.set_away(uow, ann, None, NOW)  # back: the plan again
        member = await uow.items.member_of(built.id, "tg:100")
    assert member is not None and member.away_until is None
    assert back_again.due_at == before[ann.id].due_at
    async with store.write() as uow:
        assert await rv.set_away(uow, bob, None, NOW) == []  # never away: nothing moves
