"""Webhook mode: Telegram is answered only once its update has been processed.

python-telegram-bot's own webhook server answers 200 as soon as it has queued an update;
an instance killed (or crashing) before it handled the update loses it — Telegram counts
it delivered. This server processes each POSTed update before answering it, through the
Application's update processor: one person's updates keep the order they came in
(update_order.py) while other people's run beside them (Telegram opens up to
``MAX_CONNECTIONS`` connections at once). The answer:

- **200** once the update is processed: its answer stored and its processed-update record
  committed (handlers/dedup.py) — or when a redelivery would be dropped as a repeat anyway
  (the record was committed before a later step failed);
- **500** when a handler failed before the record was committed: Telegram delivers the
  update again and it is processed then, once (a redelivery of what did get committed
  stops at the record). After ``GIVE_UP_AFTER`` failures of one update in this instance
  it is answered 200 (logged): an update that always fails is not retried forever;
- **503** when processing takes longer than ``ACK_WITHIN`` and nothing is committed yet —
  processing goes on; Telegram's redelivery waits behind it for the person's turn and
  stops at the record if it got stored — and while the server shuts down;
- **403** without the right ``X-Telegram-Bot-Api-Secret-Token``; **400** for what is not
  an update.

The rule for handlers: a blocking handler stores its answer within ``ACK_WITHIN``
(20 s, well inside the time Telegram waits for a webhook's answer). Whatever may take longer
runs in the background — maps and exports are handlers with ``block=False`` or render
jobs — and is acknowledged once handed there; what it stores is not covered by the 200.
A handler still sending after its answer is stored (a 429's wait) is acknowledged when
``ACK_WITHIN`` is up.

:func:`serve` is ``cjm-bot run`` with ``WEBHOOK_URL`` set: initialize, ``post_init``,
start, listen, ``setWebhook``; on SIGINT/SIGTERM stop listening, let the updates in hand
finish and be answered (up to ``SHUTDOWN_GRACE``), then stop and shut down.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import signal
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import urlparse

import tornado.web
from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.settings import Settings, SettingsError

log = logging.getLogger(__name__)

ACK_WITHIN = 20.0  # seconds a request waits for its update before answering 503
PROBE_WITHIN = 3.0  # seconds to learn whether an update's record is committed
SHUTDOWN_GRACE = 25.0  # seconds the updates in hand get to finish at shutdown
GIVE_UP_AFTER = 3  # failures of one update before it is acknowledged regardless
MAX_CONNECTIONS = 40  # Telegram's parallel connections to the webhook (its default)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)

App = Application[Any, Any, Any, Any, Any, Any]
Context = CallbackContext[Any, Any, Any, Any]


def record_key(update: Update) -> str:
    """The update's processed-update record (BotContext.update_key)."""
    return f"tg:{update.update_id}"


@dataclass
class _Run:
    """One update being processed for a request: the errors its blocking handlers raised."""

    errors: list[BaseException] = field(default_factory=list)


