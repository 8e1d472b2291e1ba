"""``python -m bench prompts``: how many prompts each department's participant of the
demo workshop answers to contribute everything the demo contributes (bot/demo/script.py
played through the engine, on a fresh database). Every answer counts — typed text,
a pressed option, Skip, Next, Done — from the invite's first question to the home menu."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from bot.demo.play import START, play
from flows.ports import FixedClock
from flows.steps.catalog import WorkshopEngine


async def count(lang: str = "en") -> tuple[dict[str, int], dict[str, Any]]:
    """Prompts per department, and the workshop's export (for the content check)."""
    from storage.store import SqliteStore

    with tempfile.TemporaryDirectory() as folder:
        store = await SqliteStore.open(Path(folder) / "bench.sqlite3")
        try:
            clock = FixedClock(START)
            engine = WorkshopEngine(store, clock, default_lang=lang)
            tally: dict[str, int] = {}
            _, workshop_id = await play(engine, clock, lang, tally=tally)
            export = await store.export_workshop(workshop_id)
        finally:
            await store.close()
    return tally, export


def run() -> dict[str, Any]:
    tally, _ = asyncio.run(count())
    return {"prompts_per_participant": tally}
