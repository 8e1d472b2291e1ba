"""The flow engine: one entry point for every transport (Telegram, terminal, tests).

Usage::

    engine = Engine(store, clock, flows=catalog, text_limit=settings.text_limit)
    out = await engine.start("tg:42", begin, fresh=True, name="Anna")     # enter a flow
    out = await engine.advance("tg:43", Answer.text("Website"))            # a message
    out = await engine.advance("tg:43", Answer.button(value, token))       # a button press
    out = await engine.advance("tg:43", Answer.command("back"))            # /back /skip ...
    out = await engine.resume("tg:43")                                     # /continue

Every call returns an :class:`~flows.conversation.outcome.Outcome`: ``replies`` (message keys with
parameters; the last one is the current question — ``kind == "prompt"`` — with its
progress line, buttons and a ``token``) and ``requests`` for the transport (notify
facilitators or the group, send the map, schedule reviews, invite links). Render it with
``outcome.as_text(flows.texts.t)`` as one message, attach the prompt's buttons, and pack
each button as (token, value) into callback data. A button press comes back as
``Answer.button(value, token)``: when the token is not the current question's, the
engine answers ``engine.closed`` and shows the current question (stale buttons are
harmless).

Each answer is validated, stored and the position moved in ONE ``store.write()``
transaction; answers of one person are serialised by a per-person lock, and the
position's optimistic version guards against another process (the call is retried).
``advance(..., update_id=...)`` records the transport's update id in that same transaction
(a crash loses the answer and the record together, so a redelivery applies it then) and
an update id seen before changes nothing and answers nothing (no replies);
``chat_id`` remembers where the person writes from (and that they are reachable).
A person works in one workshop at a time (``Person.current_workshop_id``; None while a
workshop is being set up); :meth:`Engine.switch` changes it.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from flows.conversation import answers, runner, undo
from flows.conversation.outcome import Answer, Button, Line, Outcome, Reply, Request
from flows.conversation.spec import (
    BACK,
    CANCEL,
    DONE,
    NEXT,
    REST,
    RESUME,
    SKIP,
    Catalog,
    Ctx,
    OnCancel,
)
from flows.conversation.validation import Invalid
from flows.models import Person, Position
from flows.ports import Clock, Store, UnitOfWork
from flows.texts import normalize_language

__all__ = ["Answer", "Button", "Engine", "Line", "Outcome", "Reply", "Request", "token_of"]

_BUTTON_COMMANDS = {
    BACK: "back",
    SKIP: "skip",
    DONE: "done",
    NEXT: "next",
    REST: "rest",
    CANCEL: "cancel",
}
Action = Callable[[Ctx], Awaitable[None]]


def token_of(position: Position) -> str:
    """A short id of the question a position is at (changes with every move)."""
    raw = f"{position.workshop_id}|{position.flow}|{position.step}|{position.version}"
    return hashlib.blake2s(raw.encode(), digest_size=4).hexdigest()


class Engine:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        flows: Catalog,
        text_limit: int = 1000,
        default_lang: str = "en",
        invite_link: Callable[[str], str] = str,
        defaults: Mapping[str, str] | None = None,
    ) -> None:
        """``invite_link`` turns an invite code into what people share: the code itself in
        the terminal, a ``t.me`` deep link in Telegram. ``defaults`` are the operator's
        settings steps may offer first (``timezone``)."""
        self.defaults = dict(defaults or {})
        self.invite_link = invite_link
        self.flows = flows
        self.store = store
        self.clock = clock
        self.text_limit = text_limit
        self.default_lang = default_lang
        self._locks: dict[str, asyncio.Lock] = {}

    # ------------------------------------------------------------------ public API
    async def start(
        self,
        person_id: str,
        begin: Action,
        *,
        name: str = "",
        language: str | None = None,
        fresh: bool = False,
        workshop_id: str | None = None,
    ) -> Outcome:
        """Run ``begin`` (which enters a flow) for a person even when they rest in no flow:
        ``name`` and ``language`` fill what the person has not set yet; ``fresh`` starts
        outside any workshop (a new one is being made); ``workshop_id`` makes that workshop
        the person's current one first (members only)."""
        return await self._run(
            person_id,
            begin,
            name=name,
            language=language,
            setup=fresh,
            workshop_id=workshop_id,
            starting=True,
        )

    async def advance(
        self,
        person_id: str,
        answer: Answer,
        *,
        update_id: str | None = None,
        chat_id: int | None = None,
        name: str = "",
        language: str | None = None,
    ) -> Outcome:
        """``name`` and ``language`` fill what the person has not set yet (as in
        :meth:`start`); see the module notes for ``update_id`` and ``chat_id``."""

        async def action(ctx: Ctx) -> None:
            await self._answer(ctx, answer)

        return await self._run(
            person_id, action, update_id=update_id, chat_id=chat_id, name=name, language=language
        )

    async def resume(self, person_id: str) -> Outcome:
        """Show the current question again (``/continue``; also after a restart)."""

        async def action(ctx: Ctx) -> None:
            ctx.dirty = ctx.position.cursor.pop("paused", None) is not None

        return await self._run(person_id, action)

    async def back(self, person_id: str) -> Outcome:
        return await self.advance(person_id, Answer.command("back"))

    async def skip(self, person_id: str) -> Outcome:
        return await self.advance(person_id, Answer.command("skip"))

    async def cancel(self, person_id: str) -> Outcome:
        return await self.advance(person_id, Answer.command("cancel"))

    async def switch(self, person_id: str, workshop_id: str) -> Outcome:
        """Make another of the person's workshops the active one (members only: anyone
        else is told so, and stays where they are)."""

        async def members_only(ctx: Ctx) -> None:
            if ctx.person.current_workshop_id != workshop_id:
                ctx.info("access.not_member")

        return await self._run(person_id, members_only, workshop_id=workshop_id)

    async def current_token(self, person_id: str) -> str | None:
        async with self.store.read() as uow:
            position = await self._position(uow, person_id)
        return token_of(position) if position is not None else None

    # ------------------------------------------------------------------- internals
    def _lock(self, person_id: str) -> asyncio.Lock:
        return self._locks.setdefault(person_id, asyncio.Lock())

    async def _run(self, person_id: str, action: Action, **how: Any) -> Outcome:
        async with self._lock(person_id):
            for attempt in range(3):
                try:
                    async with self.store.write() as uow:
                        return await self._transaction(uow, person_id, action, how)
                except Exception as exc:  # the storage's optimistic-version conflict
                    if type(exc).__name__ != "StalePosition" or attempt == 2:
                        raise
        raise AssertionError("unreachable")

    async def _position(self, uow: UnitOfWork, person_id: str) -> Position | None:
        person = await uow.people.get(person_id)
        if person is None:
            return None
        return await uow.positions.get(person_id, person.current_workshop_id or "")

    async def _person(
        self, uow: UnitOfWork, person_id: str, how: dict[str, Any]
    ) -> tuple[Person, Person | None]:
        """The person with what ``how`` fills in, and a copy as stored (None: new)."""
        stored = await uow.people.get(person_id)
        person = stored.model_copy() if stored is not None else Person(id=person_id)
        if how.get("chat_id") is not None:
            person.chat_id = int(how["chat_id"])
            person.unreachable = False
        if how.get("name") and not person.name:
            person.name = str(how["name"])[:100]
        if how.get("language") and not person.language:  # a /language choice sticks
            person.language = normalize_language(how["language"], self.default_lang)
        if how.get("setup"):
            person.current_workshop_id = None
        if how.get("workshop_id") is not None:
            member = await uow.items.member_of(how["workshop_id"], person_id)
            if member is not None:
                person.current_workshop_id = how["workshop_id"]
        return person, stored

    async def _transaction(
        self, uow: UnitOfWork, person_id: str, action: Action, how: dict[str, Any]
    ) -> Outcome:
        update_id = how.get("update_id")
        if update_id and not await uow.updates.first_time(str(update_id)):
            return Outcome(lang=self.default_lang)  # a redelivered update: already applied
        person, stored = await self._person(uow, person_id, how)
        wid = person.current_workshop_id or ""
        position = await uow.positions.get(person_id, wid) or Position(
            person_id=person_id, workshop_id=wid, flow=""
        )
        ctx = Ctx(
            uow,
            self.clock.now(),
            "",
            self.text_limit,
            person,
            position,
            catalog=self.flows,
            defaults=self.defaults,
        )
        ctx.invite_link = self.invite_link
        await self._load(ctx)
        if not how.get("starting") and not self._active(ctx):
            await _save_person(uow, person, stored)
            return Outcome(lang=ctx.lang, replies=[Reply(key="engine.nothing")])
        await action(ctx)
        return await self._save(ctx, stored)

    async def _load(self, ctx: Ctx) -> None:
        await runner.load(ctx, self.default_lang)

    def _active(self, ctx: Ctx) -> bool:
        if not ctx.position.flow:
            return False
        if ctx.position.workshop_id and ctx.workshop is None:
            return False
        guests = self.flows.flow_at(ctx.position.flow).guests
        return guests or ctx.member is not None or not ctx.workshop

    async def _save(self, ctx: Ctx, stored: Person | None) -> Outcome:
        if ctx.switch_to is not None:
            await self._move_to(ctx, ctx.switch_to)
        uow, position = ctx.uow, ctx.position
        out = Outcome(lang=ctx.lang, workshop_id=position.workshop_id or None)
        out.replies = [Reply(key=i.key, params=dict(i.params)) for i in ctx.infos]
        out.requests = list(ctx.requests)
        if position.flow:
            if ctx.dirty or position.version == 0:
                await uow.positions.save(position)
            reply = await runner.prompt(ctx)
            reply.token = token_of(position)
            out.replies.append(reply)
        await _save_person(uow, ctx.person, stored)
        return out

    async def _move_to(self, ctx: Ctx, workshop_id: str) -> None:
        """The setup finished: its position is replaced by one in the new workshop."""
        old = ctx.position
        await ctx.uow.positions.delete(old.person_id, old.workshop_id)
        ctx.position = Position(
            person_id=old.person_id,
            workshop_id=workshop_id,
            flow=old.flow,
            step=old.step,
            cursor=dict(old.cursor),
            draft={},
        )
        ctx.person.current_workshop_id = workshop_id
        await self._load(ctx)

    # --------------------------------------------------------------------- answers
    async def _answer(self, ctx: Ctx, answer: Answer) -> None:
        if ctx.position.cursor.pop("paused", None):
            return
        if answer.kind == "non_text":
            ctx.info("engine.error.non_text")
            ctx.dirty = False
            return
        if answer.kind == "button" and answer.token and answer.token != token_of(ctx.position):
            ctx.info("engine.closed")
            ctx.dirty = False
            return
        command = _BUTTON_COMMANDS.get(answer.value) if answer.kind == "button" else None
        if answer.kind == "command":
            command = answer.value
        try:
            if command is not None:
                await self._command(ctx, command)
            else:
                await self._value(ctx, answer)
        except Invalid as bad:
            ctx.infos.append(bad.text)
            ctx.dirty = False

    async def _value(self, ctx: Ctx, answer: Answer) -> None:
        step = runner.step_of(ctx)
        opts = None
        if answer.kind == "button":  # one of the question's options (commands came first)
            opts = await runner.options(ctx, step)
            if answer.value not in {o.value for o in opts}:
                ctx.info("engine.closed")
                ctx.dirty = False
                return
        value = await answers.parse(ctx, step, answer, opts)
        runner.snapshot(ctx)
        try:
            await answers.store(ctx, step, value)
        except Invalid:
            runner.restore(ctx)
            raise
        if not ctx.sealed:  # what /back takes back, even when the item moved on
            ctx.draft[undo.SAID] = [step.field_name, undo.plain(value)]

    async def _command(self, ctx: Ctx, command: str) -> None:
        step = runner.step_of(ctx)
        if command == "back":
            before = dict(ctx.position.draft)
            if not runner.restore(ctx):
                ctx.info("engine.back.none")
                ctx.dirty = False
            else:
                ctx.infos.append(await undo.took_back(ctx, before))
        elif command == "skip":
            runner.snapshot(ctx)
            await _undo_on_error(ctx, answers.skip(ctx, step))
        elif command == "done":
            runner.snapshot(ctx)
            await _undo_on_error(ctx, answers.done(ctx, step))
        elif command == "next":  # the exit button: this item is done (else as "done")
            runner.snapshot(ctx)
            await _undo_on_error(ctx, answers.leave(ctx, step))
        elif command == "rest" and step.exit_key and runner.flow_of(ctx).rest_key:
            runner.snapshot(ctx)
            await runner.finish(ctx, runner.flow_of(ctx))
        elif command == "cancel":
            await self._cancel(ctx)
        elif command != RESUME.lstrip("!"):
            ctx.info("engine.error.command")

    async def _cancel(self, ctx: Ctx) -> None:
        """Setup and an unfinished join are dropped; inside sections the person pauses
        (answers already saved stay; the iteration in progress is discarded)."""
        pos, flow = ctx.position, runner.flow_of(ctx)
        if pos.flow == self.flows.home:
            return
        how = flow.on_cancel
        if how is OnCancel.DROP and flow.guests and ctx.member is not None:
            how = OnCancel.PAUSE
        if how is OnCancel.DROP:
            ctx.info(flow.cancelled_key)
            await ctx.uow.positions.delete(pos.person_id, pos.workshop_id)
            if flow.guests:
                ctx.person.current_workshop_id = None
            pos.flow = ""
            return
        if how is OnCancel.RETURN:
            await runner.finish(ctx, flow)
            return
        await runner.start_item(ctx, int(pos.cursor.get("i") or 0))
        pos.cursor["paused"] = 1


async def _save_person(uow: UnitOfWork, person: Person, stored: Person | None) -> None:
    """Written only when new or changed (most answers change only the position)."""
    if stored is None or person != stored:
        await uow.people.save(person)


async def _undo_on_error(ctx: Ctx, work: Awaitable[None]) -> None:
    try:
        await work
    except Invalid:
        runner.restore(ctx)
        raise
