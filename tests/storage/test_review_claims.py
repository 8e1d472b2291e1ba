"""Fenced review reminders in the store (both databases): a delivery pass claims reviews
with a token; just before an owner's message leaves they are marked "handed to Telegram",
only while that pass's claim stands and once; a review handed over counts as delivered
(never stuck, never sent again); the claims of a pass that is gone are released — handed
ones settled as delivered, the others scheduled again, due at once."""

from __future__ import annotations

from datetime import timedelta

from flows.models import Review, ReviewStatus
from flows.review import cycle
from storage.open_store import OpenStore
from tests.builders import NOW, review_workshop

LONG_AGO = NOW - timedelta(hours=1)


async def _claimed(store: OpenStore, owners: int, claim: str) -> list[Review]:
    """A published workshop whose ``owners`` reviews were claimed by ``claim`` an hour ago."""
    built = await review_workshop(store, owners=owners, schedule=NOW)
    async with store.write() as uow:
        due = await cycle.due_reviews(uow, built.id, NOW)
        await cycle.mark_sent(uow, due, LONG_AGO, claim=claim)
    assert len(due) == owners
    return due


async def _hand_over(store: OpenStore, reviews: list[Review], claim: str) -> int:
    async with store.write() as uow:
        return await uow.items.hand_over([r.id for r in reviews], claim)


async def _stuck(store: OpenStore) -> set[str]:
    async with store.read() as uow:
        return {r.id for r in await uow.items.due_reviews(NOW, stuck_before=NOW)}


async def test_reviews_are_handed_over_only_under_their_own_claim_and_once(
    store: OpenStore,
) -> None:
    reviews = await _claimed(store, owners=2, claim="pass-1")
    assert await _hand_over(store, reviews, "pass-2") == 0  # not that pass's
    assert await _hand_over(store, reviews[:1], "pass-1") == 1
    assert await _hand_over(store, reviews, "pass-1") == 1  # the other one; the first is marked
    assert await _hand_over(store, reviews, "pass-1") == 0


async def test_a_review_handed_over_is_never_stuck_and_one_not_handed_over_is(
    store: OpenStore,
) -> None:
    first, second = await _claimed(store, owners=2, claim="pass-1")
    await _hand_over(store, [first], "pass-1")
    assert await _stuck(store) == {second.id}
    async with store.write() as uow:  # another write of the document, the same claim
        fresh = await uow.items.get(Review, first.id)
        assert fresh is not None
        fresh.escalated_at = NOW
        await uow.items.update(fresh)
    assert await _stuck(store) == {second.id}  # still handed over


async def test_the_claims_of_a_pass_that_is_gone_are_released_at_once(store: OpenStore) -> None:
    handed, unsent = await _claimed(store, owners=2, claim="dead")
    (running,) = await _claimed(store, owners=1, claim="alive")
    await _hand_over(store, [handed], "dead")
    async with store.write() as uow:
        assert await cycle.release_claims(uow, NOW, keep="alive") == 1
    async with store.read() as uow:
        after = {
            r.id: r for r in [await uow.items.get(Review, x.id) for x in (handed, unsent)] if r
        }
        due = {r.id for r in await uow.items.due_reviews(NOW)}
        still = await uow.items.get(Review, running.id)
    assert after[handed.id].status == ReviewStatus.SENT
    assert after[handed.id].delivered_at == LONG_AGO  # it counts as delivered when it left
    assert after[unsent.id].status == ReviewStatus.SCHEDULED
    assert after[unsent.id].claim is None and after[unsent.id].sent_at is None
    assert due == {unsent.id}  # due now, not in ten minutes; the handed one not again
    assert still is not None and still.status == ReviewStatus.SENT and still.claim == "alive"
    assert await _hand_over(store, [unsent], "dead") == 0  # the dead pass's claim is void
    async with store.write() as uow:  # nothing more to release
        assert await cycle.release_claims(uow, NOW, keep="alive") == 0


async def test_a_review_claimed_again_starts_unmarked(store: OpenStore) -> None:
    (review,) = await _claimed(store, owners=1, claim="pass-1")
    async with store.write() as uow:
        assert await cycle.release_claims(uow, NOW) == 1  # nobody to keep: all released
        again = await uow.items.get(Review, review.id)
        assert again is not None
        await cycle.mark_sent(uow, [again], NOW, claim="pass-2")
    assert await _hand_over(store, [review], "pass-1") == 0
    assert await _hand_over(store, [review], "pass-2") == 1
