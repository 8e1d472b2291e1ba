"""Review reminders: one scheduler path, fed by the schedule index, through
python-telegram-bot's JobQueue (APScheduler 3).

The schedule lives in the database (``Review.due_at``, indexed in ``review_due``); the
JobQueue holds one wake-up (:data:`WAKE`), armed for the earliest due time and moved
earlier whenever a review is scheduled before it — never a job per review. When it
rings, a delivery pass (:func:`deliver_due`) runs in batches: claim what is due for up to
:data:`BATCH_OWNERS` owners across all workshops in one short write transaction (status
``sent``, so two passes never send the same review), render and send outside any
transaction, paced by the bot's rate limiter with a few sends in flight, settle the batch
in one more short transaction, repeat until nothing is due; then the wake-up is re-armed
for the next due time. A send that never left (no connection) is released for the next
pass; one that may have reached Telegram (the answer was lost) counts as delivered; a
person who blocked the bot is marked unreachable by the delivery.

Exactly once across a crash: each pass claims with a token of its own (``Review.claim``).
Just before an owner's message leaves — after the rate limiter let it through — its
reviews are marked "handed to Telegram" in one conditional write, only while the claim is
still the pass's (bot/telegram/retrying_request.py: the send's gate); when that fails,
nothing is sent. A review handed over counts as delivered (at most once, as for a timeout
after delivery). When an instance becomes the leader, and at start, the claims of other
passes that were never handed over are released (:func:`rebuild`), so a dead leader's
unsent reminders go within seconds, and its sent ones do not go again. A claim nobody
released (a pass that failed) goes again after ten minutes.

A sweeper runs every ``review_sweep_seconds``: a delivery pass (what no wake-up caught),
review rounds that ended, a bounded number of weekly digests, nudges, then the per-sweep
hooks (:func:`add_sweep_hook`, e.g. rules that act on the living map).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, ContextTypes, Job

from bot.telegram.delivery import send
from bot.telegram.leadership import leads
from bot.telegram.retrying_request import Fenced, gated, maybe_delivered
from bot.telegram.review_cards import Cards
from bot.telegram.services import Services
from flows.models import Member, Person, Review, ReviewStatus, Workshop, WorkshopStatus
from flows.ports import UnitOfWork
from flows.review import cycle as review
from flows.review.rounds import gather
from flows.workshop.queries import load_map

log = logging.getLogger(__name__)
SWEEPER = "review-sweeper"
WAKE = "review-wake"  # the one alarm: the earliest due time
_WAKE_JOB = "review_wake_job"
_WAKE_AT = "review_wake_at"
_PASS = "review_pass"  # the lock of the delivery pass running now
_CLAIM = "review_pass_claim"  # the claim token of the delivery pass running now
_HOOKS = "review_sweep_hooks"
UPDATE_MEMORY_DAYS = 3  # how long a processed update id is remembered against redelivery
BATCH_OWNERS = 40  # owners claimed in one transaction (~1.5 s of sending at 28 a second)
PARALLEL_SENDS = 3  # sends in flight at once; the rate limiter sets the pace
RETRY_AFTER = timedelta(seconds=30)  # a send failed on the network: the next try
MAP_FRESH_SECONDS = 300.0  # a pass re-reads a workshop's map for its cards this often

SweepHook = Callable[[Application], Awaitable[Any]]


def _services(app: Application) -> Services:
    return app.bot_data["services"]


# ----------------------------------------------------------------------- start and alarm


async def rebuild(app: Application) -> int:
    """At start: repair the schedule of published workshops whose open reviews do not
    match their touchpoints (found by one query), arm the wake-up for the earliest due
    time and the sweeper. Returns how many workshops needed scheduling."""
    svc = _services(app)
    now = svc.clock.now()
    async with svc.store.write() as uow:
        if await leads(app):  # what a pass that is gone claimed and never handed over
            released = await review.release_claims(uow, now, keep=app.bot_data.get(_CLAIM))
            if released:
                log.info("released %d review reminders claimed by a pass that is gone", released)
        repaired = await uow.items.unscheduled_workshops()
        for workshop_id in repaired:
            workshop = await uow.workshops.get(workshop_id)
            if workshop is not None:
                await review.schedule_workshop(uow, workshop, now)
    queue = app.job_queue
    assert queue is not None, "install python-telegram-bot[job-queue]"
    app.bot_data.pop(_WAKE_AT, None)
    await wake(app)
    for job in queue.get_jobs_by_name(SWEEPER):
        job.schedule_removal()
    queue.run_repeating(sweep, interval=svc.settings.review_sweep_seconds, first=1.0, name=SWEEPER)
    return len(repaired)


async def wake(app: Application, not_before: datetime | None = None) -> datetime | None:
    """Arm the wake-up for the earliest scheduled review (if before the armed one), or
    ``not_before`` if that is later (after a network failure: not in a tight loop)."""
    async with _services(app).store.read() as uow:
        first = await uow.items.next_review_due()
    if first is not None:
        wake_by(app, first if not_before is None else max(first, not_before))
    return first


def wake_by(app: Application, when: datetime) -> None:
    """Make sure the wake-up rings by ``when`` (at once if that has passed): moved
    earlier when it is armed later, left alone otherwise."""
    queue = app.job_queue
    assert queue is not None
    armed_at: datetime | None = app.bot_data.get(_WAKE_AT)
    if armed_at is not None and armed_at <= when:
        return
    _unarm(app)
    app.bot_data[_WAKE_AT] = when
    app.bot_data[_WAKE_JOB] = queue.run_once(
        on_wake,
        when=max(when, _services(app).clock.now()),
        name=WAKE,
        job_kwargs={"coalesce": True, "misfire_grace_time": None},
    )


def _unarm(app: Application) -> None:
    old: Job[Any] | None = app.bot_data.pop(_WAKE_JOB, None)
    if old is not None and not old.removed:
        with suppress(JobLookupError):  # it already ran
            old.schedule_removal()


def arm(app: Application, item: Review) -> None:
    """A review was (re)scheduled: the wake-up rings by its due time."""
    if item.status == ReviewStatus.SCHEDULED:
        wake_by(app, item.due_at)


async def schedule_workshop(app: Application, workshop_id: str) -> None:
    """After publishing or an ownership change: store the schedule, move the wake-up."""
    svc = _services(app)
    async with svc.store.write() as uow:
        workshop = await uow.workshops.get(workshop_id)
        if workshop is None:
            return
        created = await review.schedule_workshop(uow, workshop, svc.clock.now())
    for item in created:
        arm(app, item)


async def replan_workshop(app: Application, workshop_id: str) -> int:
    """The workshop's reminder time, working days or quiet hours changed: every pending
    card follows at once (what is due by the new rules goes now); returns how many moved."""
    svc = _services(app)
    async with svc.store.write() as uow:
        workshop = await uow.workshops.get(workshop_id)
        if workshop is None or workshop.status != WorkshopStatus.PUBLISHED:
            return 0
        moved = await review.replan_workshop(uow, workshop, svc.clock.now())
    if moved:  # earlier or later: the wake-up for the earliest as it is now
        await _rearm(app, retry=False)
    return len(moved)


async def on_wake(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The wake-up rang: a delivery pass (which arms the next wake-up when it ends)."""
    await _run_pass(context.application, None)


