"""``cjm-bot render|export|import|backup|list|forget``: workshop tools on the database file.

Each command is ``f(args, settings) -> int`` (0 ok, 1 a problem the message explains).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from bot.settings import database_of
from flows.models import JourneyMap
from flows.workshop.queries import UnknownWorkshop, load_map
from storage.open_store import OpenStore, open_store

T = TypeVar("T")


class ToolError(Exception):
    """A problem to report to the user in one line; the command exits with 1."""


def _fail(message: str) -> int:
    print(f"cjm-bot: {message}", file=sys.stderr)
    return 1


def _with_store(settings: Any, work: Callable[[OpenStore], Awaitable[T]]) -> T:
    async def main() -> T:
        store = await open_store(database_of(settings))
        try:
            return await work(store)
        finally:
            await store.close()

    return asyncio.run(main())


def _lang(journey: JourneyMap, settings: Any) -> str:
    return journey.workshop.language or getattr(settings, "default_language", "en")


async def _map(store: OpenStore, workshop_id: str) -> JourneyMap:
    try:
        return await load_map(store, workshop_id)
    except UnknownWorkshop:
        raise ToolError(f"no workshop with id {workshop_id!r} (see `cjm-bot list`)") from None


def _run(fn: Callable[[], int]) -> int:
    try:
        return fn()
    except ToolError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))


def render(args: argparse.Namespace, settings: Any) -> int:
    """Render the map by the --out extension: .png, .pdf or .svg."""
    from renderers.image import write_map as render_file

    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".pdf", ".svg"):
        return _fail(f"cannot render to {out.name!r}: use a .png, .pdf or .svg file name")

    def go() -> int:
        journey = _with_store(settings, lambda s: _map(s, args.workshop))
        render_file(journey, out, lang=_lang(journey, settings))
        print(out)
        return 0

    return _run(go)


def export(args: argparse.Namespace, settings: Any) -> int:
    """Export as xlsx, csv, json (the whole workshop, re-importable), mermaid, png, pdf or
    html (the interactive map, one self-contained file)."""
    from renderers import exports, image

    out = Path(args.out)

    async def load(store: OpenStore) -> tuple[JourneyMap, dict[str, Any] | None]:
        journey = await _map(store, args.workshop)
        data = await store.export_workshop(args.workshop) if args.format == "json" else None
        if args.format == "html":
            from flows.workshop.exports import item_history

            async with store.read() as uow:
                data = {"history": await item_history(uow, journey)}
        return journey, data

    def go() -> int:
        journey, data = _with_store(settings, load)
        lang = _lang(journey, settings)
        if args.format == "json":
            out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        elif args.format == "mermaid":
            out.write_text(exports.to_mermaid(journey, lang=lang), encoding="utf-8")
        elif args.format == "html":
            from renderers.html import write_html

            write_html(journey, out, lang=lang, history=(data or {}).get("history"))
        else:
            writer = {
                "xlsx": exports.to_xlsx,
                "csv": exports.to_csv,
                "png": image.render_png,
                "pdf": image.render_pdf,
            }[args.format]
            writer(journey, out, lang=lang)
        print(out)
        return 0

    return _run(go)


def import_(args: argparse.Namespace, settings: Any) -> int:
    """Import a JSON export; --replace overwrites a workshop with the same id."""
    from storage.transfer import WorkshopImportError

    def go() -> int:
        try:
            data = json.loads(Path(args.file).read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ToolError(f"{args.file} is not a JSON file: {exc}") from None
        try:
            workshop_id = _with_store(
                settings, lambda s: s.import_workshop(data, replace=args.replace)
            )
        except WorkshopImportError as exc:
            raise ToolError(str(exc)) from None
        print(workshop_id)
        return 0

    return _run(go)


def backup(args: argparse.Namespace, settings: Any) -> int:
    """An online backup: safe while the bot runs."""

    def go() -> int:
        _with_store(settings, lambda s: s.backup(args.out))
        print(args.out)
        return 0

    return _run(go)


def list_(args: argparse.Namespace, settings: Any) -> int:
    """One line per workshop: id, status, title."""

    async def load(store: OpenStore) -> list[Any]:
        async with store.read() as uow:
            return list(await uow.workshops.list_all())

    def go() -> int:
        workshops = _with_store(settings, load)
        if not workshops:
            print("no workshops yet", file=sys.stderr)
        for ws in workshops:
            print(f"{ws.id}\t{ws.status.value}\t{ws.title}")
        return 0

    return _run(go)


def drop_cached_maps(folder: Path) -> int:
    """Delete the finished map renders cached in ``folder`` (they are made again when asked:
    after a person is forgotten, the earlier ones may still show their name)."""
    dropped = 0
    for each in Path(folder).glob("*/done"):
        shutil.rmtree(each.parent, ignore_errors=True)
        dropped += 1
    return dropped


def forget(args: argparse.Namespace, settings: Any) -> int:
    """Erase a person's personal data (PERSON: tg:12345 or a Telegram user id); the
    workshops keep their content, under each member's department."""
    from flows.ports import SystemClock
    from flows.texts import t_plain
    from flows.workshop.facilitator import NotFound
    from flows.workshop.forgetting import forget_person, person_id_of

    lang = getattr(settings, "default_language", "en")
    person = person_id_of(args.person)

    def go() -> int:
        try:
            done = _with_store(settings, lambda s: forget_person(s, SystemClock(), person, lang))
        except NotFound:
            raise ToolError(t_plain(lang, "cli.forget.unknown", person=person)) from None
        drop_cached_maps(Path(settings.database_path).parent / "maps")
        counts = {
            k: getattr(done, k) for k in ("memberships", "positions", "touchpoints", "history")
        }
        print(t_plain(lang, "cli.forget.done", person=person, **counts))
        return 0

    return _run(go)
