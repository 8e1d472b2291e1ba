"""What a use case hands back to its transport, as plain data: the answer for whoever
asked, messages for other people, and what the transport should do afterwards (re-arm the
reminders of reviews that moved, look whether a review round ended, send due reviews).

Keys are catalog message keys; parameters are plain text (the transport escapes them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flows.models import Person, Review


@dataclass(frozen=True)
class Notice:
    """A catalog message for one person's private chat, in their language."""

    to: Person
    lang: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)


def notice(person: Person, default_lang: str, key: str, **params: Any) -> Notice:
    return Notice(person, person.language or default_lang, key, params)


@dataclass
class Result:
    """The answer to the person who asked (``key``/``params``) and its consequences."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    moved: list[Review] = field(default_factory=list)  # scheduled reviews: re-arm them
    rounds_of: str | None = None  # a workshop whose review round may have ended
    due_now: str | None = None  # a workshop whose due reviews should go out now
    rearm_all: str | None = None  # a workshop whose whole schedule changed
