"""Pacing what the bot sends: evenly under Telegram's overall limit, groups under theirs,
and a 429 holds back only the chat it was about.

python-telegram-bot's ``AIORateLimiter`` pauses *every* request while any one of them
waits out a ``retry_after``; a per-chat limit hit in X's chat would then silence the bot
for Y. Here a 429 for a chat holds that chat alone (a 429 for a request without a chat
still pauses everything, as a bot-wide flood limit must)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

Result = bool | JSONDict | list[JSONDict]


class PerChatRateLimiter(BaseRateLimiter[int]):
    def __init__(
        self,
        per_second: float = 28,
        group_per_minute: float = 20,
        max_retries: int = 5,
    ) -> None:
        # one message per slot of 1/per_second: evenly spaced, never a burst
        self._overall = AsyncLimiter(max_rate=1, time_period=1 / per_second)
        self._group_rate = group_per_minute
        self._groups: dict[int | str, AsyncLimiter] = {}
        self._held_until: dict[int | str, float] = {}
        self._everyone = asyncio.Event()
        self._everyone.set()
        self.max_retries = max_retries

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def _group(self, chat_id: int | str) -> AsyncLimiter:
        if chat_id not in self._groups:
            self._groups[chat_id] = AsyncLimiter(max_rate=self._group_rate, time_period=60)
        return self._groups[chat_id]

    async def _wait_for(self, chat_id: int | str | None) -> None:
        await self._everyone.wait()
        if chat_id is not None and chat_id in self._held_until:
            delay = self._held_until[chat_id] - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            elif self._held_until.get(chat_id, 0.0) <= time.monotonic():
                del self._held_until[chat_id]

    async def _once(
        self, chat_id: int | str | None, call: Callable[[], Coroutine[Any, Any, Result]]
    ) -> Result:
        await self._wait_for(chat_id)
        if chat_id is None:
            return await call()
        is_group = isinstance(chat_id, str) or chat_id < 0
        group = self._group(chat_id) if is_group else contextlib.nullcontext()
        async with group, self._overall:
            return await call()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        chat_id = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)  # type: ignore[arg-type]
        retries = rate_limit_args or self.max_retries
        for attempt in range(retries + 1):
            try:
                return await self._once(chat_id, lambda: callback(*args, **kwargs))
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                wait = exc.retry_after
                seconds = wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
                log.info("Telegram asked to wait %.1f s (%s)", seconds, endpoint)
                await self._hold(chat_id, seconds + 0.1)
        raise AssertionError("unreachable")

    async def _hold(self, chat_id: int | str | None, seconds: float) -> None:
        if chat_id is not None:  # only this chat waits
            self._held_until[chat_id] = max(
                self._held_until.get(chat_id, 0.0), time.monotonic() + seconds
            )
            return
        self._everyone.clear()
        try:
            await asyncio.sleep(seconds)
        finally:
            self._everyone.set()