async def _rearm(app: Application, retry: bool) -> None:
    """After a pass: the wake-up for the earliest review still scheduled — replacing
    whatever was armed meanwhile — and not before :data:`RETRY_AFTER` when something
    failed on the network (no tight loop while Telegram is out of reach)."""
    app.bot_data.pop(_WAKE_AT, None)
    _unarm(app)
    await wake(app, not_before=_services(app).clock.now() + RETRY_AFTER if retry else None)


# ------------------------------------------------------------------------------ sweeping


def add_sweep_hook(app: Application, hook: SweepHook) -> None:
    """Run ``hook(app)`` at the end of every sweep (rules on the living map, ...)."""
    app.bot_data.setdefault(_HOOKS, []).append(hook)


async def run_sweep_hooks(app: Application) -> None:
    """The per-sweep hooks, each on its own: one that fails does not stop the others."""
    for hook in list(app.bot_data.get(_HOOKS, [])):
        try:
            await hook(app)
        except Exception:
            log.exception("sweep hook %s failed", getattr(hook, "__name__", hook))


async def sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    from bot.telegram.review_rounds import (
        DIGESTS_PER_SWEEP,
        close_rounds,
        send_digests,
        send_nudges,
    )

    app = context.application
    if not await leads(app):  # another instance runs the scheduler
        return
    svc = _services(app)
    async with svc.store.write() as uow:
        await uow.updates.forget_before(svc.clock.now() - timedelta(days=UPDATE_MEMORY_DAYS))
    async with svc.store.read() as uow:
        workshops = await uow.workshops.list_all()
    try:
        await deliver_due(app)
    except Exception:
        log.exception("delivering due reviews failed")
    digests = 0
    for workshop in workshops:
        try:
            if workshop.status == WorkshopStatus.PUBLISHED:
                await close_rounds(app, workshop.id)
                if digests < DIGESTS_PER_SWEEP and await send_digests(app, workshop.id):
                    digests += 1
            elif workshop.status == WorkshopStatus.COLLECTING:
                await send_nudges(app, workshop.id)
        except Exception:
            log.exception("sweeping workshop %s failed", workshop.id)
    await run_sweep_hooks(app)


