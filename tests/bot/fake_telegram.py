"""A fake Telegram Bot API: the state of chats, and the methods the bot calls.

It enforces Telegram's limits (text 4096, caption 1024, callback data 64 bytes, photo
size and dimensions, 2-10 photos in an album), can be told to answer 429 or 403 for a
chat, and records every call.
Two front ends drive it: :class:`FakeRequest` (python-telegram-bot's request layer, in
process) and :class:`FakeBotApiServer` (real HTTP on loopback, for end-to-end tests).
The core is thread-safe because the HTTP front end serves from threads.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import string
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

BOT_ID = 4242
BOT_USERNAME = "cjm_test_bot"
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_LIMIT = 64
ALBUM_LIMIT = 10  # photos in one sendMediaGroup
PHOTO_BYTES_LIMIT = 10 * 1024 * 1024
_TAG = re.compile(r"<[^>]+>")


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    at: float = field(default_factory=time.monotonic)
    names: dict[str, str] = field(default_factory=dict)  # part -> uploaded file name


def visible_length(text: str, parse_mode: str | None) -> int:
    """Telegram counts the text after entity parsing."""
    if parse_mode and parse_mode.upper() == "HTML":
        text = html.unescape(_TAG.sub("", text))
    return len(text)


ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "blockquote",
    "span",
}
_ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")


def check_html(text: str) -> None:
    """Telegram refuses HTML with unknown or unbalanced tags or a bare ``<`` or ``&``."""
    stack: list[str] = []
    for match in re.finditer(r"<(/?)([a-zA-Z-]+)[^>]*>|<|&[^;\s]*;?", text):
        token = match.group(0)
        if token.startswith("&"):
            if not _ENTITY.fullmatch(token):
                raise ApiError(400, "Bad Request: can't parse entities: unexpected '&'")
            continue
        if match.group(2) is None or match.group(2).lower() not in ALLOWED_TAGS:
            raise ApiError(400, f"Bad Request: can't parse entities: {token!r}")
        name = match.group(2).lower()
        if match.group(1):
            if not stack or stack.pop() != name:
                raise ApiError(400, f"Bad Request: can't parse entities: unmatched </{name}>")
        else:
            stack.append(name)
    if stack:
        raise ApiError(400, f"Bad Request: can't parse entities: unclosed <{stack[-1]}>")


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


class FakeTelegram:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._updates_ready = threading.Condition(self._lock)
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._message_ids = itertools.count(1000)
        self._update_ids = itertools.count(1)
        self.fail_429: dict[int, list[int]] = {}  # chat -> retry_after values to answer with
        self.blocked: set[int] = set()
        self.users: dict[int, dict[str, Any]] = {}
        self.timeouts = 0  # the next N requests time out before reaching the server
        # the next N sends are delivered, and then the answer never comes back (Telegram
        # accepted the message but the bot's read timed out, or the connection dropped)
        self.timeouts_after_delivery = 0
        self.revoked = False  # the token was revoked: every call answers 401
        self.fail_5xx: dict[int, int] = {}  # chat -> how many sends answer 502 first
        self.webhook: dict[str, Any] | None = None
        self.rate_limit: int | None = None  # messages per second, like Telegram's ~30
        self.group_rate_limit: int | None = None  # messages per minute in one group (20)
        self.refused_429 = 0
        self._accepted: deque[float] = deque()
        self._group_accepted: dict[int, deque[float]] = {}

    def leaked_placeholders(self) -> list[str]:
        """Texts sent with a catalog ``{placeholder}`` left unfilled."""
        from flows.texts import catalog, languages

        fields = {
            f
            for lang in languages()
            for text in catalog(lang).values()
            for _, f, _, _ in string.Formatter().parse(text)
            if f
        }
        pattern = re.compile(r"\{(" + "|".join(map(re.escape, sorted(fields))) + r")\}")
        sent = [str(c.params.get("text") or c.params.get("caption") or "") for c in self.calls]
        sent += [
            str(item.get("caption") or "")
            for c in self.calls
            if c.method == "sendMediaGroup" and isinstance(_obj(c.params.get("media")), list)
            for item in _obj(c.params["media"])
            if isinstance(item, dict)
        ]
        return [text for text in sent if pattern.search(text)]

    def lose_answer(self, method: str) -> bool:
        """After handling ``method``: should its answer be lost (the knob above)?"""
        with self._lock:
            if self.timeouts_after_delivery and method != "getUpdates":
                self.timeouts_after_delivery -= 1
                return True
            return False

    # ------------------------------------------------------------------ the API
    def handle(
        self,
        method: str,
        params: dict[str, Any],
        files: dict[str, bytes],
        names: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        with self._lock:
            self.calls.append(Call(method, params, files, names=names or {}))
        try:
            handler = getattr(self, "api_" + method)
        except AttributeError:
            return ApiError(404, "Not Found: method not found").payload()
        try:
            return {"ok": True, "result": handler(params, files)}
        except ApiError as exc:
            return exc.payload()

    def api_getMe(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        if self.revoked:
            raise ApiError(401, "Unauthorized")
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "CJM Test",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def api_getUpdates(self, params: dict[str, Any], files: dict[str, bytes]) -> list[Any]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 2.0)
        with self._updates_ready:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline:
                self._updates_ready.wait(deadline - time.monotonic())
            return list(self.updates)

    def api_deleteWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        self.webhook = None
        return True

    def api_setWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        self.webhook = dict(params)
        return True

    def api_setMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        commands = _obj(params.get("commands"))
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        return True

    def api_setChatMenuButton(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        return True

    def api_sendChatAction(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        self._deliverable(int(params["chat_id"]))
        return True

    def api_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        if len(params.get("text") or "") > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def api_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        self._deliverable(chat_id)
        text = str(params.get("text") or "")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if visible_length(text, params.get("parse_mode")) > TEXT_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        self._check_html(text, params)
        self._check_markup(params)
        return self._store(chat_id, {"text": text}, params)

    def api_editMessageText(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        message = self._existing(params)
        text = str(params.get("text") or "")
        if visible_length(text, params.get("parse_mode")) > TEXT_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        self._check_html(text, params)
        self._check_markup(params)
        markup = _obj(params.get("reply_markup"))
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message["text"] = text
        message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return dict(message)

    def api_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        message = self._existing(params)
        self._check_markup(params)
        markup = _obj(params.get("reply_markup")) or None
        if (message.get("reply_markup") or None) == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message["reply_markup"] = markup
        return dict(message)

    def api_deleteMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        self._existing(params)
        with self._lock:
            del self.messages[(int(params["chat_id"]), int(params["message_id"]))]
        return True

    def api_sendPhoto(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        self._deliverable(chat_id)
        data = _file(params, "photo", files)
        photo = self._photo(data)
        self._check_caption(params)
        return self._store(
            chat_id, {"photo": photo, "caption": params.get("caption")}, params, data=data
        )

    def api_sendMediaGroup(self, params: dict[str, Any], files: dict[str, bytes]) -> list[Any]:
        """An album: 2-10 photos, each uploaded as a multipart part its ``attach://`` names,
        each checked as sendPhoto checks one; a message per photo (one media group), each
        counted against the rate limits."""
        chat_id = int(params["chat_id"])
        media = _obj(params.get("media"))
        if not isinstance(media, list) or not 2 <= len(media) <= ALBUM_LIMIT:
            raise ApiError(400, "Bad Request: wrong number of media specified")
        photos = []
        for item in media:
            if not isinstance(item, dict) or item.get("type") != "photo":
                raise ApiError(400, "Bad Request: wrong media type in the group")
            data = _file(item, "media", files)
            self._check_caption(item)  # each photo's own caption and parse mode
            photos.append((self._photo(data), data, item))
        self._deliverable(chat_id, len(media))
        group = str(next(self._message_ids) * 31)
        sent = []
        for photo, data, item in photos:
            content = {"photo": photo, "caption": item.get("caption"), "media_group_id": group}
            sent.append(self._store(chat_id, content, {}, data=data))
        return sent

    def api_sendDocument(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        self._deliverable(chat_id)
        data = _file(params, "document", files)
        if len(data) > 50 * 1024 * 1024:
            raise ApiError(413, "Request Entity Too Large")
        self._check_caption(params)
        name = next((n for n in files), "document")
        document = {
            "file_id": f"doc{len(data)}",
            "file_unique_id": "d",
            "file_name": name,
            "file_size": len(data),
        }
        return self._store(
            chat_id, {"document": document, "caption": params.get("caption")}, params, data=data
        )

    # ----------------------------------------------------------------- helpers
    @staticmethod
    def _photo(data: bytes) -> list[dict[str, Any]]:
        """A photo Telegram takes (10 MB, width + height at most 10,000, aspect at most 20),
        as a message's ``photo``."""
        if len(data) > PHOTO_BYTES_LIMIT:
            raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        width, height = png_size(data)
        if width + height > 10_000 or max(width, height) / max(1, min(width, height)) > 20:
            raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        return [
            {
                "file_id": f"photo{len(data)}",
                "file_unique_id": "p",
                "width": width,
                "height": height,
                "file_size": len(data),
            }
        ]

    def _deliverable(self, chat_id: int, messages: int = 1) -> None:
        """Refused (403, 5xx, 429) or let through; ``messages`` (an album's photos) count
        against the overall limit per second and a group's per minute."""
        with self._lock:
            if chat_id in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if self.fail_5xx.get(chat_id):
                self.fail_5xx[chat_id] -= 1
                raise ApiError(502, "Bad Gateway")
            pending = self.fail_429.get(chat_id)
            if pending:
                self.refused_429 += 1
                raise ApiError(429, "Too Many Requests: retry later", retry_after=pending.pop(0))
            now = time.monotonic()
            if self.rate_limit is not None:
                while self._accepted and now - self._accepted[0] >= 1.0:
                    self._accepted.popleft()
                if len(self._accepted) + messages > self.rate_limit:
                    self.refused_429 += 1
                    raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
            if self.group_rate_limit is not None and chat_id < 0:
                sent = self._group_accepted.setdefault(chat_id, deque())
                while sent and now - sent[0] >= 60.0:
                    sent.popleft()
                if len(sent) + messages > self.group_rate_limit:
                    self.refused_429 += 1
                    wait = max(1, int(60 - (now - sent[0])) + 1) if sent else 1
                    raise ApiError(429, f"Too Many Requests: retry after {wait}", wait)
                sent.extend([now] * messages)
            if self.rate_limit is not None:
                self._accepted.extend([now] * messages)

    @staticmethod
    def _check_html(text: str, params: dict[str, Any]) -> None:
        if str(params.get("parse_mode") or "").upper() == "HTML":
            check_html(text)

    def _check_markup(self, params: dict[str, Any]) -> None:
        markup = _obj(params.get("reply_markup"))
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and len(data.encode()) > CALLBACK_LIMIT:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not str(button.get("text", "")).strip():
                    raise ApiError(400, "Bad Request: text buttons are unallowed")

    def _check_caption(self, params: dict[str, Any]) -> None:
        caption = str(params.get("caption") or "")
        if visible_length(caption, params.get("parse_mode")) > CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: message caption is too long")
        self._check_html(caption, params)

    def _existing(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (int(params["chat_id"]), int(params["message_id"]))
        with self._lock:
            if key not in self.messages:
                raise ApiError(400, "Bad Request: message to edit not found")
            return self.messages[key]

    def _store(
        self,
        chat_id: int,
        content: dict[str, Any],
        params: dict[str, Any],
        data: bytes | None = None,
    ) -> dict[str, Any]:
        with self._lock:
            message = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": self._chat(chat_id),
                "from": {
                    "id": BOT_ID,
                    "is_bot": True,
                    "first_name": "CJM Test",
                    "username": BOT_USERNAME,
                },
                **{k: v for k, v in content.items() if v is not None},
            }
            markup = _obj(params.get("reply_markup"))
            if markup:
                message["reply_markup"] = markup
            stored = dict(message, _data=data) if data is not None else message
            self.messages[(chat_id, message["message_id"])] = stored
            return message

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            user = self.users.get(chat_id, {"first_name": f"User{chat_id}"})
            return {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        return {"id": chat_id, "type": "group", "title": f"Group {chat_id}"}

    # ------------------------------------------------------ what users do
    def _push(self, update: dict[str, Any]) -> dict[str, Any]:
        with self._updates_ready:
            update["update_id"] = next(self._update_ids)
            self.updates.append(update)
            self._updates_ready.notify_all()
        return update

    def user(self, user_id: int, name: str = "", lang: str = "en") -> dict[str, Any]:
        info = {
            "id": user_id,
            "is_bot": False,
            "first_name": name or f"User{user_id}",
            "language_code": lang,
        }
        self.users[user_id] = info
        return info

    def _from(self, user_id: int) -> dict[str, Any]:
        return self.users.get(user_id) or self.user(user_id)

    def text_update(self, user_id: int, text: str, chat_id: int | None = None) -> dict[str, Any]:
        chat_id = chat_id or user_id
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self._from(user_id),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._push({"message": message})

    def sticker_update(self, user_id: int) -> dict[str, Any]:
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(user_id),
            "from": self._from(user_id),
            "sticker": {
                "file_id": "s1",
                "file_unique_id": "s1",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            },
        }
        return self._push({"message": message})

    def press(
        self, user_id: int, message_id: int, data: str, chat_id: int | None = None
    ) -> dict[str, Any]:
        chat_id = chat_id or user_id
        with self._lock:
            message = self.messages[(chat_id, message_id)]
            public = {k: v for k, v in message.items() if not k.startswith("_")}
        query = {
            "id": str(next(self._update_ids) * 7919),
            "from": self._from(user_id),
            "chat_instance": str(chat_id),
            "message": public,
            "data": data,
        }
        return self._push({"callback_query": query})

    # ---------------------------------------------------------- inspection
    def sent(self, chat_id: int, method: str | None = None) -> list[Call]:
        with self._lock:
            return [
                c
                for c in self.calls
                if str(c.params.get("chat_id")) == str(chat_id)
                and (method is None or c.method == method)
            ]

    def chat_messages(self, chat_id: int) -> list[dict[str, Any]]:
        with self._lock:
            return [m for (c, _), m in sorted(self.messages.items()) if c == chat_id]

    def last(self, chat_id: int) -> dict[str, Any]:
        return self.chat_messages(chat_id)[-1]

    def buttons(self, message: dict[str, Any]) -> list[tuple[str, str]]:
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def _obj(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        return json.loads(value)
    return value


def _file(params: dict[str, Any], name: str, files: dict[str, bytes]) -> bytes:
    value = params.get(name)
    if isinstance(value, str) and value.startswith("attach://"):
        value = files.get(value.removeprefix("attach://"))
    if value is None and name in files:
        value = files[name]
    if not isinstance(value, bytes | bytearray) or not value:
        raise ApiError(400, f"Bad Request: there is no {name} in the request")
    return bytes(value)
