"""The review cycle: each owned touchpoint of a published workshop has one open review in
the database, due by the schedule rules; owners answer it (up to date, a KPI reading, a
pain point, snooze), hand touchpoints over, or mark an absence.

Every function here works inside the caller's unit of work (``uow``), so an answer and
the next review it schedules commit together. The scheduler (bot/reminders.py) only
carries ids and reloads from here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flows.models import (
    Handover,
    HandoverStatus,
    Kpi,
    KpiReading,
    Member,
    Review,
    ReviewOutcome,
    ReviewStatus,
    Touchpoint,
    Workshop,
    WorkshopStatus,
)
from flows.ports import UnitOfWork
from flows.review.schedule import ReminderRules, due_at, next_slot

SNOOZE_DAYS = 7
OPEN = (ReviewStatus.SCHEDULED, ReviewStatus.SENT)


class ReviewError(Exception):
    """A review action that cannot be done; ``key`` is the message key explaining why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def rules_for(workshop: Workshop, owner: Member | None) -> ReminderRules:
    return ReminderRules(
        timezone=(owner.timezone if owner and owner.timezone else workshop.timezone),
        reminder_time=workshop.reminder_time,
        working_days=frozenset(workshop.working_days),
        quiet_start=workshop.quiet_start,
        quiet_end=workshop.quiet_end,
    )


def next_due(
    workshop: Workshop,
    touchpoint: Touchpoint,
    owner: Member | None,
    since: datetime,
) -> datetime:
    cadence = touchpoint.review_cadence_days or workshop.review_cadence_days
    return due_at(
        since,
        cadence,
        rules_for(workshop, owner),
        away_until=owner.away_until if owner else None,
    )


async def open_reviews(uow: UnitOfWork, workshop_id: str) -> list[Review]:
    """Scheduled or sent reviews, through the schedule index (never every review written)."""
    return await uow.items.open_reviews(workshop_id)


async def schedule_workshop(uow: UnitOfWork, workshop: Workshop, now: datetime) -> list[Review]:
    """Make sure every owned touchpoint has exactly one open review for its current owner.
    Idempotent: calling it twice (two starts on one database) changes nothing."""
    if workshop.status != WorkshopStatus.PUBLISHED:
        return []
    members = {m.id: m for m in await uow.items.list(workshop.id, Member)}
    current = {r.touchpoint_id: r for r in await open_reviews(uow, workshop.id)}
    created = []
    for tp in await uow.items.list(workshop.id, Touchpoint):
        review = current.pop(tp.id, None)
        if review is not None and review.owner_id == tp.owner_id:
            continue
        if review is not None:  # owner changed: the old review no longer stands
            review.status = ReviewStatus.CANCELLED
            await uow.items.update(review)
        if tp.owner_id and tp.owner_id in members:
            since = tp.last_confirmed_at or now
            new = Review(
                workshop_id=workshop.id,
                touchpoint_id=tp.id,
                owner_id=tp.owner_id,
                due_at=next_due(workshop, tp, members[tp.owner_id], since),
            )
            await uow.items.add(new)
            created.append(new)
    for orphan in current.values():  # touchpoint deleted
        orphan.status = ReviewStatus.CANCELLED
        await uow.items.update(orphan)
    return created


async def cancel_open(uow: UnitOfWork, workshop_id: str) -> int:
    """The workshop closed: its open reviews will not be asked."""
    found = await open_reviews(uow, workshop_id)
    for review in found:
        review.status = ReviewStatus.CANCELLED
        await uow.items.update(review)
    return len(found)


STUCK_AFTER = timedelta(minutes=10)


async def due_reviews(uow: UnitOfWork, workshop_id: str, now: datetime) -> list[Review]:
    """Scheduled reviews of a workshop whose time has come, in due order."""
    return await uow.items.due_reviews(now, workshop_id=workshop_id)