# ------------------------------------------------------------------------------ delivery


@dataclass
class _Pass:
    """One delivery pass: the cards of each workshop, read once (again after
    :data:`MAP_FRESH_SECONDS`); what it sent; what waits to be settled; the owners it released."""

    app: Application
    workshop_id: str | None
    claim: str = field(default_factory=lambda: uuid.uuid4().hex)  # its fence token
    cards: dict[str, tuple[float, Cards]] = field(default_factory=dict)
    fenced: bool = False  # its claims were released meanwhile: it claims no more
    sent: int = 0
    settled: list[Review] = field(default_factory=list)  # delivered, or never will be
    released: list[Review] = field(default_factory=list)  # failed on the network
    released_owners: set[str] = field(default_factory=set)

    async def cards_of(self, workshop_id: str, now: datetime) -> Cards:
        read_at, cards = self.cards.get(workshop_id, (0.0, None))  # type: ignore[arg-type]
        if cards is None or time.monotonic() - read_at > MAP_FRESH_SECONDS:
            cards = Cards(await load_map(_services(self.app).store, workshop_id, at=now))
            self.cards[workshop_id] = (time.monotonic(), cards)
        return cards


async def deliver_due(app: Application, workshop_id: str | None = None) -> int:
    """Send every due review (of one workshop, or all), one message per owner, in batches;
    returns the messages sent. While a pass runs another returns 0 at once: the running
    one goes on until nothing is due."""
    run = await _run_pass(app, workshop_id)
    return 0 if run is None else run.sent


async def _run_pass(app: Application, workshop_id: str | None) -> _Pass | None:
    """Claim and send until nothing is due; then arm the next wake-up."""
    lock: asyncio.Lock = app.bot_data.setdefault(_PASS, asyncio.Lock())
    if lock.locked() or not await leads(app):
        return None
    async with lock:
        run = _Pass(app, workshop_id)
        app.bot_data[_CLAIM] = run.claim
        try:
            await _send_all(run)
        finally:
            app.bot_data.pop(_CLAIM, None)
            await _rearm(app, retry=bool(run.released_owners))
        return run


async def _send_all(run: _Pass) -> None:
    """A few senders take owners from a queue as the rate limiter lets them; the next batch
    is claimed (in the transaction that settles what went meanwhile) when the queue runs
    low, so sending never waits for the database and the database never waits for
    sending. An owner whose send failed on the network is not claimed again this pass."""
    svc = _services(run.app)
    queue: asyncio.Queue[list[Review] | None] = asyncio.Queue(maxsize=BATCH_OWNERS)

    async def sender() -> None:
        while (items := await queue.get()) is not None:
            try:
                outcome = await _deliver(run, items)
            except Exception:  # left claimed: they go again once the claim is stale
                log.exception("review reminder to %s failed", items[0].owner_id)
                continue
            if outcome is None:
                run.released += items
                run.released_owners.add(items[0].owner_id)
            elif outcome == NOT_OURS:  # released meanwhile: another pass sends them
                run.fenced = True
            else:
                run.settled += items
                run.sent += outcome

    senders = [asyncio.create_task(sender()) for _ in range(PARALLEL_SENDS)]
    try:
        try:
            while not run.fenced and (due := await _claim(svc, run)):
                by_owner: dict[str, list[Review]] = defaultdict(list)
                for item in due:
                    by_owner[item.owner_id].append(item)
                for items in by_owner.values():
                    await queue.put(items)
        finally:  # what was claimed is sent, even when claiming more failed
            for _ in senders:
                await queue.put(None)
            await asyncio.gather(*senders)
    finally:
        for task in senders:
            task.cancel()  # cancelled from outside: claimed, they go once stale
        await _settle(svc, run)


