"""What an owner's review list and the facilitator's /review say: after an answer the list
shows the owner's own reviews still open and, ticked, those answered in the same round —
not another round's, not a colleague's; /review lists at most ten later cards by name,
one line each, and says how many more."""

from __future__ import annotations

from flows.models import Review, ReviewRound, ReviewStatus
from flows.ports import FixedClock
from flows.review import actions
from storage.store import SqliteStore
from tests.builders import NOW, review_workshop

FACILITATOR = "tg:9000"


async def test_after_an_answer_the_list_shows_what_is_open_and_what_this_round_answered(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=2, touchpoints_each=4, schedule=NOW)
    async with store.write() as uow:
        this_round = ReviewRound(workshop_id=built.id, number=1, closes_at=NOW, started_by="x")
        await uow.items.add(this_round)
        reviews = await uow.items.list(built.id, Review)
        owner = built.owners[0]
        mine = [r for r in reviews if r.owner_id == owner.id]
        colleague = next(r for r in reviews if r.owner_id != owner.id)
        just, before, still, elsewhere = mine
        for review, status in (
            (just, ReviewStatus.DONE),
            (before, ReviewStatus.DONE),
            (still, ReviewStatus.SENT),
            (elsewhere, ReviewStatus.DONE),
            (colleague, ReviewStatus.SENT),
        ):
            review.status = status
            review.round_id = this_round.id if review is not elsewhere else None
            await uow.items.update(review)

    found = await actions.waiting(store, "tg:100", just.id)
    assert found is not None and found.owner.id == owner.id
    assert [r.id for r in found.open] == [still.id]
    assert sorted(r.id for r in found.answered) == sorted([just.id, before.id])
    assert await actions.waiting(store, "tg:555", just.id) is None  # not a member
    assert await actions.waiting(store, "tg:100", "no-such-review") is None


async def test_review_names_ten_later_cards_one_a_line_and_counts_the_rest(
    store: SqliteStore,
) -> None:
    late_evening = NOW.replace(hour=22, minute=30)  # quiet hours in Warsaw: all go later
    built = await review_workshop(store, owners=12, schedule=NOW)
    result = await actions.start_review_round(
        store, FixedClock(late_evening), FACILITATOR, built.id
    )
    later = str(result.params["later"])
    lines = later.strip().split("\n")
    assert lines[0] == "⏳ 12 more go out at their owners' next working hour:"
    assert lines[1:] == [f"• Owner {i} — 02.06 09:00 (Europe/Warsaw)" for i in range(10)] + [
        "+2 more"
    ]

    ten = await review_workshop(store, owners=10, schedule=NOW)
    result = await actions.start_review_round(store, FixedClock(late_evening), FACILITATOR, ten.id)
    assert "more\n" not in str(result.params["later"]).split(":", 1)[1]
    assert str(result.params["later"]).strip().split("\n")[-1].startswith("• Owner 9 — ")
