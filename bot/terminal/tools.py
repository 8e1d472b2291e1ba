"""The rest of the Telegram bot's commands in the terminal: ``/invite``, ``/revoke``,
``/remove``, ``/merge``, ``/export``, ``/away``, ``/timezone``, ``/language``. Each takes
(session, workshop id, argument) and calls the same use case as its Telegram handler;
choices are a numbered menu (see :class:`bot.terminal.session.Session`)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.terminal.owner import said
from bot.terminal.session import Choice, Session
from flows.models import Item
from flows.ports import SystemClock
from flows.texts import languages, t_plain
from flows.workshop import exports, facilitator, leaving, people
from flows.workshop.duplicates import duplicates
from flows.workshop.exports import ExportFormat, ExportSource
from flows.workshop.insights import department_label

DUPLICATES_SHOWN = 8
SUFFIX = {
    "xlsx": "xlsx",
    "csv": "csv",
    "json": "json",
    "mermaid": "mmd",
    "pdf": "pdf",
    "html": "html",
}


async def invite(console: Session, wid: str, arg: str, heading: str = "bot.invite.links") -> None:
    """/invite: each department's code, to be typed as /join CODE."""
    found = await facilitator.live_invites(console.store, console.pid, wid)
    console.say(heading)
    for item, department in found:
        name = department_label(department, console.lang)
        line = t_plain(console.lang, "bot.invite.line", department=name)
        console.print(f"{line} {item.code}")


async def revoke(console: Session, wid: str, arg: str) -> None:
    """/revoke: every current code stops working; each department gets a new one."""
    await facilitator.renew_invites(console.store, SystemClock(), console.pid, wid)
    await invite(console, wid, arg, "bot.invite.revoked")


async def remove(console: Session, wid: str, arg: str) -> None:
    """/remove: the members, numbered; one chosen is removed after a confirmation."""
    choices = await leaving.remove_choices(console.store, console.pid, wid, console.lang)
    console.say(choices.key, **choices.params)

    def chosen(label: str, member_id: str) -> Choice:
        async def act() -> None:
            preview = await leaving.remove_preview(
                console.store, console.pid, wid, member_id, console.lang
            )
            console.say(preview.key, **preview.params)

            async def yes() -> None:
                result = await leaving.remove_member(
                    console.store,
                    SystemClock(),
                    console.pid,
                    wid,
                    member_id,
                    lang=console.lang,
                    default_lang=console.default_lang,
                )
                said(console, result)

            async def no() -> None:
                console.say("people.cancelled")

            console.offer(
                [
                    Choice(t_plain(console.lang, "people.remove.button"), yes),
                    Choice(t_plain(console.lang, "people.button.cancel"), no),
                ]
            )

        return Choice(label, act)

    console.offer([chosen(label, mid) for label, mid in choices.choices])


def _label(item: Item) -> str:
    text = str(
        getattr(item, "name", "") or getattr(item, "description", "") or getattr(item, "text", "")
    )
    return text if len(text) <= 28 else text[:27] + "…"


async def merge(console: Session, wid: str, arg: str) -> None:
    """/merge: likely duplicates as numbered pairs; a number merges the right one into
    the left one."""
    journey = await facilitator.load_map(console.store, console.pid, wid)
    pairs = duplicates(journey)[:DUPLICATES_SHOWN]
    if not pairs:
        console.say("bot.merge.none")
        return

    def pair(keep: Item, drop: Item) -> Choice:
        async def act() -> None:
            moved = await facilitator.merge(console.store, console.pid, wid, keep.id, drop.id)
            console.say("bot.merge.done", moved=moved)

        return Choice(f"{_label(keep)} ⇐ {_label(drop)}", act)

    console.say("bot.merge.ask", count=len(pairs))
    console.offer([pair(keep, drop) for keep, drop in pairs])


def _write(source: ExportSource, fmt: ExportFormat, lang: str, target: Path) -> Path:
    from renderers.exports import to_csv, to_mermaid, to_xlsx  # matplotlib only when asked
    from renderers.image import render_pdf

    target.parent.mkdir(parents=True, exist_ok=True)
    journey = source.journey
    if fmt is ExportFormat.XLSX:
        to_xlsx(journey, target, lang=lang)
    elif fmt is ExportFormat.CSV:
        to_csv(journey, target, lang=lang)
    elif fmt is ExportFormat.MERMAID:
        target.write_text(to_mermaid(journey, lang=lang), encoding="utf-8")
    elif fmt is ExportFormat.PDF:
        render_pdf(journey, target, lang=lang)
    elif fmt is ExportFormat.HTML:
        from renderers.html import write_html

        write_html(journey, target, lang=lang, history=(source.content or {}).get("history"))
    else:
        text = json.dumps(source.content, ensure_ascii=False, indent=2)
        target.write_text(text, encoding="utf-8")
    return target


async def _export_one(console: Session, wid: str, fmt: ExportFormat) -> None:
    source = await exports.prepare_export(console.store, console.pid, wid, fmt, SystemClock().now())
    target = console.map_dir / wid / f"cjm-{wid}.{SUFFIX[fmt.value]}"
    console.say("console.map.written", path=_write(source, fmt, console.lang, target))


async def export(console: Session, wid: str, arg: str) -> None:
    """/export: the formats this person may take, numbered (or /export xlsx at once)."""
    offered = await exports.offered_formats(console.store, console.pid, wid)
    chosen = exports.export_format(arg.lower())
    if chosen is not None:
        await _export_one(console, wid, chosen)
        return

    def one(fmt: ExportFormat) -> Choice:
        async def act() -> None:
            await _export_one(console, wid, fmt)

        return Choice(t_plain(console.lang, f"bot.export.{fmt.value}"), act)

    console.say("bot.export.ask")
    console.offer([one(f) for f in offered])


async def away(console: Session, wid: str, arg: str) -> None:
    """/away DATE · /away off: an absence in all the person's workshops."""
    said(console, await people.set_away(console.store, SystemClock(), console.pid, wid, arg))


async def timezone(console: Session, wid: str, arg: str) -> None:
    """/timezone Europe/Warsaw: the person's own time zone for reminders."""
    said(console, await people.set_timezone(console.store, SystemClock(), console.pid, wid, arg))


async def language(console: Session, wid: str, arg: str) -> None:
    """/language: the languages, numbered (or /language ru at once)."""

    async def pick(code: str) -> None:
        if await people.set_language(console.store, console.pid, code):
            console.lang = code
            console.say("bot.language.set")

    if arg.lower() in languages():
        await pick(arg.lower())
        return

    def one(code: str) -> Choice:
        async def act() -> None:
            await pick(code)

        return Choice(t_plain(code, "bot.language.name"), act)

    console.say("bot.language.ask")
    console.offer([one(code) for code in languages()])