async def _claim(svc: Services, run: _Pass) -> list[Review]:
    """Settle what went since the last claim, and claim (status ``sent``) the due reviews
    of up to :data:`BATCH_OWNERS` more owners — one short transaction; they join their
    workshop's running review round."""
    now = svc.clock.now()
    settled, released = len(run.settled), len(run.released)
    leading = await leads(run.app)  # another instance took over: claim no more
    async with svc.store.write() as uow:
        await _settle_in(uow, run.settled[:settled], run.released[:released], now)
        if not leading:
            del run.settled[:settled], run.released[:released]
            return []
        due = await review.to_send(
            uow,
            now,
            owners=BATCH_OWNERS,
            workshop_id=run.workshop_id,
            except_owners=run.released_owners,
        )
        by_workshop: dict[str, list[Review]] = defaultdict(list)
        for item in due:
            by_workshop[item.workshop_id].append(item)
        for ws_id, items in by_workshop.items():
            workshop: Workshop | None = await uow.workshops.get(ws_id)
            if workshop is not None:
                await gather(uow, workshop, items, now)
        await review.mark_sent(uow, due, now, claim=run.claim)
    del run.settled[:settled], run.released[:released]  # committed: only what came since
    return due


NOT_OURS = -1  # what _deliver says when the pass's claim on the reviews was released


async def _deliver(run: _Pass, items: list[Review]) -> int | None:
    """One owner's message: 1 sent, 0 when it never will be (nobody to send to, blocked,
    refused), None when it failed on the network and should go again, :data:`NOT_OURS`
    when the claim was released meanwhile (nothing sent). The reviews are marked handed to
    Telegram just before the request leaves, if the claim is still this pass's."""
    app, svc = run.app, _services(run.app)
    owner_id = items[0].owner_id
    async with svc.store.read() as uow:
        owner = await uow.items.get(Member, owner_id)
        person: Person | None = (
            await uow.people.get(owner.person_id) if owner and owner.person_id else None
        )
    if owner is None or person is None or person.chat_id is None or person.unreachable:
        return 0  # nobody to send to: the digest lists them instead
    lang = person.language or svc.settings.default_language
    try:
        cards = await run.cards_of(items[0].workshop_id, svc.clock.now())
        text, markup = cards.message(owner, items, lang)
        with gated(lambda: _hand_over(svc, run, items)):
            sent = await send(app, person.chat_id, text, markup, person_id=person.id)
    except Fenced:
        log.info("review reminder to %s not sent: claimed by another pass", owner_id)
        return NOT_OURS
    except BadRequest:  # our message is wrong: sending it again would fail again
        log.exception("review reminder to %s refused by Telegram", owner_id)
        return 0
    except TelegramError as exc:
        if maybe_delivered(exc):  # handed to Telegram: it counts as delivered (at most once)
            log.warning("review reminder to %s may not have arrived (%s)", owner_id, exc)
            return 1
        log.warning("review reminder to %s failed (%s); will retry", owner_id, exc)
        return None
    return 0 if sent is None else 1


async def _hand_over(svc: Services, run: _Pass, items: list[Review]) -> bool:
    """Mark the reviews handed to Telegram, if this pass's claim on them still stands."""
    async with svc.store.write() as uow:
        return await uow.items.hand_over([item.id for item in items], run.claim) > 0


async def _settle(svc: Services, run: _Pass) -> None:
    if run.settled or run.released:
        async with svc.store.write() as uow:
            await _settle_in(uow, run.settled, run.released, svc.clock.now())
        run.settled, run.released = [], []


async def _settle_in(
    uow: UnitOfWork, settled: list[Review], released: list[Review], now: datetime
) -> None:
    """Delivered (or never will be): not claimed again; failed on the network: scheduled
    again, for the next pass."""
    for item in settled:
        fresh = await uow.items.get(Review, item.id)
        if fresh is not None:
            fresh.delivered_at = now
            await uow.items.update(fresh)
    for item in released:
        fresh = await uow.items.get(Review, item.id)
        if fresh is not None and fresh.status == ReviewStatus.SENT:
            fresh.status = ReviewStatus.SCHEDULED
            fresh.sent_at = None
            await uow.items.update(fresh)
