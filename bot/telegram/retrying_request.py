"""Retries for what goes wrong between the bot and Telegram: timeouts, dropped
connections and 5xx answers are tried again with a short backoff (429 is the rate
limiter's job, which waits the retry-after Telegram names)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)


class RetryingRequest(BaseRequest):
    """Wraps any request layer (HTTPX in production, a fake in tests)."""

    def __init__(self, inner: BaseRequest, attempts: int = 4, backoff: float = 0.25) -> None:
        self.inner = inner
        self.attempts = attempts
        self.backoff = backoff

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **timeouts: Any
    ) -> tuple[int, bytes]:
        for attempt in range(1, self.attempts + 1):
            try:
                code, payload = await self.inner.do_request(url, method, request_data, **timeouts)
            except (TimedOut, NetworkError) as exc:
                if attempt == self.attempts:
                    raise
                log.warning("Telegram request failed (%s); retrying", type(exc).__name__)
            else:
                if code < 500 or attempt == self.attempts:
                    return code, payload
                log.warning("Telegram answered %s; retrying", code)
            await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")
