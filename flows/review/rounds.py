"""Review rounds: each cycle of reviews belongs to a round, and a round that is answered
(or whose window ended) closes with a new map version."""

from __future__ import annotations

from datetime import datetime, timedelta

from flows.models import MapVersion, Member, Review, ReviewRound, ReviewStatus, Workshop
from flows.ports import UnitOfWork
from flows.review.cycle import rules_for
from flows.review.schedule import next_slot
from flows.workshop.versions import save_version

ROUND_WINDOW_DAYS = 7


async def current_round(
    uow: UnitOfWork,
    workshop: Workshop,
    by: str | None,
    now: datetime,
    window_days: int = ROUND_WINDOW_DAYS,
) -> ReviewRound:
    """The running round, or a new one: each cycle of reviews ends in a map version."""
    rounds = await uow.items.list(workshop.id, ReviewRound)
    running = [r for r in rounds if r.completed_at is None]
    if running:
        return running[0]
    new_round = ReviewRound(
        workshop_id=workshop.id,
        number=len(rounds) + 1,
        started_by=by,
        closes_at=now + timedelta(days=window_days),
        author_id=by,
    )
    await uow.items.add(new_round, actor=by)
    return new_round


async def gather(uow: UnitOfWork, workshop: Workshop, reviews: list[Review], now: datetime) -> None:
    """Reviews falling due on their own schedule join the running round (or open one), so
    the cycle they make ends in a new map version too."""
    if not reviews:
        return
    round_ = await current_round(uow, workshop, None, now)
    for review in reviews:
        if review.round_id is None:
            review.round_id = round_.id


async def start_round(
    uow: UnitOfWork,
    workshop: Workshop,
    by: str | None,
    now: datetime,
    window_days: int = ROUND_WINDOW_DAYS,
) -> tuple[ReviewRound | None, list[Review]]:
    """A review round now (``/review``): every open review joins the running round (or a new
    one) and falls due at its owner's next allowed moment — working day, outside quiet
    hours, after an absence."""
    open_ = [
        r
        for r in await uow.items.list(workshop.id, Review)
        if r.status in (ReviewStatus.SCHEDULED, ReviewStatus.SENT)
    ]
    if not open_:
        return None, []
    round_ = await current_round(uow, workshop, by, now, window_days)
    owners = {m.id: m for m in await uow.items.list(workshop.id, Member)}
    for review in open_:
        review.round_id = round_.id
        if review.status == ReviewStatus.SCHEDULED:
            owner = owners.get(review.owner_id)
            away = owner.away_until if owner else None
            review.due_at = next_slot(now, rules_for(workshop, owner), away_until=away)
            review.snoozed_until = None
        await uow.items.update(review, actor=by)
    return round_, open_


async def finish_round_if_done(
    uow: UnitOfWork, workshop: Workshop, now: datetime
) -> tuple[ReviewRound, MapVersion] | None:
    """Close the running round when all its reviews are answered or its window ended, and
    save a new map version for it. Returns None when there is nothing to close."""
    running = [r for r in await uow.items.list(workshop.id, ReviewRound) if r.completed_at is None]
    if not running:
        return None
    current = running[0]
    reviews = [r for r in await uow.items.list(workshop.id, Review) if r.round_id == current.id]
    answered = all(r.status in (ReviewStatus.DONE, ReviewStatus.CANCELLED) for r in reviews)
    if not answered and now < current.closes_at:
        return None
    version = await save_version(uow, workshop, now, author_id=current.started_by)
    current.completed_at = now
    current.version_id = version.id
    await uow.items.update(current)
    return current, version