class WebhookServer:
    """The HTTP side of webhook mode on the Application's event loop (tornado, as
    python-telegram-bot's own). :meth:`start` listens, :meth:`stop` drains."""

    def __init__(
        self,
        application: App,
        *,
        path: str,
        secret: str | None,
        ack_within: float = ACK_WITHIN,
        shutdown_grace: float = SHUTDOWN_GRACE,
    ) -> None:
        self.application = application
        self.path = "/" + path.strip("/")
        self.secret = secret
        self.ack_within = ack_within
        self.shutdown_grace = shutdown_grace
        self.port = 0
        self._http: HTTPServer | None = None
        self._closing = False
        self._runs: dict[int, _Run] = {}  # id(update) -> its run, while it is processed
        self._tasks: set[asyncio.Task[None]] = set()
        self._requests = 0  # requests not yet answered
        self._failures: OrderedDict[int, int] = OrderedDict()  # update_id -> failures

    # ------------------------------------------------------------------ serving
    async def start(self, listen: str, port: int) -> int:
        """Listen on ``listen:port`` (0: any free port); returns the port."""
        route = re.escape(self.path.rstrip("/")) + "/?"
        app = tornado.web.Application([(route, _Hook, {"server": self})])
        try:
            sockets = bind_sockets(port, address=listen)
        except OSError as exc:  # taken, or an address this machine does not have
            raise SettingsError(
                f"Bad setting — WEBHOOK_LISTEN/WEBHOOK_PORT: cannot listen on {listen}:{port} "
                f"({exc.strerror or exc})"
            ) from None
        self.application.add_error_handler(self._note_error)
        self._closing = False
        self._http = HTTPServer(app, xheaders=True)
        self._http.add_sockets(sockets)
        self.port = int(sockets[0].getsockname()[1])
        return self.port

    async def stop(self) -> None:
        """Stop listening; answer 503 to what still comes on open connections; let the
        updates in hand finish and be answered (up to ``shutdown_grace``; what is left is
        cancelled, unanswered — Telegram delivers it again); close the connections."""
        if self._http is None:
            return
        http, self._http = self._http, None
        self._closing = True
        http.stop()
        deadline = asyncio.get_running_loop().time() + self.shutdown_grace
        while (self._tasks or self._requests) and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
        for task in list(self._tasks):
            log.warning("webhook: update still in hand at shutdown, left to a redelivery")
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await http.close_all_connections()
        self.application.remove_error_handler(self._note_error)

    @contextmanager
    def in_hand(self) -> Iterator[None]:
        """A request is being answered (:meth:`stop` waits for it)."""
        self._requests += 1
        try:
            yield
        finally:
            self._requests -= 1

    # ------------------------------------------------------------------ answering
    async def status_for(self, secret: str | None, body: bytes) -> HTTPStatus:
        """The status for one POST: checked, parsed, processed (see the module's text)."""
        if self.secret is not None and not hmac.compare_digest(
            (secret or "").encode(), self.secret.encode()
        ):
            log.debug("webhook: a request without the right secret token")
            return HTTPStatus.FORBIDDEN
        if self._closing:
            return HTTPStatus.SERVICE_UNAVAILABLE
        try:
            update = Update.de_json(json.loads(body), self.application.bot)
        except Exception:
            log.warning("webhook: a request that is not an update (%d bytes)", len(body))
            return HTTPStatus.BAD_REQUEST
        if update is None:
            return HTTPStatus.BAD_REQUEST
        if isinstance(self.application.bot, ExtBot):
            self.application.bot.insert_callback_data(update)
        return await self._process(update)

    async def _process(self, update: Update) -> HTTPStatus:
        run = _Run()
        self._runs[id(update)] = run
        task = asyncio.create_task(self._run(update), name=f"webhook:{update.update_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        try:
            await asyncio.wait_for(asyncio.shield(task), self.ack_within)
        except TimeoutError:
            if await self._recorded(update):  # stored; what is left (sending) goes on
                return HTTPStatus.OK
            log.warning(
                "webhook: update %d not stored within %.0f s: 503, Telegram delivers it again",
                update.update_id,
                self.ack_within,
            )
            return HTTPStatus.SERVICE_UNAVAILABLE
        except asyncio.CancelledError:  # shutdown cancelled it: not stored
            return HTTPStatus.SERVICE_UNAVAILABLE
        if not run.errors:
            self._failures.pop(update.update_id, None)
            return HTTPStatus.OK
        if await self._recorded(update):  # a redelivery would stop at the record
            return HTTPStatus.OK
        return self._failed(update)

    async def _run(self, update: Update) -> None:
        app = self.application
        try:
            await app.update_processor.process_update(update, app.process_update(update))
        except Exception as exc:  # raised outside the handlers (their errors are noted)
            log.exception("webhook: processing update %d failed", update.update_id)
            self._runs[id(update)].errors.append(exc)
        finally:
            del self._runs[id(update)]

    async def _note_error(self, update: object, context: Context) -> None:
        """An error handler after the bot's own: a blocking handler of an update in hand
        failed (not a background task's — ``coroutine`` is set for those)."""
        run = self._runs.get(id(update))
        if run is not None and context.coroutine is None and context.error is not None:
            run.errors.append(context.error)

    def _failed(self, update: Update) -> HTTPStatus:
        failures = self._failures.pop(update.update_id, 0) + 1
        if failures >= GIVE_UP_AFTER:
            log.error(
                "webhook: update %d failed %d times: acknowledged, not delivered again",
                update.update_id,
                failures,
            )
            return HTTPStatus.OK
        self._failures[update.update_id] = failures
        while len(self._failures) > 1000:  # remember only the recent ones
            self._failures.popitem(last=False)
        log.warning("webhook: update %d failed: 500, Telegram delivers it again", update.update_id)
        return HTTPStatus.INTERNAL_SERVER_ERROR

    async def _recorded(self, update: Update) -> bool:
        """Whether the update's processed-update record is committed (a read: the
        update's own transaction, still open, is not seen). False when the store does not
        answer within ``PROBE_WITHIN`` or fails."""
        store = self.application.bot_data["services"].store

        async def probe() -> bool:
            async with store.read() as uow:
                return bool(await uow.updates.recorded(record_key(update)))

        try:
            return await asyncio.wait_for(probe(), PROBE_WITHIN)
        except Exception:
            return False


class _Hook(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, server: WebhookServer) -> None:
        self.server = server

    async def post(self) -> None:
        with self.server.in_hand():
            secret = self.request.headers.get(SECRET_HEADER)
            status = await self.server.status_for(secret, self.request.body)
            self.set_status(status)
            await self.finish()

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # tornado's own would log the request
        log.debug("webhook: error in the HTTP handler", exc_info=value)


def serve(application: App, settings: Settings, *, allowed_updates: Sequence[str]) -> None:
    """``cjm-bot run`` in webhook mode (``WEBHOOK_URL``); returns once stopped."""
    asyncio.run(_serve(application, settings, allowed_updates))


async def _serve(application: App, settings: Settings, allowed_updates: Sequence[str]) -> None:
    assert settings.webhook_url is not None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    server = WebhookServer(application, path=urlparse(settings.webhook_url).path, secret=secret)
    try:
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        try:
            await server.start(settings.webhook_listen, settings.webhook_port)
            try:
                await application.bot.set_webhook(
                    url=settings.webhook_url,
                    allowed_updates=list(allowed_updates),
                    max_connections=MAX_CONNECTIONS,
                    secret_token=secret,
                )
                log.info("webhook set; answering updates once they are stored")
                await stop.wait()
                log.info("stopping: answering the updates in hand first")
            finally:
                await server.stop()
        finally:
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