async def to_send(
    uow: UnitOfWork,
    now: datetime,
    *,
    owners: int,
    workshop_id: str | None = None,
    except_owners: Collection[str] = (),
) -> list[Review]:
    """What to send now, for at most ``owners`` owners (each with all their due reviews),
    across published workshops, through the schedule index: scheduled reviews due by
    ``now``, and those claimed over ``STUCK_AFTER`` ago but neither delivered nor handed
    to Telegram (a pass that failed and whose claims nobody released), leaving out
    ``except_owners``. The caller claims them (:func:`mark_sent`) in the same
    transaction."""
    return await uow.items.due_reviews(
        now,
        stuck_before=now - STUCK_AFTER,
        workshop_id=workshop_id,
        owners=owners,
        except_owners=except_owners,
    )


async def mark_sent(
    uow: UnitOfWork, reviews: list[Review], now: datetime, claim: str | None = None
) -> None:
    """Claim the reviews for sending, by the delivery pass ``claim`` (its fence token)."""
    for review in reviews:
        review.status = ReviewStatus.SENT
        review.sent_at = now
        review.claim = claim
        await uow.items.update(review)


async def release_claims(uow: UnitOfWork, now: datetime, keep: str | None = None) -> int:
    """The claims of delivery passes that are gone (every pass but ``keep``'s): a review
    handed to Telegram counts as delivered (it may have reached the person: at most once);
    one never handed over is scheduled again, to go at once. Returns how many were
    released."""
    released = 0
    for review, handed in await uow.items.open_claims(keep):
        if handed:
            review.delivered_at = review.sent_at or now
        else:
            review.status = ReviewStatus.SCHEDULED
            review.sent_at = review.claim = None
            released += 1
        await uow.items.update(review)
    return released


@dataclass
class OpenReview:
    """A review checked to be open and the owner's, with what its card shows."""

    workshop: Workshop
    review: Review
    touchpoint: Touchpoint
    owner: Member


async def load_review(uow: UnitOfWork, review_id: str, member: Member) -> OpenReview:
    """The review, checked to be open and to belong to ``member``."""
    review = await uow.items.get(Review, review_id)
    if review is None or review.workshop_id != member.workshop_id:
        raise ReviewError("review.error.unknown")
    if review.owner_id != member.id:
        raise ReviewError("review.error.not_owner")
    if review.status not in OPEN:
        raise ReviewError("review.error.closed")
    workshop = await uow.workshops.get(review.workshop_id)
    touchpoint = await uow.items.get(Touchpoint, review.touchpoint_id)
    if workshop is None or touchpoint is None or touchpoint.deleted_at is not None:
        raise ReviewError("review.error.unknown")
    if workshop.status != WorkshopStatus.PUBLISHED:
        raise ReviewError("review.error.closed")
    return OpenReview(workshop, review, touchpoint, member)


async def _close(uow: UnitOfWork, ctx: OpenReview, outcome: ReviewOutcome, now: datetime) -> Review:
    """Close the review, confirm the touchpoint and its KPIs, schedule the next one."""
    ctx.review.status = ReviewStatus.DONE
    ctx.review.outcome = outcome
    ctx.review.answered_at = now
    await uow.items.update(ctx.review, actor=ctx.owner.id)
    ctx.touchpoint.last_confirmed_at = now
    await uow.items.update(ctx.touchpoint, actor=ctx.owner.id)
    for kpi in await uow.items.list(ctx.workshop.id, Kpi):
        if kpi.touchpoint_id == ctx.touchpoint.id:
            kpi.last_confirmed_at = now
            await uow.items.update(kpi, actor=ctx.owner.id)
    following = Review(
        workshop_id=ctx.workshop.id,
        touchpoint_id=ctx.touchpoint.id,
        owner_id=ctx.owner.id,
        due_at=next_due(ctx.workshop, ctx.touchpoint, ctx.owner, now),
    )
    await uow.items.add(following)
    return following


async def confirm(uow: UnitOfWork, review_id: str, member: Member, now: datetime) -> Review:
    ctx = await load_review(uow, review_id, member)
    return await _close(uow, ctx, ReviewOutcome.UP_TO_DATE, now)


