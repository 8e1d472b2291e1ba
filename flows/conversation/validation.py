"""Parsing and checking typed answers. Each parser returns the value or raises
:class:`Invalid` carrying the specific error message key and its parameters."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flows.conversation.spec import Text


class Invalid(ValueError):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.text = Text(key, params)


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


# characters that draw nothing but are not white space to str.strip(): the Braille blank
# and the Hangul fillers (format characters — zero-width spaces and joiners, word joiner,
# BOM, direction marks — are found by their Unicode category)
_BLANKS = frozenset("\u2800\u3164\u115f\u1160\uffa0")


def _invisible(ch: str) -> bool:
    return ch.isspace() or ch in _BLANKS or unicodedata.category(ch) in ("Cf", "Cc", "Zs")


def visible(raw: str) -> str:
    """The text without invisible characters at either end ("" when nothing shows);
    inside, they stay (a zero-width joiner holds an emoji sequence together)."""
    start, end = 0, len(raw)
    while start < end and _invisible(raw[start]):
        start += 1
    while end > start and _invisible(raw[end - 1]):
        end -= 1
    return raw[start:end]


def clean_text(raw: str, limit: int) -> str:
    """Trimmed text; refuses empty answers (invisible characters only count as empty)
    and answers over ``limit`` characters."""
    text = visible(raw)
    if not text:
        raise Invalid("engine.error.empty")
    if len(text) > limit:
        raise Invalid("engine.error.too_long", limit=limit, length=len(text))
    return text


def name_key(raw: str) -> str:
    """What two names must share to be the same thing: case, spacing and punctuation
    aside, and a plural "s" ("Instagram ads" is "instagram ad")."""
    words = re.findall(r"\w+", visible(raw).casefold())
    return " ".join(
        w[:-1] if len(w) > 2 and w.endswith("s") and not w.endswith("ss") else w for w in words
    )


def same_name(name: str, names: list[str]) -> str | None:
    """The name in ``names`` that ``name`` duplicates, or None."""
    key = name_key(name)
    return next((n for n in names if key and name_key(n) == key), None)


def parse_number(raw: str) -> float:
    """Accepts "12,5", "12.5", "12.5%", "1 200" (also non-breaking spaces), "−3"."""
    text = _SPACES.sub("", raw.strip()).replace("\u2212", "-").rstrip("%")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    elif text.count(",") and "." in text:
        text = text.replace(",", "")  # "1,200.5"
    if not _NUMBER.fullmatch(text):
        raise Invalid("engine.error.number")
    value = float(text)
    if value != value or abs(value) > 1e15:
        raise Invalid("engine.error.number")
    return value


def check_range(value: float, low: float | None, high: float | None) -> float:
    if (low is not None and value < low) or (high is not None and value > high):
        raise Invalid("engine.error.range", low=_fmt(low), high=_fmt(high))
    return value


def _fmt(value: float | None) -> str:
    if value is None:
        return "…"
    return str(int(value)) if float(value).is_integer() else str(value)


def parse_int_in(raw: str, low: float | None, high: float | None) -> int:
    value = parse_number(raw)
    if not float(value).is_integer():
        raise Invalid("engine.error.range", low=_fmt(low), high=_fmt(high))
    return int(check_range(value, low, high))


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y")


def parse_date(raw: str, today: date) -> date:
    text = raw.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    match = re.fullmatch(r"(\d{1,2})[./](\d{1,2})", text)
    if match:
        try:
            found = date(today.year, int(match[2]), int(match[1]))
        except ValueError:
            raise Invalid("engine.error.date") from None
        return found if found >= today else found.replace(year=today.year + 1)
    raise Invalid("engine.error.date")


def parse_time(raw: str) -> time:
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", raw.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise Invalid("engine.error.time")
    return time(int(match[1]), int(match[2]))


def check_timezone(raw: str) -> str:
    name = raw.strip()
    if not name or len(name) > 64 or ".." in name:
        raise Invalid("engine.error.timezone")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise Invalid("engine.error.timezone") from None
    return name
