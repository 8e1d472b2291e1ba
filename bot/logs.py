"""Logging that never shows the bot token.

python-telegram-bot and httpx log request URLs, and a Bot API URL contains the token
(``.../bot<token>/getUpdates``). A filter on every root handler replaces each secret with
``[REDACTED]`` in the message, its arguments and any exception text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "[REDACTED]"
# Any bot-token-shaped string, even one we were not told about.
_TOKEN_SHAPE = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}\b")


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _TOKEN_SHAPE.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg = self.redact(message)
        record.args = None
        return True


def configure_logging(level: int, secrets: Iterable[str] = ()) -> None:
    """Root logging to stderr at ``level``, every handler filtered for ``secrets``."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(level)
    redactor = RedactSecrets(secrets)
    for each in root.handlers:
        for old in [f for f in each.filters if isinstance(f, RedactSecrets)]:
            each.removeFilter(old)
        each.addFilter(redactor)
    # httpx logs every request URL at INFO; keep it at WARNING unless debugging.
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))
