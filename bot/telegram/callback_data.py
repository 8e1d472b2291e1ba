"""Compact, versioned callback data for inline buttons.

Format: ``<version>|<action>|<field>|<field>...`` — ids and short codes only, never names,
so it always fits Telegram's 64 bytes. The action is one of :class:`Action`; a button from
an older format version, or with an action this version does not know, decodes to
``None`` and is treated as a closed question.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

VERSION = "c1"
LIMIT = 64
SEPARATOR = "|"


class Action(StrEnum):
    """What a button does; the value is what travels in the callback data (stored in
    messages people still have: never change a value)."""

    ANSWER = "a"  # a question of a flow: <question token>|<value>
    REVIEW = "r"  # a review card: <ReviewPress>|<review or member id>[|<kpi or member id>]
    HANDOVER = "h"  # a handover offer: <HandoverReply>|<offer id>
    EXPORT = "x"  # an export format: <format>
    SWITCH = "w"  # make a workshop the current one: <workshop id>
    LANGUAGE = "l"  # the person's language: <code>
    MERGE = "m"  # merge a duplicate: <kept id>|<dropped id>
    LEAVE = "q"  # leave a workshop: <ConfirmPress>|<workshop id>|<member id>[|<heir member id>]
    REMOVE = "k"  # remove a member (facilitators): <ConfirmPress>[|<workshop id>|<member id>]
    FORGET = "f"  # forget the person: <ConfirmPress>[|<when it was asked>]
    RULE_PAIN = "u"  # "Add pain point" under a rule's question to an owner: <touchpoint id>
    MAP = "p"  # /map of one persona (the workshop has several): <persona id>


class ReviewPress(StrEnum):
    """The buttons of a review card and what follows them (first field of ``Action.REVIEW``)."""

    OK = "ok"
    KPI = "kpi"  # "Update KPI"
    KPI_CHOSEN = "k"  # one KPI of several
    PAIN = "pain"
    SNOOZE = "snz"
    HAND = "hand"  # "Hand over": choose a colleague
    HAND_TO = "to"  # the colleague chosen
    OPEN = "open"  # one touchpoint of a list
    ALL = "all"  # "All up to date"


class ConfirmPress(StrEnum):
    """The buttons of a confirmation (first field of ``LEAVE``, ``REMOVE``, ``FORGET``)."""

    YES = "y"  # do it
    NO = "n"  # cancel
    CHOOSE = "c"  # a member chosen from a list: ask to confirm


class HandoverReply(StrEnum):
    """The answer to a handover offer (first field of ``Action.HANDOVER``)."""

    ACCEPT = "y"
    DECLINE = "n"


class CallbackTooLong(ValueError):
    pass


@dataclass(frozen=True)
class Callback:
    action: Action
    fields: tuple[str, ...]

    def field(self, index: int) -> str:
        """The field at ``index``, or "" when the button has fewer."""
        return self.fields[index] if len(self.fields) > index else ""


def encode(action: Action, *fields: str | int) -> str:
    parts = [VERSION, Action(action).value, *(str(f) for f in fields)]
    if any(SEPARATOR in p for p in parts):
        raise ValueError(f"a callback field may not contain {SEPARATOR!r}: {parts}")
    data = SEPARATOR.join(parts)
    if len(data.encode("utf-8")) > LIMIT:
        raise CallbackTooLong(f"callback data over {LIMIT} bytes: {data!r}")
    return data


def decode(data: str | None) -> Callback | None:
    if not data:
        return None
    parts = data.split(SEPARATOR)
    if len(parts) < 2 or parts[0] != VERSION or parts[1] not in Action._value2member_map_:
        return None
    return Callback(Action(parts[1]), tuple(parts[2:]))


def pattern(action: Action) -> str:
    """The regular expression matching the callback data of ``action``'s buttons."""
    return rf"^{VERSION}\|{Action(action).value}\|"
