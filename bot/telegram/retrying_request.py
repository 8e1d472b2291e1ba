"""Retries for what goes wrong between the bot and Telegram — only where a retry cannot
send anything twice.

- A request that never reached Telegram (the connection was not established) is tried
  again. httpx's own transport does that (``AsyncHTTPTransport(retries=…)`` retries
  connect errors only); this wrapper does the same for a connect timeout.
- An idempotent method (reading, answering a callback, editing a message to a text,
  deleting, setting commands or the webhook) is tried again after any network failure.
- A 5xx answer means Telegram did not carry the request out: tried again.
- A send whose answer was lost after it may have been delivered (a read timeout, a
  dropped connection) is NOT sent again: the person would get the message twice. The
  caller sees the error; nothing acknowledged is lost, because the answer it belongs to
  was committed before the reply was sent.

429 is the rate limiter's job (it waits the retry-after Telegram names).

A caller may set a gate (:func:`gated`) for the sends it makes: awaited once, just before
the first ``send…`` request leaves — after the rate limiter let it through, which wraps
the Bot call this layer serves — and when it says no, nothing is sent (:class:`Fenced`).
The review reminders mark their reviews "handed to Telegram" there, only while their
pass's claim still stands (bot/telegram/reminders.py)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpx
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

log = logging.getLogger(__name__)

CONNECT_RETRIES = 3
# methods whose second call changes nothing the first did not
IDEMPOTENT_PREFIXES = ("get", "answer", "edit", "delete", "set", "close", "logOut")
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def maybe_delivered(error: BaseException) -> bool:
    """A send failed after its request left this machine (the read timed out, the
    connection dropped): Telegram may have delivered it. Not a refusal or a 5xx answer
    (those come with no network cause), not a request that never connected."""
    return isinstance(error, NetworkError) and (
        isinstance(error.__cause__, httpx.HTTPError) and not never_sent(error)
    )


class Fenced(TelegramError):
    """The send's gate said no: the message must not go (nothing was sent)."""


class _Gate:
    """A gate awaited at most until it first says yes (a 429's retry passes again)."""

    def __init__(self, check: Callable[[], Awaitable[bool]]) -> None:
        self._check = check
        self.passed = False

    async def __call__(self) -> bool:
        if not self.passed:
            self.passed = await self._check()
        return self.passed


_GATE: ContextVar[_Gate | None] = ContextVar("send_gate", default=None)


@contextmanager
def gated(check: Callable[[], Awaitable[bool]]) -> Iterator[None]:
    """The sends made inside (in this task) go only if ``check()`` says so, awaited just
    before the first one leaves; otherwise they raise :class:`Fenced`."""
    token = _GATE.set(_Gate(check))
    try:
        yield
    finally:
        _GATE.reset(token)


def http_request(**options: object) -> HTTPXRequest:
    """The production request layer: httpx retrying connect errors itself."""
    transport = httpx.AsyncHTTPTransport(retries=CONNECT_RETRIES)
    return HTTPXRequest(httpx_kwargs={"transport": transport}, **options)  # type: ignore[arg-type]


def idempotent(api_method: str) -> bool:
    return api_method.startswith(IDEMPOTENT_PREFIXES)


def never_sent(error: BaseException) -> bool:
    """The request did not leave this machine: no connection was made."""
    return isinstance(error.__cause__, _NEVER_SENT)


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
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        api_method = url.rstrip("/").rsplit("/", 1)[-1]
        gate = _GATE.get()
        if gate is not None and api_method.startswith("send") and not await gate():
            raise Fenced(f"{api_method} not sent: its gate is closed")
        for attempt in range(1, self.attempts + 1):
            try:
                code, payload = await self.inner.do_request(
                    url,
                    method,
                    request_data,
                    read_timeout,
                    write_timeout,
                    connect_timeout,
                    pool_timeout,
                )
            except (TimedOut, NetworkError) as exc:
                if attempt == self.attempts or not (never_sent(exc) or idempotent(api_method)):
                    raise
                log.warning("Telegram %s failed (%s); retrying", api_method, type(exc).__name__)
            else:
                if code < 500 or attempt == self.attempts:
                    return code, payload
                log.warning("Telegram answered %s to %s; retrying", code, api_method)
            await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")
