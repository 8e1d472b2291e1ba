"""The map's header carries the date of the version it shows: the demo's version 1,
published on 2025-03-04 (its answers given on the 3rd, stored today), says 2025-03-04
however much later it is drawn, and a version 2 published later says its own date; a draft says the
date of its last change."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.demo.play import START, play
from flows.ports import FixedClock
from flows.steps.catalog import WorkshopEngine
from flows.workshop import facilitator
from flows.workshop.queries import load_map
from renderers.content import build, last_change
from storage.store import SqliteStore

LATER = datetime(2026, 12, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize("lang", ["en", "ru", "pl"])
async def test_a_published_version_shows_its_publication_date(tmp_path: Path, lang: str) -> None:
    store = await SqliteStore.open(tmp_path / "demo.sqlite3")
    try:
        clock = FixedClock(START)
        pid, workshop_id = await play(WorkshopEngine(store, clock), clock, lang)
        assert clock.now().date().isoformat() == "2025-03-04"  # the demo published v1 then
        first = await load_map(store, workshop_id, at=LATER)
        header = build(first, lang).subtitle
        assert first.version == 1 and "2025-03-04" in header
        assert "2025-03-03" not in header and "2026-12-01" not in header
        clock.advance(days=37)
        await facilitator.publish(store, clock, pid, workshop_id)
        second = await load_map(store, workshop_id, at=LATER)
        assert second.version == 2 and "2025-04-10" in build(second, lang).subtitle
        # a draft (no version yet) is dated by its last change (here: when it was stored)
        draft = build(first.model_copy(update={"version": 0}), lang).subtitle
        assert "2025-03-04" not in draft and last_change(first).date().isoformat() in draft
    finally:
        await store.close()
