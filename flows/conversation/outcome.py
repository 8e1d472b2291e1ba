"""What goes into the engine (:class:`Answer`) and what comes out (:class:`Outcome`).

Transport-neutral: every user-facing text is a message key plus parameters. Parameters
are plain text (user input included) — render them with ``flows.texts.t`` (HTML-escapes
them, for Telegram) or ``t_plain`` (terminal). A :class:`Button` has either a catalog
label (``label_key``/``label_params``) or a literal ``label`` (a name a person typed: the
transport must escape it). ``value`` is short (an item id or a code, at most 24
characters) so it fits Telegram's 64-byte callback data together with the reply's
``token``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field

COMMANDS = ("back", "skip", "cancel", "done", "resume")


class Answer(BaseModel):
    """One thing a person did: typed text, pressed a button, sent a command, or sent
    something that is not text (photo, sticker, voice, file)."""

    kind: Literal["text", "button", "command", "non_text"]
    value: str = ""
    token: str | None = None  # the question token of the message a button belonged to

    @classmethod
    def text(cls, value: str) -> Answer:
        return cls(kind="text", value=value)

    @classmethod
    def button(cls, value: str, token: str | None = None) -> Answer:
        return cls(kind="button", value=value, token=token)

    @classmethod
    def command(cls, name: str) -> Answer:
        """``name`` is one of :data:`COMMANDS` (without the slash)."""
        return cls(kind="command", value=name.lstrip("/").lower())

    @classmethod
    def non_text(cls) -> Answer:
        return cls(kind="non_text")


class Button(BaseModel):
    value: str
    label_key: str = ""
    label_params: dict[str, Any] = Field(default_factory=dict)
    label: str | None = None  # literal (user-entered) label; escape it when sending HTML
    selected: bool = False  # a toggled option of a multi-choice question

    def text(self, translate: Callable[..., str], lang: str) -> str:
        base = (
            self.label
            if self.label is not None
            else translate(lang, self.label_key, **self.label_params)
        )
        return ("✓ " + base) if self.selected else base


class Line(BaseModel):
    key: str
    params: dict[str, Any] = Field(default_factory=dict)


class Reply(BaseModel):
    """One message part. A prompt (``token`` set) is the current question: it has a
    progress line and its buttons; infos and errors come before it in the same outcome."""

    key: str
    params: dict[str, Any] = Field(default_factory=dict)
    kind: Literal["prompt", "info", "error"] = "info"
    buttons: list[list[Button]] = Field(default_factory=list)
    progress: Line | None = None
    token: str | None = None  # present on prompts: send it back with a pressed button
    step: str | None = None  # the step id of a prompt


class Request(BaseModel):
    """Something the transport should do besides replying.

    kinds: ``notify_facilitators`` / ``notify_group`` (send ``key``/``params`` to them),
    ``send_map`` (render and send the workshop's map to the person), ``workshop_created``
    (``params`` holds ``invites``: a list of {department, name, code} for deep links),
    ``review_answered`` (``params["review"]`` is the next review: arm its reminder;
    ``params["answered"]`` the one answered: show what is left of the owner's list).
    """

    kind: Literal[
        "notify_facilitators",
        "notify_group",
        "send_map",
        "workshop_created",
        "review_answered",
    ]
    workshop_id: str
    key: str = ""
    params: dict[str, Any] = Field(default_factory=dict)


class Outcome(BaseModel):
    lang: str = "en"
    workshop_id: str | None = None
    replies: list[Reply] = Field(default_factory=list)
    requests: list[Request] = Field(default_factory=list)

    @property
    def prompt(self) -> Reply | None:
        """The current question (the last prompt), if the person is in a flow."""
        return next((r for r in reversed(self.replies) if r.kind == "prompt"), None)

    @property
    def keys(self) -> list[str]:
        return [r.key for r in self.replies]

    def as_text(self, translate: Callable[..., str]) -> str:
        """All parts as one message (one answer yields one message); the progress line
        goes above the prompt. ``translate`` is ``t`` (HTML) or ``t_plain``."""
        parts = []
        for reply in self.replies:
            text = translate(self.lang, reply.key, **reply.params)
            if reply.progress is not None:
                head = translate(self.lang, reply.progress.key, **reply.progress.params)
                text = f"{head}\n{text}"
            parts.append(text)
        return "\n\n".join(parts)
