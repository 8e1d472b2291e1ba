"""``cjm-bot console``: the same flows in a terminal, on the configured database.

Prompts are printed with ``t_plain``; buttons are numbered — type the number to press
one, except where the question asks for a number (a cadence, a KPI value, a scale):
there ``3`` is the answer 3 and ``#3`` presses button 3 (see ``bot.terminal.session``).
Slash commands (``/help`` lists them) move in the conversation or call the facilitator
and owner tools. ``--as NAME`` (or ``/as NAME``) picks the simulated person, whose id is
``cli:<name>`` with case and spaces ignored. Works with a pipe as well: lines are read
until end of input.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable
from pathlib import Path
from typing import Any, TextIO

from bot.settings import database_of
from bot.terminal.commands import NO_WORKSHOP_NEEDED, TOOLS, write_map
from bot.terminal.owner import show_rest
from bot.terminal.session import DEFAULT_NAME, Session, display_name, legacy_key, person_key
from flows.conversation.engine import Answer, Outcome
from flows.ports import SystemClock
from flows.review.cycle import ReviewError
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
        self.name = display_name(name) or DEFAULT_NAME
        self.key = person_key(self.name) or DEFAULT_NAME
        async with self.store.read() as uow:  # a person of an older version keeps their id
            old = legacy_key(self.name)
            if await uow.people.get(self.pid) is None and await uow.people.get(f"cli:{old}"):
                self.key = old
            known = await uow.people.get(self.pid)
        self.lang = (known.language if known else None) or self.default_lang
        self.menu = []
        self.say("console.as", name=self.name)
        outcome = await self.engine.resume(self.pid)
        if outcome.prompt is not None:
            self.show(outcome)

    async def handle(self, line: str) -> bool:
        """One line typed; False means quit."""
        text = line.rstrip("\r\n")
        if text.strip().startswith("/"):
            return await self.command(text.strip())
        typed = text.strip()
        pressed = typed[1:] if typed.startswith("#") and typed[1:].isdigit() else None
        if self.menu and (pressed or typed).isdigit():
            await self._choose(int(pressed or typed))
            return True
        last = self.last.get(self.pid)
        if pressed is None and typed.isdigit() and not self.typed_answers(last):
            pressed = typed
        button = self._button(last, pressed) if pressed else None
        answer = Answer.button(*button) if button else Answer.text(text)
        await self._advance(answer)
        return True

    async def _choose(self, number: int) -> None:
        menu, self.menu = self.menu, []
        if 0 < number <= len(menu):
            await self.guarded(menu[number - 1].act())
        else:
            self.menu = menu
            self.say("console.menu.bad", count=len(menu))

    @staticmethod
    def _button(last: Outcome | None, number: str) -> tuple[str, str | None] | None:
        prompt = last.prompt if last is not None else None
        if prompt is None:
            return None
        flat = [b for row in prompt.buttons for b in row]
        index = int(number) - 1
        return (flat[index].value, prompt.token) if 0 <= index < len(flat) else None

    async def _advance(self, answer: Answer) -> None:
        outcome = await self.engine.advance(self.pid, answer)
        self.show(outcome)
        if any(r.kind == "send_map" for r in outcome.requests):
            await self.write_map()
        for request in outcome.requests:
            if request.kind == "review_answered" and request.params.get("answered"):
                await show_rest(self, str(request.params["answered"]))

    async def command(self, text: str) -> bool:
        name, _, arg = text.partition(" ")
        name, arg = name.lower(), arg.strip()
        if name in ("/quit", "/exit"):
            return False
        if name in MOVES:
            await self._advance(Answer.command(MOVES[name]))
        elif name in ("/continue", "/resume") or (name == "/start" and not arg):
            self.show(await self.engine.resume(self.pid))
        elif name == "/new":
            self.show(await self.engine.start_setup(self.pid, name=self.name, language=self.lang))
        elif name in ("/join", "/start") and arg:
            self.show(await self.engine.join(self.pid, arg, name=self.name, language=self.lang))
        elif name == "/join":
            self.say("console.join.ask")
        elif name == "/as" and arg:
            await self.act_as(arg)
        elif name == "/help":
            self.say("console.help")
            self.say("console.help.more")
        else:
            await self.tool(name, arg)
        return True

    async def tool(self, name: str, arg: str) -> None:
        handler = TOOLS.get(name)
        if handler is None:
            self.say("console.unknown", command=name)
            return
        wid = await self.workshop_id()
        if wid is None and name not in NO_WORKSHOP_NEEDED:
            self.say("console.no_workshop")
            return
        await self.guarded(handler(self, wid or "", arg))

    async def guarded(self, work: Awaitable[None]) -> None:
        """A command's or a menu choice's work; a refusal is printed, not raised."""
        try:
            await work
        except (AccessDenied, NotFound) as exc:
            self.say("console.denied", reason=t_plain(self.lang, exc.key))
        except ReviewError as exc:
            self.say(exc.key)

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