async def record_kpi(
    uow: UnitOfWork, review_id: str, member: Member, kpi_id: str, value: float, now: datetime
) -> Review:
    ctx = await load_review(uow, review_id, member)
    kpi = await uow.items.get(Kpi, kpi_id)
    if kpi is None or kpi.touchpoint_id != ctx.touchpoint.id or kpi.deleted_at is not None:
        raise ReviewError("review.error.unknown_kpi")
    reading = KpiReading(
        workshop_id=ctx.workshop.id,
        kpi_id=kpi.id,
        value=value,
        at=now,
        author_id=member.id,
        department_id=member.department_id,
        source="review",
    )
    await uow.items.add(reading, actor=member.id)
    return await _close(uow, ctx, ReviewOutcome.KPI_UPDATED, now)


async def pain_added(uow: UnitOfWork, review_id: str, member: Member, now: datetime) -> Review:
    ctx = await load_review(uow, review_id, member)
    return await _close(uow, ctx, ReviewOutcome.PAIN_ADDED, now)


async def snooze(uow: UnitOfWork, review_id: str, member: Member, now: datetime) -> Review:
    ctx = await load_review(uow, review_id, member)
    until = now + timedelta(days=SNOOZE_DAYS)
    ctx.review.snoozed_until = until
    ctx.review.status = ReviewStatus.SCHEDULED
    ctx.review.sent_at = ctx.review.delivered_at = ctx.review.claim = None
    rules = rules_for(ctx.workshop, member)
    ctx.review.due_at = next_slot(until, rules, away_until=member.away_until)
    await uow.items.update(ctx.review, actor=member.id)
    return ctx.review


def planned(
    workshop: Workshop, touchpoint: Touchpoint, owner: Member, review: Review, now: datetime
) -> datetime:
    """When a scheduled review should go by the owner's current settings (zone, absence)
    and the workshop's (reminder time, working days, quiet hours), never before now: one
    in a review round at the owner's next allowed moment, else by its cadence; a snooze
    holds either until it ends."""
    rules = rules_for(workshop, owner)
    if review.round_id is not None:
        earliest = max(now, review.snoozed_until or now)
        return next_slot(earliest, rules, away_until=owner.away_until)
    since = touchpoint.last_confirmed_at or review.created_at
    cadence = touchpoint.review_cadence_days or workshop.review_cadence_days
    when = due_at(
        since,
        cadence,
        rules,
        away_until=owner.away_until,
        snoozed_until=review.snoozed_until,
    )
    return when if when >= now else next_slot(now, rules, away_until=owner.away_until)


async def replan(uow: UnitOfWork, member: Member, now: datetime) -> list[Review]:
    """Re-plan the member's scheduled reviews after their settings changed; returns those
    whose time moved (what is now due is due now)."""
    workshop = await uow.workshops.get(member.workshop_id)
    if workshop is None:
        return []
    moved = []
    for review in await uow.items.open_reviews(member.workshop_id, member.id):
        if review.status != ReviewStatus.SCHEDULED:
            continue
        touchpoint = await uow.items.get(Touchpoint, review.touchpoint_id)
        if touchpoint is None:
            continue
        when = planned(workshop, touchpoint, member, review, now)
        if when != review.due_at:
            review.due_at = when
            await uow.items.update(review, actor=member.id)
            moved.append(review)
    return moved


async def replan_workshop(uow: UnitOfWork, workshop: Workshop, now: datetime) -> list[Review]:
    """The workshop's reminder time, working days or quiet hours changed: every owner's
    scheduled reviews follow; returns those that moved."""
    moved = []
    for member in await uow.items.list(workshop.id, Member):
        moved += await replan(uow, member, now)
    return moved


async def set_timezone(
    uow: UnitOfWork, member: Member, timezone: str, now: datetime
) -> list[Review]:
    """The owner's own time zone: their scheduled reviews move to its reminder time, and
    one whose time has come in the new zone is due now."""
    member.timezone = timezone
    await uow.items.update(member, actor=member.id)
    return await replan(uow, member, now)


