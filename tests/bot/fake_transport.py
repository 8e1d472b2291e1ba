"""Two ways for python-telegram-bot to reach :class:`FakeTelegram`: in process through its
request layer, and over real HTTP on loopback."""

from __future__ import annotations

import email.parser
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import httpx
from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from tests.bot.fake_telegram import FakeTelegram


class FakeRequest(BaseRequest):
    """python-telegram-bot's request layer, answered by the fake in process."""

    def __init__(self, telegram: FakeTelegram) -> None:
        self.telegram = telegram

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rstrip("/").rsplit("/", 1)[-1]
        if self.telegram.timeouts and api_method != "getUpdates":
            self.telegram.timeouts -= 1  # as httpx says it: no connection was made
            raise TimedOut("fake: connecting timed out") from httpx.ConnectTimeout("fake")
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        names: dict[str, str] = {}
        if request_data is not None:
            params = {k: _maybe_json(v) for k, v in request_data.json_parameters.items()}
            for name, part in request_data.multipart_data.items():
                content = part[1]
                files[name] = content if isinstance(content, bytes) else content.read()
                names[name] = str(part[0])
        if api_method == "getUpdates":
            params["timeout"] = 0
        result = self.telegram.handle(api_method, params, files, names)
        if self.telegram.lose_answer(api_method):
            raise TimedOut("fake: delivered, then the read timed out") from httpx.ReadTimeout(
                "fake"
            )
        return (200 if result["ok"] else int(result["error_code"])), json.dumps(result).encode()


def _maybe_json(value: str) -> Any:
    if value[:1] in "[{":
        return json.loads(value)
    return value


class _Handler(BaseHTTPRequestHandler):
    telegram: FakeTelegram
    token: str

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        return None

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        prefix = f"/bot{self.token}/"
        if not self.path.startswith(prefix):
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        method = self.path[len(prefix) :].split("?")[0]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.names: dict[str, str] = {}
        params, files = self._parse(body)
        result = self.telegram.handle(method, params, files, self.names)
        if self.telegram.lose_answer(method):  # delivered; the connection drops unanswered
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._reply(200 if result["ok"] else int(result["error_code"]), result)

    do_GET = do_POST  # noqa: N815

    def _parse(self, body: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
        ctype = self.headers.get("Content-Type", "")
        if ctype.startswith("application/json"):
            return json.loads(body or b"{}"), {}
        if ctype.startswith("multipart/form-data"):
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body
            )
            params: dict[str, Any] = {}
            files: dict[str, bytes] = {}
            self.names = {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_filename():
                    files[str(name)] = payload
                    self.names[str(name)] = str(part.get_filename())
                else:
                    params[str(name)] = _maybe_json(payload.decode())
            return params, files
        return {k: _maybe_json(v[0]) for k, v in parse_qs(body.decode()).items()}, {}

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client killed mid-request (the SIGKILL tests) is expected, not an error."""
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class FakeBotApiServer:
    """The fake on real HTTP at ``http://127.0.0.1:<port>/bot<token>/<method>``."""

    def __init__(self, telegram: FakeTelegram, token: str) -> None:
        handler = type("Handler", (_Handler,), {"telegram": telegram, "token": token})
        self.server = _Server(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/bot"

    def __enter__(self) -> FakeBotApiServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
