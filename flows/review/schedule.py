"""When a review reminder is due: cadence, local reminder time, working days, quiet hours,
absence and snooze, in the owner's time zone. Pure functions over datetimes.

Times are computed as local wall-clock times and converted to UTC at the end, so a
reminder at 10:00 stays at 10:00 local across a DST change. A wall-clock time that does
not exist (the spring-forward gap) moves to the first time that does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_SEARCH_DAYS = 400  # a year of absences and holidays is the most we look ahead


@dataclass(frozen=True)
class ReminderRules:
    timezone: str = "UTC"
    reminder_time: time = time(10, 0)
    working_days: frozenset[int] = field(default_factory=lambda: frozenset({0, 1, 2, 3, 4}))
    quiet_start: time = time(20, 0)
    quiet_end: time = time(9, 0)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def localize(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The aware local datetime for a wall-clock time, skipping a DST gap forwards."""
    # fold=0 reads a gap time with the offset before the change, so the round trip
    # through UTC lands on the same distance past the gap (02:30 -> 03:30 in spring);
    # an ambiguous autumn time takes its first occurrence.
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC).astimezone(zone)


def is_quiet(local: time, rules: ReminderRules) -> bool:
    start, end = rules.quiet_start, rules.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def _allowed_day(day: date, rules: ReminderRules, away_until: date | None) -> bool:
    if away_until is not None and day <= away_until:
        return False
    return day.weekday() in rules.working_days


def _first_open(at: time, rules: ReminderRules) -> time | None:
    """The first time of the day at or after ``at`` outside quiet hours; None if none."""
    if not is_quiet(at, rules):
        return at
    if at < rules.quiet_end:
        return rules.quiet_end
    return None  # quiet from here until tomorrow


def _daily_time(rules: ReminderRules) -> time:
    """The reminder time, or the end of quiet hours when the reminder time falls in them."""
    return rules.quiet_end if is_quiet(rules.reminder_time, rules) else rules.reminder_time


def _search(
    first_day: date,
    first_time: time,
    rules: ReminderRules,
    away_until: date | None,
    not_before: datetime | None = None,
) -> datetime:
    zone = rules.zone
    day, at = first_day, first_time
    if away_until is not None and day <= away_until:  # however long the absence
        day, at = away_until + timedelta(days=1), _daily_time(rules)
    for _ in range(MAX_SEARCH_DAYS):
        if _allowed_day(day, rules, away_until):
            opening = _first_open(at, rules)
            if opening is not None:
                found = localize(day, opening, zone).astimezone(UTC)
                if not_before is None or found >= not_before:
                    return found
        day, at = day + timedelta(days=1), _daily_time(rules)
    raise ValueError("no working day within a year: check working days and absence")


def next_slot(earliest: datetime, rules: ReminderRules, away_until: date | None = None) -> datetime:
    """The first moment at or after ``earliest`` when a reminder may be sent (UTC): now if
    allowed, else the reminder time of the next allowed day."""
    local = earliest.astimezone(rules.zone)
    return _search(local.date(), local.time(), rules, away_until, not_before=earliest)


def due_at(
    since: datetime,
    cadence_days: int,
    rules: ReminderRules,
    *,
    away_until: date | None = None,
    snoozed_until: datetime | None = None,
) -> datetime:
    """When the next review of something confirmed at ``since`` is due (UTC).

    The cadence counts calendar days in the owner's zone; the reminder goes at the local
    reminder time on the first working day from then, outside quiet hours and absence.
    A snooze moves it to the snooze's end at the earliest.
    """
    zone = rules.zone
    day = since.astimezone(zone).date() + timedelta(days=cadence_days)
    at = rules.reminder_time
    if snoozed_until is not None:
        snoozed = snoozed_until.astimezone(zone)
        if snoozed.date() > day:
            day = snoozed.date()
        if snoozed.date() == day:
            at = max(at, snoozed.time())
    return _search(day, at, rules, away_until)
