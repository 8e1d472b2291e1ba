"""Compact, versioned callback data for inline buttons.

Format: ``<version>|<action>|<field>|<field>...`` — ids and short codes only, never names,
so it always fits Telegram's 64 bytes. A button from an older format version decodes to
``None`` and is treated as a closed question.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "c1"
LIMIT = 64
SEPARATOR = "|"


class CallbackTooLong(ValueError):
    pass


@dataclass(frozen=True)
class Callback:
    action: str
    fields: tuple[str, ...]


def encode(action: str, *fields: str | int) -> str:
    parts = [VERSION, action, *(str(f) for f in fields)]
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
    if len(parts) < 2 or parts[0] != VERSION:
        return None
    return Callback(parts[1], tuple(parts[2:]))
