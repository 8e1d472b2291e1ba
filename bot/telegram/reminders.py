"""Review reminders through python-telegram-bot's JobQueue (APScheduler 3).

The schedule lives in the database (``Review.due_at``); jobs are only alarms. At start
every open review gets a job named ``review:{workshop}:{touchpoint}`` carrying ids only
(rebuilding replaces a job of the same name, so two starts give one job per touchpoint),
with ``coalesce`` and no misfire limit. A sweeper runs every minute and delivers anything
due that no job fired for — e.g. what fell due while the bot was down — and also closes
review rounds, sends the weekly digest and nudges.

Delivery claims the due reviews in one transaction (status ``sent``) before sending, so a
job and the sweeper firing together send once; a send that fails with a network error is
released for the next sweep; a person who blocked the bot is marked unreachable by the
delivery.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, ContextTypes, Job

from bot.telegram.delivery import send
from bot.telegram.review_cards import Cards
from bot.telegram.services import Services
from flows.models import Member, Person, Review, ReviewStatus, WorkshopStatus
from flows.review import cycle as review
from flows.review.rounds import gather
from flows.workshop.queries import load_map

log = logging.getLogger(__name__)
SWEEPER = "review-sweeper"
ARMED = "review_jobs"
UPDATE_MEMORY_DAYS = 3  # how long a processed update id is remembered against redelivery
PARALLEL_SENDS = 8  # sends in flight at once; the rate limiter sets the pace


def job_name(workshop_id: str, touchpoint_id: str) -> str:
    return f"review:{workshop_id}:{touchpoint_id}"


def _services(app: Application) -> Services:
    return app.bot_data["services"]


async def rebuild(app: Application) -> int:
    """At start: schedule every published workshop from the database; returns the jobs."""
    svc = _services(app)
    now = svc.clock.now()
    async with svc.store.write() as uow:
        workshops = [
            w for w in await uow.workshops.list_all() if w.status == WorkshopStatus.PUBLISHED
        ]
        pending: list[Review] = []
        for workshop in workshops:
            await review.schedule_workshop(uow, workshop, now)
            pending += [
                r
                for r in await review.open_reviews(uow, workshop.id)
                if r.status == ReviewStatus.SCHEDULED
            ]
    for item in pending:
        arm(app, item)
    queue = app.job_queue
    assert queue is not None, "install python-telegram-bot[job-queue]"
    for job in queue.get_jobs_by_name(SWEEPER):
        job.schedule_removal()
    queue.run_repeating(sweep, interval=svc.settings.review_sweep_seconds, first=1.0, name=SWEEPER)
    return len(pending)


def arm(app: Application, item: Review) -> None:
    """(Re)place the alarm of one touchpoint's review. The jobs by name are kept in
    ``bot_data`` so that re-arming is O(1) even with thousands of touchpoints."""
    queue = app.job_queue
    assert queue is not None
    name = job_name(item.workshop_id, item.touchpoint_id)
    armed: dict[str, Job[Any]] = app.bot_data.setdefault(ARMED, {})
    old = armed.pop(name, None)
    if old is not None and not old.removed:
        with suppress(JobLookupError):  # it already ran
            old.schedule_removal()
    now = _services(app).clock.now()
    armed[name] = queue.run_once(
        on_due,
        when=max(item.due_at, now + timedelta(seconds=1)),
        name=name,
        data={"workshop": item.workshop_id, "touchpoint": item.touchpoint_id},
        job_kwargs={"coalesce": True, "misfire_grace_time": None},
    )


async def schedule_workshop(app: Application, workshop_id: str) -> None:
    """After publishing or an ownership change: store the schedule and arm its alarms."""
    svc = _services(app)
    async with svc.store.write() as uow:
        workshop = await uow.workshops.get(workshop_id)
        if workshop is None:
            return
        await review.schedule_workshop(uow, workshop, svc.clock.now())
        items = [
            r
            for r in await review.open_reviews(uow, workshop_id)
            if r.status == ReviewStatus.SCHEDULED
        ]
    for item in items:
        arm(app, item)


async def on_due(context: ContextTypes.DEFAULT_TYPE) -> None:
    data = context.job.data if context.job else None
    if isinstance(data, dict):
        await deliver_due(context.application, str(data["workshop"]))


async def sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    from bot.telegram.notify import send_summaries
    from bot.telegram.review_rounds import close_rounds, send_digests, send_nudges
    from bot.telegram.rules_run import run_rules

    app = context.application
    svc = _services(app)
    async with svc.store.write() as uow:
        await uow.updates.forget_before(svc.clock.now() - timedelta(days=UPDATE_MEMORY_DAYS))
        workshops = await uow.workshops.list_all()
    for workshop in workshops:
        try:
            if workshop.status == WorkshopStatus.PUBLISHED:
                await deliver_due(app, workshop.id)
                await close_rounds(app, workshop.id)
                await send_digests(app, workshop.id)
            elif workshop.status == WorkshopStatus.COLLECTING:
                await send_nudges(app, workshop.id)
        except Exception:
            log.exception("sweeping workshop %s failed", workshop.id)
    await run_rules(app)  # the facilitators' rules, once per sweep
    await send_summaries(app)  # the facilitators' daily summary of who finished


async def deliver_due(app: Application, workshop_id: str) -> int:
    """Send every due review of a workshop, one message per owner; returns messages sent."""
    svc = _services(app)
    now = svc.clock.now()
    async with svc.store.write() as uow:
        workshop = await uow.workshops.get(workshop_id)
        if workshop is None or workshop.status != WorkshopStatus.PUBLISHED:
            return 0  # closed meanwhile: its alarms ring into nothing
        due = await review.due_reviews(uow, workshop_id, now)
        due += await _stuck(uow, workshop_id, now)
        await gather(uow, workshop, due, now)
        await review.mark_sent(uow, due, now)
    if not due:
        return 0
    by_owner: dict[str, list[Review]] = defaultdict(list)
    for item in due:
        by_owner[item.owner_id].append(item)
    cards = Cards(await load_map(svc.store, workshop_id, at=now))
    gate = asyncio.Semaphore(PARALLEL_SENDS)

    async def one(owner_id: str, items: list[Review]) -> int:
        async with gate:
            return await _deliver(app, cards, owner_id, items)

    return sum(await asyncio.gather(*(one(o, i) for o, i in by_owner.items())))


async def _stuck(uow: object, workshop_id: str, now: datetime) -> list[Review]:
    """Claimed for sending over 10 minutes ago but never delivered: the bot died in
    between. They go again (the only case where a person could get a reminder twice)."""
    limit = now - timedelta(minutes=10)
    items = await uow.items.list(workshop_id, Review)  # type: ignore[attr-defined]
    return [
        r
        for r in items
        if r.status == ReviewStatus.SENT
        and r.delivered_at is None
        and r.sent_at is not None
        and r.sent_at < limit
    ]


async def _deliver(app: Application, cards: Cards, owner_id: str, items: list[Review]) -> int:
    svc = _services(app)
    async with svc.store.read() as uow:
        owner = await uow.items.get(Member, owner_id)
        person: Person | None = (
            await uow.people.get(owner.person_id) if owner and owner.person_id else None
        )
    if owner is None or person is None or person.chat_id is None or person.unreachable:
        await _settle(svc, items)  # nobody to send to: the digest lists them instead
        return 0
    lang = person.language or svc.settings.default_language
    text, markup = cards.message(owner, items, lang)
    try:
        sent = await send(app, person.chat_id, text, markup, person_id=person.id)
    except BadRequest:  # our message is wrong: sending it again would fail again
        log.exception("review reminder to %s refused by Telegram", owner_id)
        sent = None
    except TelegramError as exc:
        log.warning("review reminder to %s failed (%s); will retry", owner_id, exc)
        await _release(svc, items)
        return 0
    await _settle(svc, items)  # delivered, or never will be (blocked, refused)
    return 0 if sent is None else 1


async def _release(svc: Services, items: list[Review]) -> None:
    async with svc.store.write() as uow:
        for item in items:
            fresh = await uow.items.get(Review, item.id)
            if fresh is not None and fresh.status == ReviewStatus.SENT:
                fresh.status = ReviewStatus.SCHEDULED
                fresh.sent_at = None
                await uow.items.update(fresh)


async def _settle(svc: Services, items: list[Review]) -> None:
    """Delivered (or nobody to deliver to): the sweeper must not claim these again."""
    now = svc.clock.now()
    async with svc.store.write() as uow:
        for item in items:
            fresh = await uow.items.get(Review, item.id)
            if fresh is not None:
                fresh.delivered_at = now
                await uow.items.update(fresh)
