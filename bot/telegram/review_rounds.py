"""Rounds, versions and the facilitators' weekly digest: the living map in the group."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from aiolimiter import AsyncLimiter
from telegram.ext import Application

from bot.telegram import notify
from bot.telegram.delivery import deliver_notices, send
from bot.telegram.maps import send_map
from bot.telegram.services import Services
from flows.models import MapVersion, Workshop
from flows.review import digest
from flows.review.rounds import finish_round_if_done
from flows.texts import t
from flows.workshop.facilitator import deadline_nudges
from flows.workshop.versions import decode_change, shown

log = logging.getLogger(__name__)
DIGEST_EVERY = timedelta(days=7)
DIGESTS_PER_SWEEP = 20  # workshops whose digest one sweep sends; the rest wait a sweep
DIGESTS_PER_SECOND = 4.0  # of Telegram's ~30 messages a second, at most this many digests
_DIGEST_PACE = "digest_pace"


def _services(app: Application) -> Services:
    return app.bot_data["services"]


def version_text(lang: str, title: str, version: MapVersion) -> str:
    if version.number == 1:
        return t(lang, "version.posted.first", workshop=title, number=version.number)
    lines = [
        t(
            lang,
            "version.posted",
            workshop=title,
            number=version.number,
            previous=version.number - 1,
        )
    ]
    for raw in version.changes[:30]:
        change = decode_change(raw)
        lines.append(t(lang, change.key, **shown(change, lang)))
    return "\n".join(lines)


async def post_version(app: Application, workshop_id: str, version: MapVersion) -> None:
    """The new map and "what changed since vN" to the bound group (else the facilitators)."""
    svc = _services(app)
    async with svc.store.read() as uow:
        workshop = await uow.workshops.get(workshop_id)
    if workshop is None:
        return
    text = version_text(workshop.language, workshop.title, version)
    targets: list[tuple[int, str, str | None]] = []
    if workshop.group_chat_id is not None:
        targets.append((workshop.group_chat_id, workshop.language, None))
    else:
        targets += [
            (p.chat_id, p.language or workshop.language, p.id)
            for _, p in await notify.facilitators(app, workshop_id)
            if p.chat_id and not p.unreachable
        ]
    for chat_id, lang, person_id in targets:
        for part in (
            send(app, chat_id, text, person_id=person_id),
            send_map(app, chat_id, workshop_id, lang, person_id=person_id),
        ):
            try:  # the map goes even if the list could not, and the other way round
                await part
            except Exception:
                log.exception("posting map v%s of %s to %s", version.number, workshop_id, chat_id)


async def close_rounds(app: Application, workshop_id: str) -> None:
    svc = _services(app)
    async with svc.store.write() as uow:
        workshop = await uow.workshops.get(workshop_id)
        finished = await finish_round_if_done(uow, workshop, svc.clock.now()) if workshop else None
    if finished is not None:
        await post_version(app, workshop_id, finished[1])


def _digest_due(workshop: Workshop | None, now: datetime) -> bool:
    return workshop is not None and (
        workshop.last_digest_at is None or now - workshop.last_digest_at >= DIGEST_EVERY
    )


def _digest_pace(app: Application) -> AsyncLimiter:
    """Digests share the send rate with everything else: at most
    :data:`DIGESTS_PER_SECOND` of their messages a second, so replies keep their pace."""
    limiter: AsyncLimiter | None = app.bot_data.get(_DIGEST_PACE)
    if limiter is None:
        limiter = app.bot_data[_DIGEST_PACE] = AsyncLimiter(1, 1 / DIGESTS_PER_SECOND)
    return limiter


async def send_digests(app: Application, workshop_id: str) -> bool:
    """The weekly digest to the workshop's facilitators, if a week has passed; True when
    it was due (the sweeper sends at most :data:`DIGESTS_PER_SWEEP` a sweep). Whether it
    is due is read first: a workshop whose week has not passed takes no write lock."""
    svc = _services(app)
    now = svc.clock.now()
    async with svc.store.read() as uow:
        if not _digest_due(await uow.workshops.get(workshop_id), now):
            return False
    async with svc.store.write() as uow:
        workshop = await uow.workshops.get(workshop_id)
        if workshop is None or not _digest_due(workshop, now):
            return False  # another sweep sent it meanwhile
        report = await digest.weekly(uow, workshop, now, svc.settings.review_overdue_days)
        workshop.last_digest_at = now
        await uow.workshops.update(workshop)
    for _, person in await notify.facilitators(app, workshop_id):
        lang = person.language or workshop.language
        async with _digest_pace(app):
            await notify.send_lines(
                app, person, [t(lang, line.key, **line.params) for line in report]
            )
    return True


async def send_nudges(app: Application, workshop_id: str) -> int:
    """The scheduled nudges (the rule is flows.workshop.facilitator.nudge_due: before
    the deadline, at most once a day); returns how many arrived."""
    svc = _services(app)
    nudged = await deadline_nudges(svc.store, svc.clock, workshop_id, svc.settings.default_language)
    return await deliver_notices(app, nudged.notices)
