"""Rounds, versions and the facilitators' weekly digest: the living map in the group."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application

from bot.telegram import notify
from bot.telegram.delivery import send_text
from bot.telegram.maps import send_map
from bot.telegram.services import Services
from flows.models import MapVersion, Member, WorkshopStatus
from flows.review import digest
from flows.review.rounds import finish_round_if_done
from flows.texts import t, t_plain
from flows.workshop.facilitator import needs_nudge
from flows.workshop.versions import decode_change

log = logging.getLogger(__name__)
DIGEST_EVERY = timedelta(days=7)
NUDGE_BEFORE_DEADLINE = timedelta(days=3)


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
        params = dict(change.params)
        if "status" in params:  # stored as a code, shown in the reader's language
            params["status"] = t_plain(lang, f"map.status.{params['status']}")
        lines.append(t(lang, change.key, **params))
    return "\n".join(lines)


async def post_version(app: Application, workshop_id: str, version: MapVersion) -> None:
    """The new map and "what changed since vN" to the bound group (else the facilitators)."""
    svc = _services(app)
    async with svc.store.read() as uow:
        workshop = await uow.workshops.get(workshop_id)
    if workshop is None:
        return
    text = version_text(workshop.language, workshop.title, version)
    targets = []
    if workshop.group_chat_id is not None:
        targets.append((workshop.group_chat_id, workshop.language))
    else:
        targets += [
            (p.chat_id, p.language or workshop.language)
            for _, p in await notify.facilitators(app, workshop_id)
            if p.chat_id
        ]
    for chat_id, lang in targets:
        for part in (send_text(app.bot, chat_id, text), send_map(app, chat_id, workshop_id, lang)):
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


async def send_digests(app: Application, workshop_id: str) -> None:
    svc = _services(app)
    now = svc.clock.now()
    async with svc.store.write() as uow:
        workshop = await uow.workshops.get(workshop_id)
        if workshop is None or (
            workshop.last_digest_at and now - workshop.last_digest_at < DIGEST_EVERY
        ):
            return
        report = await digest.weekly(uow, workshop, now, svc.settings.review_overdue_days)
        workshop.last_digest_at = now
        await uow.workshops.update(workshop)
    for _, person in await notify.facilitators(app, workshop_id):
        lang = person.language or workshop.language
        await notify.send_lines(app, person, [t(lang, line.key, **line.params) for line in report])


async def send_nudges(app: Application, workshop_id: str, *, force: bool = False) -> int:
    """Remind unfinished participants, at most once a day; before the deadline unless
    ``force`` (a facilitator's /nudge). Returns how many were nudged."""
    svc = _services(app)
    now = svc.clock.now()
    async with svc.store.write() as uow:
        workshop = await uow.workshops.get(workshop_id)
        if workshop is None or workshop.status != WorkshopStatus.COLLECTING:
            return 0
        if not force:
            if workshop.deadline is None:
                return 0
            days_left = workshop.deadline - now.date()
            if not timedelta(0) <= days_left <= NUDGE_BEFORE_DEADLINE:
                return 0
        due = [m for m in await uow.items.list(workshop_id, Member) if needs_nudge(m, now)]
        for member in due:
            member.last_nudged_at = now
            await uow.items.update(member)
        people = [await uow.people.get(m.person_id or "") for m in due]
    sent = 0
    for person in people:
        if person is not None and await notify.to_person(
            app, person, "review.nudge", workshop=workshop.title
        ):
            sent += 1
    return sent
