"""One terminal session: the store, the engine, who is typing (``cli:<name>``), and how
prompts, buttons and notices are printed. The console loop and its commands both use it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from flows.conversation.engine import Outcome
from flows.steps.catalog import WorkshopEngine
from flows.texts import t_plain
from storage.open_store import OpenStore

DEFAULT_NAME = "facilitator"


class Session:
    def __init__(self, store: OpenStore, engine: WorkshopEngine, lang: str, out: TextIO) -> None:
        self.store, self.engine, self.lang, self.out = store, engine, lang, out
        self.name = DEFAULT_NAME
        self.last: dict[str, Outcome] = {}
        self.map_dir = Path("cjm-maps")

    @property
    def pid(self) -> str:
        return f"cli:{self.name}"

    def say(self, key: str, **params: Any) -> None:
        print(t_plain(self.lang, key, **params), file=self.out, flush=True)

    def show(self, outcome: Outcome) -> None:
        self.last[self.pid] = outcome
        text = outcome.as_text(t_plain)
        if text:
            print(text, file=self.out)
        prompt = outcome.prompt
        for n, button in enumerate(b for row in (prompt.buttons if prompt else []) for b in row):
            print(f"  {n + 1}) {button.text(t_plain, outcome.lang)}", file=self.out)
        for request in outcome.requests:
            if request.key and request.kind.startswith("notify"):
                print("  ≫ " + t_plain(outcome.lang, request.key, **request.params), file=self.out)
        self.out.flush()

    async def workshop_id(self) -> str | None:
        async with self.store.read() as uow:
            person = await uow.people.get(self.pid)
        return person.current_workshop_id if person else None
