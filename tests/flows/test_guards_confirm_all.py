""" "All up to date" on an owner's list confirms every review that was sent to them — not
colleagues' and not those still to come — and only the owner may press it; one touchpoint
of the list opens only while its review is open."""

from __future__ import annotations

import pytest

from flows.models import Review, ReviewOutcome, ReviewStatus
from flows.ports import FixedClock
from flows.review import actions
from flows.review import cycle as rv
from storage.store import SqliteStore
from tests.builders import NOW, review_workshop


async def test_all_up_to_date_confirms_only_the_owners_sent_reviews(store: SqliteStore) -> None:
    built = await review_workshop(store, owners=2, touchpoints_each=3, schedule=NOW)
    ann, bob = built.owners
    async with store.write() as uow:
        reviews = await uow.items.list(built.id, Review)
        mine = [r for r in reviews if r.owner_id == ann.id]
        for item in [*mine[:2], *[r for r in reviews if r.owner_id == bob.id]]:
            item.status, item.sent_at = ReviewStatus.SENT, NOW
            await uow.items.update(item)
    with pytest.raises(rv.ReviewError, match="not_owner"):
        await actions.confirm_all(store, FixedClock(NOW), "tg:101", ann.id)
    result = await actions.confirm_all(store, FixedClock(NOW), "tg:100", ann.id)
    assert (result.key, result.params) == ("review.all_done", {"count": 2})
    assert result.rounds_of == built.id and len(result.moved) == 2
    assert {r.owner_id for r in result.moved} == {ann.id}
    async with store.read() as uow:
        after = {r.id: r for r in await uow.items.list(built.id, Review)}
    assert all(after[r.id].outcome == ReviewOutcome.UP_TO_DATE for r in mine[:2])
    assert after[mine[2].id].status == ReviewStatus.SCHEDULED
    assert all(after[r.id].status == ReviewStatus.SENT for r in reviews if r.owner_id == bob.id)

    member, review = await actions.open_review(store, "tg:100", mine[2].id)
    assert (member.id, review.id) == (ann.id, mine[2].id)
    with pytest.raises(rv.ReviewError, match="closed"):
        await actions.open_review(store, "tg:100", mine[0].id)
    assert await actions.workshop_of(store, mine[0].id) == built.id
    assert await actions.workshop_of(store, "no-such-review") == ""

    again = await actions.confirm_all(store, FixedClock(NOW), "tg:100", ann.id)
    assert (again.params, again.rounds_of, again.moved) == ({"count": 0}, None, [])
    with pytest.raises(rv.ReviewError, match="not_owner"):
        await actions.confirm_all(store, FixedClock(NOW), "tg:100", "no-such-member")
