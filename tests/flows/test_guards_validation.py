"""What a typed answer may be, at the edges a person runs into: invisible characters
around a text, numbers with spaces, commas, minus signs and percent, ranges (with the
bounds named in the error), day.month dates that roll over to next year, clock times and
time-zone names."""

from __future__ import annotations

from datetime import date, time

import pytest

from flows.conversation import validation as v
from flows.conversation.validation import Invalid


def error(call, *args):  # type: ignore[no-untyped-def]
    with pytest.raises(Invalid) as caught:
        call(*args)
    assert str(caught.value) == caught.value.text.key
    return caught.value.text.key, caught.value.text.params


def test_invisible_characters_around_a_text_do_not_count() -> None:
    assert v.visible("\u200b\u2800 Hi \u00a0\u3164") == "Hi"
    assert v.visible("\x00\x07ab\u200d") == "ab"
    assert v.visible("a\u200db") == "a\u200db"  # inside, a joiner stays
    assert v.visible("\u2009x\u2009") == "x"
    assert v.visible("  ") == ""
    assert v.clean_text("  ok  ", 2) == "ok"
    assert error(v.clean_text, "\u200b\u2800", 10) == ("engine.error.empty", {})
    assert error(v.clean_text, "abc", 2) == ("engine.error.too_long", {"limit": 2, "length": 3})


def test_numbers_as_people_type_them() -> None:
    assert v.parse_number(" 1 200,5 ") == 1200.5
    assert v.parse_number("1,200.5") == 1200.5
    assert v.parse_number("\u22123") == -3
    assert v.parse_number("45%") == 45
    assert v.parse_number(".5") == 0.5
    assert v.parse_number("1'000") == 1000
    assert v.parse_number("1e15".replace("e15", "0" * 15)) == 1e15
    for bad in ("1,2,3", "abc", "1" + "0" * 16, "--1", "%"):
        assert error(v.parse_number, bad) == ("engine.error.number", {})


def test_a_range_names_its_bounds() -> None:
    assert v.check_range(5, 5, 10) == 5 and v.check_range(10, 5, 10) == 10
    assert v.check_range(-7, None, None) == -7
    assert error(v.check_range, 4.9, 5, 10) == ("engine.error.range", {"low": "5", "high": "10"})
    assert error(v.check_range, 10.5, 5, 10) == ("engine.error.range", {"low": "5", "high": "10"})
    assert error(v.check_range, 11, None, 10) == ("engine.error.range", {"low": "…", "high": "10"})
    assert error(v.check_range, 0.25, 0.5, None) == (
        "engine.error.range",
        {"low": "0.5", "high": "…"},
    )
    assert v.parse_int_in("-2", -2, 2) == -2
    assert error(v.parse_int_in, "1.5", -2, 2) == ("engine.error.range", {"low": "-2", "high": "2"})


def test_dates_in_several_forms_and_day_month_rolls_over_to_next_year() -> None:
    today = date(2026, 6, 10)
    assert v.parse_date("2026-07-01", today) == date(2026, 7, 1)
    assert v.parse_date(" 01.07.2026 ", today) == date(2026, 7, 1)
    assert v.parse_date("01.07.26", today) == date(2026, 7, 1)
    assert v.parse_date("01/07/2026", today) == date(2026, 7, 1)
    assert v.parse_date("10.06", today) == date(2026, 6, 10)  # today is still this year
    assert v.parse_date("9/6", today) == date(2027, 6, 9)  # yesterday: next year's
    assert v.parse_date("3.7", today) == date(2026, 7, 3)  # day first
    for bad in ("31.02", "tomorrow", "1.2.3.4"):
        assert error(v.parse_date, bad, today) == ("engine.error.date", {})


def test_clock_times() -> None:
    assert v.parse_time(" 9:05 ") == time(9, 5)
    assert v.parse_time("23.59") == time(23, 59)
    assert v.parse_time("00:00") == time(0, 0)
    for bad in ("24:00", "12:60", "7", "7:5"):
        assert error(v.parse_time, bad) == ("engine.error.time", {})


def test_time_zone_names() -> None:
    assert v.check_timezone(" Europe/Warsaw ") == "Europe/Warsaw"
    assert v.check_timezone("UTC") == "UTC"
    for bad in ("", "Mars/Olympus", "../etc/passwd", "Europe/" + "x" * 60):
        assert error(v.check_timezone, bad) == ("engine.error.timezone", {})
