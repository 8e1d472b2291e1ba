"""Due times of review reminders across time zones, DST, working days, quiet hours,
absence and snooze."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from flows.review.schedule import ReminderRules, due_at, is_quiet, next_slot

WARSAW = ZoneInfo("Europe/Warsaw")
MOSCOW = ZoneInfo("Europe/Moscow")
EVERY_DAY = frozenset(range(7))


def local(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone)


def test_warsaw_reminder_keeps_local_time_across_spring_dst() -> None:
    rules = ReminderRules(timezone="Europe/Warsaw", reminder_time=time(10, 0))
    confirmed = local(WARSAW, 2026, 3, 20, 15, 0)  # Friday, CET (UTC+1)
    due = due_at(confirmed, 14, rules)
    assert due.astimezone(WARSAW) == local(WARSAW, 2026, 4, 3, 10, 0)  # Friday, CEST
    assert due == datetime(2026, 4, 3, 8, 0, tzinfo=UTC)  # UTC+2 now
    before = due_at(local(WARSAW, 2026, 3, 6, 15, 0), 14, rules)
    assert before == datetime(2026, 3, 20, 9, 0, tzinfo=UTC)  # UTC+1 before the change


def test_warsaw_reminder_keeps_local_time_across_autumn_dst() -> None:
    rules = ReminderRules(timezone="Europe/Warsaw", reminder_time=time(10, 0))
    due = due_at(local(WARSAW, 2026, 10, 16, 9, 0), 14, rules)  # to Fri 30 Oct
    assert due == datetime(2026, 10, 30, 9, 0, tzinfo=UTC)  # CET again: UTC+1


def test_moscow_has_no_dst_so_utc_time_never_moves() -> None:
    rules = ReminderRules(timezone="Europe/Moscow", reminder_time=time(10, 0))
    for start in (date(2026, 3, 2), date(2026, 10, 19)):
        due = due_at(local(MOSCOW, start.year, start.month, start.day, 12), 14, rules)
        assert due.astimezone(UTC).time() == time(7, 0)
        assert due.astimezone(MOSCOW).weekday() == 0


def test_a_reminder_in_the_spring_forward_gap_moves_to_the_first_real_time() -> None:
    rules = ReminderRules(
        timezone="Europe/Warsaw",
        reminder_time=time(2, 30),
        working_days=EVERY_DAY,
        quiet_start=time(0, 0),
        quiet_end=time(0, 0),
    )
    due = due_at(local(WARSAW, 2026, 3, 28, 12), 1, rules)
    assert due == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST


def test_weekends_move_to_monday() -> None:
    rules = ReminderRules(timezone="Europe/Warsaw")
    due = due_at(local(WARSAW, 2026, 6, 5, 10), 1, rules)  # Friday + 1 = Saturday
    assert due.astimezone(WARSAW) == local(WARSAW, 2026, 6, 8, 10, 0)


def test_custom_working_days_are_respected() -> None:
    rules = ReminderRules(timezone="Europe/Moscow", working_days=frozenset({6}))  # Sundays
    due = due_at(local(MOSCOW, 2026, 6, 1, 10), 1, rules)
    assert due.astimezone(MOSCOW) == local(MOSCOW, 2026, 6, 7, 10, 0)


def test_a_reminder_time_inside_quiet_hours_waits_for_them_to_end() -> None:
    evening = ReminderRules(timezone="Europe/Warsaw", reminder_time=time(21, 0))
    due = due_at(local(WARSAW, 2026, 6, 1, 10), 1, evening)  # Tue 21:00 is quiet
    assert due.astimezone(WARSAW) == local(WARSAW, 2026, 6, 3, 9, 0)
    early = ReminderRules(timezone="Europe/Warsaw", reminder_time=time(7, 0))
    due = due_at(local(WARSAW, 2026, 6, 1, 10), 1, early)
    assert due.astimezone(WARSAW) == local(WARSAW, 2026, 6, 2, 9, 0)


@pytest.mark.parametrize(
    ("at", "quiet"),
    [(time(8, 59), True), (time(9, 0), False), (time(19, 59), False), (time(20, 0), True)],
)
def test_quiet_hours_wrap_midnight(at: time, quiet: bool) -> None:
    assert is_quiet(at, ReminderRules()) is quiet


def test_an_absence_holds_reminders_until_the_owner_is_back() -> None:
    rules = ReminderRules(timezone="Europe/Warsaw")
    due = due_at(local(WARSAW, 2026, 6, 1, 10), 1, rules, away_until=date(2026, 6, 12))
    assert due.astimezone(WARSAW) == local(WARSAW, 2026, 6, 15, 10, 0)  # Monday after


def test_snooze_moves_the_reminder_seven_days_on() -> None:
    rules = ReminderRules(timezone="Europe/Warsaw")
    pressed = local(WARSAW, 2026, 6, 2, 10, 5)  # Tuesday
    due = due_at(
        local(WARSAW, 2026, 5, 1, 10), 30, rules, snoozed_until=pressed + timedelta(days=7)
    )
    assert due.astimezone(WARSAW) == local(WARSAW, 2026, 6, 9, 10, 5)


def test_a_reminder_missed_while_down_goes_now_if_allowed_else_next_morning() -> None:
    rules = ReminderRules(timezone="Europe/Moscow")
    now = local(MOSCOW, 2026, 6, 3, 15, 0)  # Wednesday afternoon
    assert next_slot(now, rules) == now.astimezone(UTC)
    night = local(MOSCOW, 2026, 6, 3, 23, 0)
    assert next_slot(night, rules).astimezone(MOSCOW) == local(MOSCOW, 2026, 6, 4, 10, 0)
    saturday = local(MOSCOW, 2026, 6, 6, 12, 0)
    assert next_slot(saturday, rules).astimezone(MOSCOW) == local(MOSCOW, 2026, 6, 8, 10, 0)


def test_no_working_day_at_all_is_a_clear_error() -> None:
    rules = ReminderRules(working_days=frozenset())
    with pytest.raises(ValueError, match="no working day"):
        due_at(datetime(2026, 1, 1, tzinfo=UTC), 1, rules)


def test_an_absence_longer_than_a_year_is_fine() -> None:
    rules = ReminderRules(timezone="Europe/Warsaw")
    due = due_at(local(WARSAW, 2026, 6, 1, 10), 1, rules, away_until=date(2028, 1, 5))
    assert due.astimezone(WARSAW) == local(WARSAW, 2028, 1, 6, 10, 0)  # Thursday after
