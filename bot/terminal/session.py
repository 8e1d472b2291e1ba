"""One terminal session: the store, the engine, who is typing (``cli:<name>``), and how
prompts, buttons and notices are printed. The console loop and its commands both use it.

Numbers: where the question asks for a number, a scale, a date, a time or free text, a
typed ``3`` is the answer 3; elsewhere it presses button 3. ``#3`` always presses button 3
(printed as ``#3)`` where digits are answers). A command's own choices (a review card's
buttons, the export formats, ...) are a *menu*: numbered the same way, chosen by number
until the next prompt or menu replaces it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from flows.conversation.engine import Outcome
from flows.conversation.spec import Kind
from flows.steps.catalog import WorkshopEngine
from flows.texts import t_plain
from storage.open_store import OpenStore

DEFAULT_NAME = "facilitator"
NAME_LIMIT = 40
# a typed number is the answer to these questions, not a button
TYPED_KINDS = frozenset({Kind.NUMBER, Kind.SCALE, Kind.DATE, Kind.TIME, Kind.TEXT})


def person_key(name: str) -> str:
    """The id part of a typed name: case and spaces do not matter ("Anna Kowalska",
    "anna  kowalska" and "AnnaKowalska" are one person)."""
    kept = "".join(ch for ch in name.casefold() if ch.isalnum() or ch in "_-")
    return kept[:NAME_LIMIT]


def display_name(name: str) -> str:
    """The name as typed, spaces kept (runs of them made one)."""
    return " ".join(name.split())[:NAME_LIMIT]


def legacy_key(name: str) -> str:
    """The id part older versions made of a name (case kept, spaces dropped)."""
    return "".join(ch for ch in name.strip() if ch.isalnum() or ch in "_-")[:NAME_LIMIT]


@dataclass(frozen=True)
class Choice:
    """One numbered entry of a command's menu."""

    label: str
    act: Callable[[], Awaitable[None]]


class Session:
    def __init__(self, store: OpenStore, engine: WorkshopEngine, lang: str, out: TextIO) -> None:
        self.store, self.engine, self.lang, self.out = store, engine, lang, out
        self.default_lang = lang
        self.name = DEFAULT_NAME
        self.key = DEFAULT_NAME
        self.last: dict[str, Outcome] = {}
        self.menu: list[Choice] = []
        self.map_dir = Path("cjm-maps")
        self._kinds: dict[str, Kind] = {
            step.id: step.kind for flow in engine.flows.values() for step in flow.steps
        }

    @property
    def pid(self) -> str:
        return f"cli:{self.key}"

    def say(self, key: str, **params: Any) -> None:
        print(t_plain(self.lang, key, **params), file=self.out, flush=True)

    def print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def typed_answers(self, outcome: Outcome | None) -> bool:
        """Whether a typed number answers this outcome's question (not a button)."""
        prompt = outcome.prompt if outcome is not None else None
        if prompt is None or prompt.step is None:
            return False
        return self._kinds.get(prompt.step) in TYPED_KINDS

    def show(self, outcome: Outcome) -> None:
        self.last[self.pid] = outcome
        self.menu = []
        text = outcome.as_text(t_plain)
        if text:
            print(text, file=self.out)
        prompt = outcome.prompt
        mark = "#" if self.typed_answers(outcome) else ""
        for n, button in enumerate(b for row in (prompt.buttons if prompt else []) for b in row):
            print(f"  {mark}{n + 1}) {button.text(t_plain, outcome.lang)}", file=self.out)
        for request in outcome.requests:
            if request.key and request.kind.startswith("notify"):
                print("  ≫ " + t_plain(outcome.lang, request.key, **request.params), file=self.out)
        self.out.flush()

    def offer(self, choices: list[Choice]) -> None:
        """A command's choices, numbered: typing a number picks one."""
        self.menu = choices
        for n, choice in enumerate(choices):
            print(f"  {n + 1}) {choice.label}", file=self.out)
        self.out.flush()

    async def workshop_id(self) -> str | None:
        async with self.store.read() as uow:
            person = await uow.people.get(self.pid)
        return person.current_workshop_id if person else None