async def set_away(
    uow: UnitOfWork, member: Member, until: date | None, now: datetime
) -> list[Review]:
    """Mark an absence (None ends it): scheduled reviews of the member wait until after it;
    when it ends they go back to their plan (what is due by then goes now)."""
    member.away_until = until
    await uow.items.update(member, actor=member.id)
    workshop = await uow.workshops.get(member.workshop_id)
    if workshop is None or until is None:
        return await replan(uow, member, now)
    rules = rules_for(workshop, member)
    moved = []
    for review in await uow.items.open_reviews(member.workshop_id, member.id):
        if review.status == ReviewStatus.SCHEDULED:
            review.due_at = next_slot(max(review.due_at, now), rules, away_until=until)
            await uow.items.update(review, actor=member.id)
            moved.append(review)
    return moved


async def offer_handover(
    uow: UnitOfWork, touchpoint_id: str, owner: Member, to: Member
) -> Handover:
    touchpoint = await uow.items.get(Touchpoint, touchpoint_id)
    if touchpoint is None or touchpoint.workshop_id != owner.workshop_id:
        raise ReviewError("review.error.unknown")
    if touchpoint.owner_id != owner.id:
        raise ReviewError("review.error.not_owner")
    gone = to.deleted_at is not None or to.person_id is None
    if to.workshop_id != owner.workshop_id or to.id == owner.id or gone:
        raise ReviewError("review.error.bad_handover")
    offer = Handover(
        workshop_id=owner.workshop_id,
        touchpoint_id=touchpoint_id,
        from_id=owner.id,
        to_id=to.id,
        author_id=owner.id,
        department_id=owner.department_id,
    )
    await uow.items.add(offer, actor=owner.id)
    return offer


async def answer_handover(
    uow: UnitOfWork, handover_id: str, member: Member, accept: bool, now: datetime
) -> Handover:
    offer = await uow.items.get(Handover, handover_id)
    if offer is None or offer.to_id != member.id:
        raise ReviewError("review.error.unknown")
    if offer.status != HandoverStatus.PENDING:
        raise ReviewError("review.error.closed")
    touchpoint = await uow.items.get(Touchpoint, offer.touchpoint_id)
    if touchpoint is None or touchpoint.deleted_at is not None:
        raise ReviewError("review.error.unknown")
    if accept and touchpoint.owner_id != offer.from_id:  # handed to someone else meanwhile
        offer.status, offer.answered_at = HandoverStatus.DECLINED, now
        await uow.items.update(offer)
        raise ReviewError("review.error.closed")
    offer.status = HandoverStatus.ACCEPTED if accept else HandoverStatus.DECLINED
    offer.answered_at = now
    await uow.items.update(offer, actor=member.id)
    if accept:
        await _withdraw_other_offers(uow, offer, now)
        workshop = await uow.workshops.get(offer.workshop_id)
        touchpoint.owner_id = member.id
        await uow.items.update(touchpoint, actor=member.id)
        if workshop is not None:
            await schedule_workshop(uow, workshop, now)
    return offer


async def _withdraw_other_offers(uow: UnitOfWork, accepted: Handover, now: datetime) -> None:
    for other in await uow.items.list(accepted.workshop_id, Handover):
        same = other.touchpoint_id == accepted.touchpoint_id and other.id != accepted.id
        if same and other.status == HandoverStatus.PENDING:
            other.status, other.answered_at = HandoverStatus.DECLINED, now
            await uow.items.update(other)


async def overdue(
    uow: UnitOfWork, workshop_id: str, now: datetime, after_days: int
) -> list[Review]:
    """Sent reviews not answered within ``after_days``."""
    limit = now - timedelta(days=after_days)
    return [
        r
        for r in await open_reviews(uow, workshop_id)
        if r.status == ReviewStatus.SENT and r.sent_at is not None and r.sent_at <= limit
    ]
