"""Finishes, batched for the facilitators: instead of a message for every person who
finishes, a department's completion is one line (``sections.notify.department_done``, sent
by flows/steps/sections.py) and the rest comes once a day as a summary — per department,
who finished and who is still going. The scheduler's sweep asks for it on every pass;
it goes out once per workshop and local day, at or after the workshop's reminder time,
while the workshop collects answers and only when there is news (somebody still going,
or somebody finished since the day before's summary)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flows.models import Department, Member, Person, Role, Workshop, WorkshopStatus
from flows.ports import Clock, Store, UnitOfWork
from flows.texts import t_plain
from flows.workshop.insights import department_label
from flows.workshop.messages import Notice, notice

NAMES_SHOWN = 10


def _due(workshop: Workshop, now: datetime) -> datetime | None:
    """Today's summary moment (the reminder time, local) if the summary may go now."""
    if workshop.status is not WorkshopStatus.COLLECTING:
        return None
    zone = ZoneInfo(workshop.timezone)
    moment = datetime.combine(now.astimezone(zone).date(), workshop.reminder_time, zone)
    return moment if now >= moment else None


def _names(members: list[Member]) -> str:
    names = sorted(m.name for m in members)
    more = len(names) - NAMES_SHOWN
    return ", ".join(names[:NAMES_SHOWN]) + (f" +{more}" if more > 0 else "")


def _lines(lang: str, departments: list[Department], joined: list[Member]) -> str:
    lines = []
    order = {d.id: n for n, d in enumerate(departments)}
    for department in sorted(departments, key=lambda d: order[d.id]):
        mine = [m for m in joined if m.department_id == department.id]
        if not mine:
            continue
        going = [m for m in mine if m.finished_at is None]
        lines.append(
            t_plain(
                lang,
                "summary.daily.line",
                department=department_label(department, lang),
                done=len(mine) - len(going),
                total=len(mine),
                going=t_plain(lang, "summary.daily.going", names=_names(going)) if going else "",
            )
        )
    return "\n".join(lines)


async def _facilitators(uow: UnitOfWork, members: list[Member]) -> list[Person]:
    found = []
    for member in members:
        if member.role is Role.FACILITATOR and member.person_id:
            person = await uow.people.get(member.person_id)
            if person is not None and not person.unreachable:
                found.append(person)
    return found


async def daily_summary(
    store: Store, clock: Clock, workshop_id: str, default_lang: str = "en"
) -> list[Notice]:
    """Today's summary for each facilitator of the workshop, or nothing (already sent
    today, too early, not collecting, no news)."""
    now = clock.now()
    async with store.write() as uow:
        workshop = await uow.workshops.get(workshop_id)
        moment = _due(workshop, now) if workshop is not None else None
        if workshop is None or moment is None:
            return []
        members = await uow.items.list(workshop_id, Member)
        joined = [m for m in members if m.person_id and m.role is Role.PARTICIPANT]
        going = [m for m in joined if m.finished_at is None]
        since = moment - timedelta(days=1)  # yesterday's summary
        news = [m for m in joined if m.finished_at and m.finished_at >= since]
        if not going and not news:
            return []
        if not await uow.updates.first_time(f"summary:{workshop_id}:{moment.date()}"):
            return []  # once a day, however many sweeps
        departments = await uow.items.list(workshop_id, Department)
        facilitators = await _facilitators(uow, members)
    out = []
    for person in facilitators:
        lang = person.language or default_lang
        out.append(
            notice(
                person,
                default_lang,
                "summary.daily",
                title=workshop.title,
                done=len(joined) - len(going),
                total=len(joined),
                lines=_lines(lang, departments, joined),
            )
        )
    return out
