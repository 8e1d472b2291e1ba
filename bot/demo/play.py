"""``cjm-bot demo --out DIR``: a car dealership's workshop played through the real engine
on a fresh database in DIR — a facilitator sets it up, marketing, sales and support join
by their invite codes and fill in every section (KPI readings, anonymous pain points,
ideas, and a disagreement about the Deal stage), the facilitator publishes version 1.
Writes ``workshop.json`` and, when the renderer is installed, the map and the exports."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.demo.script import SCRIPTS
from flows.conversation.player import Player
from flows.models import JourneyMap
from flows.ports import FixedClock
from flows.steps.catalog import WorkshopEngine
from flows.texts import normalize_language, t_plain
from flows.workshop import facilitator

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def _say(lang: str, key: str, **params: Any) -> None:
    print(t_plain(lang, key, **params), flush=True)


async def _setup(
    engine: WorkshopEngine, script: dict[str, Any], lang: str
) -> tuple[str, str, dict[str, str]]:
    pid = f"demo:{script['facilitator']}"
    player = Player(engine, pid)
    player._keep(await engine.start_setup(pid, name=script["facilitator"], language=lang))
    out = await player.play(script["setup"])
    created = next(r for o in player.seen for r in o.requests if r.kind == "workshop_created")
    codes = {i["key"]: i["code"] for i in created.params["invites"]}
    assert out.workshop_id is not None
    return pid, out.workshop_id, codes


async def play(
    engine: WorkshopEngine, clock: FixedClock, lang: str, *, tally: dict[str, int] | None = None
) -> tuple[str, str]:
    """Run the whole scripted workshop; returns (facilitator person id, workshop id).
    ``tally`` gets the number of prompts each department's participant answered."""
    script = SCRIPTS[lang]
    pid, workshop_id, codes = await _setup(engine, script, lang)
    for name, dept, position, answers in script["people"]:  # type: ignore[attr-defined]
        clock.advance(hours=2)
        person = f"demo:{name}"
        player = Player(engine, person)
        player._keep(await engine.join(person, codes[dept], name=name, language=lang))
        await player.play(
            {"join.confirm": ["=yes"], "join.name": [name], "join.position": [position], **answers}
        )
        if tally is not None:
            tally[dept] = player.answered
    clock.advance(days=1)
    await facilitator.publish(engine.store, clock, pid, workshop_id)
    return pid, workshop_id


def _write_outputs(journey: JourneyMap, export: dict[str, Any], out: Path, lang: str) -> list[Path]:
    from renderers import write_all  # matplotlib loads only when the map is drawn

    return list(write_all(journey, export, out, lang=lang))


async def run(out: Path, lang: str) -> list[Path]:
    from storage.store import SqliteStore

    out.mkdir(parents=True, exist_ok=True)
    database = out / "demo.sqlite3"
    for stale in out.glob("demo.sqlite3*"):
        stale.unlink()
    script = SCRIPTS[lang]
    _say(lang, "demo.start", title=script["setup"]["setup.title"][0], path=out)  # type: ignore[index]
    store = await SqliteStore.open(database)
    try:
        clock = FixedClock(START)
        engine = WorkshopEngine(store, clock, default_lang=lang)
        pid, workshop_id = await play(engine, clock, lang)
        for part in await facilitator.status_report(store, pid, workshop_id, lang):
            _say(lang, part.key, **part.params)
        journey = await facilitator.load_map(store, pid, workshop_id)
        # the map is drawn as of the demo's own clock, so nothing looks stale
        journey = journey.model_copy(update={"generated_at": clock.now()})
        export = await store.export_workshop(workshop_id)
        written = _write_outputs(journey, export, out, lang)
    finally:
        await store.close()
    for path in [*written, database]:
        _say(lang, "demo.wrote", path=path)
    _say(
        lang,
        "demo.done",
        people=len(journey.members),
        stages=len(journey.stages),
        touchpoints=len(journey.touchpoints),
        pains=len(journey.pains),
        ideas=len(journey.ideas),
    )
    return written


def main(args: argparse.Namespace, settings: Any) -> int:
    lang = normalize_language(args.lang or getattr(settings, "default_language", None))
    if lang not in SCRIPTS:
        lang = "en"
    asyncio.run(run(Path(args.out), lang))
    return 0
