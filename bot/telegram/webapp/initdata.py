"""Telegram's Mini App ``initData``, checked as Telegram documents it
(https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):

    secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token)
    hash == hex(HMAC_SHA256(key=secret_key, msg=data_check_string))

where ``data_check_string`` is every received field but ``hash``, as ``key=value``,
sorted by key and joined with line feeds. Data older than the allowed age is refused
too, so a copied initData cannot be replayed for ever.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode


class InitDataError(Exception):
    """initData that cannot be trusted; ``reason`` says why (for the log only)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WebAppUser:
    id: int
    language: str | None
    auth_date: int

    @property
    def person_id(self) -> str:
        return f"tg:{self.id}"


def secret_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")


def sign(fields: dict[str, str], token: str) -> str:
    """initData with its hash, as Telegram would send it (tests and the demo use this)."""
    digest = hmac.new(secret_key(token), data_check_string(fields).encode(), hashlib.sha256)
    return urlencode({**fields, "hash": digest.hexdigest()})


def check(init_data: str, token: str, *, max_age_s: float, now: float) -> WebAppUser:
    """The person who opened the Mini App; raises :class:`InitDataError` when the data is
    missing, malformed, not signed with this bot's token, too old, or from the future."""
    if not init_data:
        raise InitDataError("missing")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataError("malformed") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("a field given twice")
    received = fields.get("hash", "")
    expected = hmac.new(
        secret_key(token), data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(received.encode(), expected.encode()):
        raise InitDataError("bad signature")
    try:
        auth_date = int(fields["auth_date"])
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError):
        raise InitDataError("no auth_date or user") from None
    if now - auth_date > max_age_s:
        raise InitDataError("expired")
    if auth_date - now > 60:
        raise InitDataError("from the future")
    language = user.get("language_code") if isinstance(user, dict) else None
    return WebAppUser(user_id, language if isinstance(language, str) else None, auth_date)
