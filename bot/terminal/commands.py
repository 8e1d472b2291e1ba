"""Facilitator and workshop commands of the terminal mode (``/status``, ``/map``, ...).
Each takes (session, workshop id, argument); access is checked in ``flows.workshop.facilitator``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.terminal.session import Session
from flows.models import JourneyMap
from flows.ports import SystemClock
from flows.review import rules_flow
from flows.texts import t_plain
from flows.workshop import facilitator, forgetting, leaving
from flows.workshop.messages import Result

Tool = Callable[[Session, str, str], Awaitable[None]]


async def write_map(console: Session, journey: JourneyMap, folder: Path) -> list[Path]:
    """The map and every export, written to ``folder``."""
    from renderers import write_all  # matplotlib loads only when a map is drawn

    export = await console.store.export_workshop(journey.workshop.id)
    written = list(write_all(journey, export, folder, lang=console.lang))
    for path in written:
        console.say("console.map.written", path=path)
    return written


async def _status(console: Session, wid: str, arg: str) -> None:
    for part in await facilitator.status_report(console.store, console.pid, wid, console.lang):
        console.say(part.key, **part.params)


async def _map(console: Session, wid: str, arg: str) -> None:
    journey = await facilitator.load_map(console.store, console.pid, wid)
    await write_map(console, journey, console.map_dir / wid)


async def _publish(console: Session, wid: str, arg: str) -> None:
    version = await facilitator.publish(console.store, SystemClock(), console.pid, wid)
    console.say("facilitator.published", number=version.number)


async def _members(console: Session, wid: str, arg: str) -> None:
    found = await facilitator.members(console.store, console.pid, wid)
    lines = [f"• {m.name} — {m.role.value}" for m in found]
    console.say("facilitator.members", items="\n".join(lines))


async def _nudge(console: Session, wid: str, arg: str) -> None:
    found = await facilitator.nudge_list(console.store, SystemClock(), console.pid, wid)
    console.say("facilitator.nudge", count=len(found), names=", ".join(m.name for m in found))


async def _close(console: Session, wid: str, arg: str) -> None:
    workshop = await facilitator.close(console.store, console.pid, wid)
    console.say("facilitator.closed.done", title=workshop.title)


async def _memberships(console: Session) -> list[tuple[str, str]]:
    async with console.store.read() as uow:
        out = []
        for member in await uow.items.memberships(console.pid):
            workshop = await uow.workshops.get(member.workshop_id)
            if workshop is not None:
                out.append((workshop.id, workshop.title))
        return out


async def _workshops(console: Session, wid: str, arg: str) -> None:
    found = await _memberships(console)
    lines = [f"{n + 1}) {title}{' ←' if w == wid else ''}" for n, (w, title) in enumerate(found)]
    console.say("console.workshops", items="\n".join(lines) or "—")


async def _switch(console: Session, wid: str, arg: str) -> None:
    found = await _memberships(console)
    if not arg.isdigit() or not 0 < int(arg) <= len(found):
        await _workshops(console, wid, arg)
        return
    console.show(await console.engine.switch(console.pid, found[int(arg) - 1][0]))
    console.show(await console.engine.resume(console.pid))


def _said(console: Session, result: Result) -> None:
    """A use case's answer, and what the others are told (as ``≫`` lines)."""
    console.say(result.key, **result.params)
    for told in result.notices:
        print("  ≫ " + t_plain(told.lang, told.key, **told.params), file=console.out, flush=True)


async def _leave(console: Session, wid: str, arg: str) -> None:
    """/leave shows what leaving changes; /leave yes leaves; the last facilitator picks a
    member to hand the workshop over to with /leave N."""
    preview = await leaving.leave_preview(console.store, console.pid, wid, console.lang)
    heirs, word = [mid for _, mid in preview.choices], arg.lower()
    chosen = word.isdigit() and 0 < int(word) <= len(heirs)
    if chosen or (preview.ok and word in leaving.CONFIRM_WORDS):
        heir = heirs[int(word) - 1] if chosen else None
        clock = SystemClock()
        result = await leaving.leave(
            console.store, clock, console.pid, wid, heir_id=heir, default_lang=console.lang
        )
        _said(console, result)
        return
    console.say(preview.key, **preview.params)
    if preview.ok:
        console.say("console.leave.confirm")
    elif heirs:
        items = "\n".join(f"{n + 1}) {label}" for n, (label, _) in enumerate(preview.choices))
        console.say("console.leave.heir", title=preview.params.get("title", ""), items=items)


async def _forget_me(console: Session, wid: str, arg: str) -> None:
    """/forget_me shows what will be erased; /forget_me yes erases it."""
    if arg.lower() in leaving.CONFIRM_WORDS:
        clock = SystemClock()
        _said(
            console, await forgetting.forget_person(console.store, clock, console.pid, console.lang)
        )
        return
    preview = await forgetting.forget_preview(console.store, console.pid, console.lang)
    console.say(preview.key, **preview.params)
    console.say("console.forget.confirm")


async def _kpi(console: Session, wid: str, arg: str) -> None:
    console.show(await console.engine.record_reading(console.pid, wid))


async def _rules(console: Session, wid: str, arg: str) -> None:
    console.show(await console.engine.start(console.pid, rules_flow.begin, workshop_id=wid))


TOOLS: dict[str, Tool] = {
    "/kpi": _kpi,
    "/rules": _rules,
    "/status": _status,
    "/map": _map,
    "/publish": _publish,
    "/members": _members,
    "/nudge": _nudge,
    "/close": _close,
    "/workshops": _workshops,
    "/switch": _switch,
    "/leave": _leave,
    "/forget_me": _forget_me,
}
