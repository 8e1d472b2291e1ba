"""The Mini App's web server, on tornado (python-telegram-bot's webhook extra brings it),
in the bot's own event loop beside polling or the webhook.

- ``GET <page>?w=WORKSHOP&l=LANG`` — the page (``renderers.html.webapp_shell``): no
  workshop data in it, only the page's words
- ``GET <base>api/map?w=WORKSHOP`` — the map's data and its revision
- ``GET <base>api/revision?w=WORKSHOP`` — the revision only (the page polls it and loads
  the map again when it changes)

Every data request carries Telegram's initData in ``X-Telegram-Init-Data``: 401 when it
is missing, forged or older than ``WEBAPP_MAX_AGE_S``; 403 when the person is not a member
of that workshop (or there is no such workshop). Neither answer says anything of it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlparse

from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from bot.settings import SettingsError
from bot.telegram.webapp.initdata import InitDataError, WebAppUser, check
from flows.ports import Clock, Store, SystemClock
from flows.texts import normalize_language
from flows.workshop.exports import AccessDenied, ExportFormat, map_revision, prepare_export
from renderers.html import page_data, webapp_shell

log = logging.getLogger(__name__)

HEADER = "X-Telegram-Init-Data"


@dataclass
class WebAppConfig:
    url: str  # the public HTTPS address of the page
    token: str
    max_age_s: float
    default_language: str = "en"
    poll_s: float = 5.0

    @property
    def page_path(self) -> str:
        return urlparse(self.url).path or "/"

    @property
    def api_path(self) -> str:
        return self.page_path.rsplit("/", 1)[0] + "/api/"


def page_url(base: str, workshop_id: str, lang: str) -> str:
    """The address the "Open the map" button opens for one workshop."""
    sep = "&" if urlparse(base).query else "?"
    return f"{base}{sep}{urlencode({'w': workshop_id, 'l': lang})}"


class _Cache:
    """The latest page data per workshop, revision and language (made once per change)."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self.entries: dict[tuple[str, str, str], dict[str, Any]] = {}

    def get(self, key: tuple[str, str, str]) -> dict[str, Any] | None:
        return self.entries.get(key)

    def put(self, key: tuple[str, str, str], value: dict[str, Any]) -> None:
        for old in [k for k in self.entries if k[0] == key[0]]:
            del self.entries[old]
        while len(self.entries) >= self.size:
            del self.entries[next(iter(self.entries))]
        self.entries[key] = value


class _Base(RequestHandler):
    def initialize(self, server: WebAppServer) -> None:
        self.server = server

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    def _json(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(body, ensure_ascii=False, separators=(",", ":")))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self._json(status_code, {"error": "error"})  # never a traceback

    def user(self) -> WebAppUser | None:
        try:
            return check(
                self.request.headers.get(HEADER, ""),
                self.server.config.token,
                max_age_s=self.server.config.max_age_s,
                now=self.server.now(),
            )
        except InitDataError as exc:
            log.info("web app: refused initData (%s)", exc.reason)
            self._json(401, {"error": "unauthorized"})
            return None


class _Page(_Base):
    def get(self) -> None:
        lang = normalize_language(self.get_argument("l", ""), self.server.config.default_language)
        config = {
            "workshop": self.get_argument("w", ""),
            "api": "api",
            "poll_ms": int(self.server.config.poll_s * 1000),
        }
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(webapp_shell(lang, config))


class _Map(_Base):
    async def get(self, what: str) -> None:
        user = self.user()
        if user is None:
            return
        workshop_id = self.get_argument("w", "")
        try:
            if what == "revision":
                revision = await map_revision(self.server.store, user.person_id, workshop_id)
                self._json(200, {"revision": revision})
            else:
                self._json(200, await self.server.map_for(user, workshop_id))
        except AccessDenied:
            log.info("web app: %s is not a member of the workshop asked", user.person_id)
            self._json(403, {"error": "forbidden"})


class WebAppServer:
    def __init__(
        self,
        store: Store,
        config: WebAppConfig,
        *,
        clock: Clock | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.config = config
        self.clock = clock or SystemClock()
        self.now = now
        self.cache = _Cache()
        self._http: HTTPServer | None = None
        self.port = 0

    def application(self) -> Application:
        page, api = self.config.page_path, self.config.api_path
        routes: list[Any] = [
            (page if page.endswith("/") else page, _Page, {"server": self}),
            (api + r"(map|revision)", _Map, {"server": self}),
        ]
        return Application(routes, compress_response=True)

    async def map_for(self, user: WebAppUser, workshop_id: str) -> dict[str, Any]:
        """The page data of a workshop for one of its members (:class:`AccessDenied` else)."""
        revision = await map_revision(self.store, user.person_id, workshop_id)
        source = await prepare_export(
            self.store, user.person_id, workshop_id, ExportFormat.HTML, self.clock.now()
        )
        async with self.store.read() as uow:
            person = await uow.people.get(user.person_id)
        lang = normalize_language(
            (person.language if person else None) or source.journey.workshop.language,
            self.config.default_language,
        )
        key = (workshop_id, revision, lang)
        data = self.cache.get(key)
        if data is None:
            history = (source.content or {}).get("history")
            loop = asyncio.get_running_loop()
            data = await loop.run_in_executor(None, page_data, source.journey, lang, history)
            self.cache.put(key, data)
        return {"revision": revision, "map": data}

    async def start(self, listen: str, port: int) -> int:
        """Listen on ``listen:port`` (0: any free port); returns the port."""
        self._http = HTTPServer(self.application(), xheaders=True)
        sockets = self._http_bind(listen, port)
        self._http.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        log.info("web app: serving the map on %s:%s", listen, self.port)
        return self.port

    def _http_bind(self, listen: str, port: int) -> list[Any]:
        from tornado.netutil import bind_sockets

        return bind_sockets(port, address=listen)

    async def stop(self) -> None:
        if self._http is not None:
            self._http.stop()
            await self._http.close_all_connections()
            self._http = None


async def start_for(settings: Any, services: Any) -> WebAppServer:
    """The server of ``WEBAPP_URL`` on ``WEBAPP_LISTEN:WEBAPP_PORT`` (bot/telegram/app.py)."""
    config = WebAppConfig(
        url=settings.webapp_url,
        token=settings.token or "",
        max_age_s=settings.webapp_max_age_s,
        default_language=settings.default_language,
    )
    server = WebAppServer(services.store, config, clock=services.clock)
    try:
        await server.start(settings.webapp_listen, settings.webapp_port)
    except OSError as exc:  # taken, or an address this machine does not have
        where = f"{settings.webapp_listen}:{settings.webapp_port}"
        raise SettingsError(
            f"Bad setting — WEBAPP_LISTEN/WEBAPP_PORT: cannot listen on {where} "
            f"({exc.strerror or exc})"
        ) from None
    return server
