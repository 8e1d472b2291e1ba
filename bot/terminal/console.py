"""``cjm-bot console``: the same flows in a terminal, on the configured database.

Prompts are printed with ``t_plain``; buttons are numbered — type the number to press
one. Slash commands (``/help`` lists them) move in the conversation or call the
facilitator tools. ``--as NAME`` (or ``/as NAME``) picks the simulated person, whose id
is ``cli:<name>``. Works with a pipe as well: lines are read until end of input.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.settings import database_of
from bot.terminal.commands import TOOLS, write_map
from bot.terminal.session import DEFAULT_NAME, Session
from flows.conversation.engine import Answer
from flows.ports import SystemClock
from flows.steps.catalog import WorkshopEngine
from flows.texts import normalize_language, t_plain
from flows.workshop import facilitator
from flows.workshop.facilitator import AccessDenied, NotFound
from storage.open_store import is_postgres, open_store

MOVES = {"/back": "back", "/skip": "skip", "/done": "done", "/cancel": "cancel"}


class Console(Session):
    """The loop's side: one typed line at a time."""

    async def start(self, name: str | None) -> None:
        await self.act_as(name or DEFAULT_NAME)

    async def act_as(self, name: str) -> None:
        self.name = (
            "".join(ch for ch in name.strip() if ch.isalnum() or ch in "_-")[:40] or DEFAULT_NAME
        )
        self.say("console.as", name=self.name)
        outcome = await self.engine.resume(self.pid)
        if outcome.prompt is not None:
            self.show(outcome)

    async def handle(self, line: str) -> bool:
        """One line typed; False means quit."""
        text = line.rstrip("\r\n")
        if text.strip().startswith("/"):
            return await self.command(text.strip())
        button = self._button(text.strip())
        answer = Answer.button(*button) if button else Answer.text(text)
        await self._advance(answer)
        return True

    def _button(self, text: str) -> tuple[str, str | None] | None:
        prompt = self.last.get(self.pid).prompt if self.pid in self.last else None  # type: ignore[union-attr]
        if prompt is None or not text.isdigit():
            return None
        flat = [b for row in prompt.buttons for b in row]
        index = int(text) - 1
        return (flat[index].value, prompt.token) if 0 <= index < len(flat) else None

    async def _advance(self, answer: Answer) -> None:
        outcome = await self.engine.advance(self.pid, answer)
        self.show(outcome)
        if any(r.kind == "send_map" for r in outcome.requests):
            await self.write_map()

    async def command(self, text: str) -> bool:
        name, _, arg = text.partition(" ")
        name, arg = name.lower(), arg.strip()
        if name in ("/quit", "/exit"):
            return False
        if name in MOVES:
            await self._advance(Answer.command(MOVES[name]))
        elif name in ("/continue", "/resume"):
            self.show(await self.engine.resume(self.pid))
        elif name == "/new":
            self.show(await self.engine.start_setup(self.pid, name=self.name, language=self.lang))
        elif name in ("/join", "/start") and arg:
            self.show(await self.engine.join(self.pid, arg, name=self.name, language=self.lang))
        elif name == "/as" and arg:
            await self.act_as(arg)
        elif name == "/help":
            self.say("console.help")
        else:
            await self.tool(name, arg)
        return True

    async def tool(self, name: str, arg: str) -> None:
        handler = TOOLS.get(name)
        if handler is None:
            self.say("console.unknown", command=name)
            return
        wid = await self.workshop_id()
        if wid is None and name not in ("/workshops", "/switch"):
            self.say("console.no_workshop")
            return
        try:
            await handler(self, wid or "", arg)
        except (AccessDenied, NotFound) as exc:
            self.say("console.denied", reason=t_plain(self.lang, exc.key))

    async def write_map(self) -> None:
        wid = await self.workshop_id()
        if not wid:
            return
        try:
            journey = await facilitator.load_map(self.store, self.pid, wid)
        except AccessDenied as exc:
            self.say("console.denied", reason=t_plain(self.lang, exc.key))
            return
        await write_map(self, journey, self.map_dir / wid)


def _lines(stream: TextIO) -> Any:
    interactive = stream.isatty()
    while True:
        try:
            line = input("> ") if interactive else stream.readline()
        except EOFError:
            return
        if not interactive and line == "":
            return
        yield line


async def run(
    database: str | Path,
    lang: str,
    name: str | None,
    stream: TextIO,
    out: TextIO,
    *,
    token_set: bool = False,
    text_limit: int = 1000,
    timezone: str = "UTC",
) -> int:
    if not is_postgres(database):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    store = await open_store(database)
    engine = WorkshopEngine(
        store,
        SystemClock(),
        text_limit=text_limit,
        default_lang=lang,
        defaults={"timezone": timezone},
    )
    console = Console(store, engine, lang, out)
    try:
        if not token_set:
            console.say("console.no_token")
        console.say("console.welcome", name=name or DEFAULT_NAME)
        await console.start(name)
        for line in _lines(stream):
            if not await console.handle(line):
                break
        console.say("console.bye")
    finally:
        await store.close()
    return 0


def main(args: argparse.Namespace, settings: Any) -> int:
    lang = normalize_language(getattr(settings, "default_language", None))
    return asyncio.run(
        run(
            database_of(settings),
            lang,
            getattr(args, "as_name", None),
            sys.stdin,
            sys.stdout,
            token_set=bool(getattr(settings, "token", None)),
            text_limit=getattr(settings, "text_limit", 1000),
            timezone=getattr(settings, "default_timezone", "UTC"),
        )
    )
