"""Anonymous means anonymous: after the demo's support lead submits two anonymous pain
points, nothing stored, exported or logged links them to her — not the items, their
audit, her conversation position, the exports in every format, nor the raw SQLite file."""

from __future__ import annotations

import csv
import json
import logging
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from bot.demo.play import play
from flows.models import Member, PainPoint
from flows.ports import FixedClock
from flows.workshop import facilitator
from flows.workshop.queries import load_map
from renderers import write_all
from storage.store import SqliteStore
from tests.flows.flowkit import T0, make_engine

AUTHOR = "Svetlana"


async def _demo(store: SqliteStore) -> tuple[str, str, list[PainPoint], list[str]]:
    clock = FixedClock(T0)
    facilitator_pid, wid = await play(make_engine(store, clock), clock, "en")
    async with store.read() as uow:
        pains = [p for p in await uow.items.list(wid, PainPoint) if p.anonymous]
        author = next(m for m in await uow.items.list(wid, Member) if m.name == AUTHOR)
    assert len(pains) == 2 and author.person_id
    return facilitator_pid, wid, pains, [AUTHOR, author.id, author.person_id]


def _leaks(text: str, marks: list[str], identities: list[str]) -> list[str]:
    """Identities found in a piece of text that mentions an anonymous item."""
    if not any(mark in text for mark in marks):
        return []
    return [who for who in identities if who in text]


async def test_nothing_stored_or_exported_links_an_anonymous_pain_point_to_its_author(
    store: SqliteStore, db_path: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fac, wid, pains, identities = await _demo(store)
    # what points at the item itself: its text (an idea that names the pain point's id is
    # its own author's, not a link to who reported the pain)
    marks = [p.description for p in pains]

    export = await store.export_workshop(wid)
    for pain in pains:
        item = next(i for i in export["items"]["pain"] if i["id"] == pain.id)
        assert item["author_id"] is None and item["department_id"]
        entries = [a for a in export["audit"] if a["item_id"] == pain.id]
        assert entries and all(a["actor"] == f"anonymous:{pain.department_id}" for a in entries)
    about = [e for e in export["audit"] if e["item_id"] in {p.id for p in pains}]
    versions = export["items"]["map_version"]
    assert versions
    for version in versions:  # the frozen maps hold the pain points without an author
        frozen = [p for p in version["snapshot"]["pains"] if p["id"] in {x.id for x in pains}]
        assert frozen and all(p["author_id"] is None for p in frozen)
        assert all(m["person_id"] is None for m in version["snapshot"]["members"])
    for entry in [*export["items"]["pain"], *export["audit"]]:
        if entry.get("kind") == "map_version":
            continue  # a frozen map: its member list is not next to the pain point
        own = entry in about or entry.get("id") in {p.id for p in pains}
        text = json.dumps(entry, ensure_ascii=False)
        assert _leaks(text, marks + ([text] if own else []), identities) == []

    journey = await load_map(store, wid)
    folder = tmp_path / "out"
    for path in write_all(journey, export, folder, lang="en"):
        if path.suffix in (".csv", ".mmd", ".json"):
            for line in path.read_text(encoding="utf-8").splitlines():
                assert _leaks(line, marks, identities) == [], path.name
    with (folder / "workshop.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("id") in {p.id for p in pains}]
    assert len(rows) == 2
    book = openpyxl.load_workbook(folder / "workshop.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert _leaks(" | ".join(str(v) for v in row if v), marks, identities) == []

    for part in await facilitator.status_report(store, fac, wid, "en"):
        text = json.dumps(part.params, ensure_ascii=False)
        assert _leaks(text, marks, identities) == []

    for record in caplog.records:
        assert _leaks(record.getMessage(), marks, identities) == []

    await store.close()  # the WAL is checkpointed into the file
    raw = sqlite3.connect(db_path)
    live = 0
    for (table,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in raw.execute(f"SELECT * FROM {table}"):  # noqa: S608 - the schema's names
            text = " | ".join(str(v) for v in row)
            live += sum(text.count(p.description) for p in pains)
            if " | map_version | " in text:
                continue  # a frozen map (its pain points have no author: checked above)
            own = any(f"| {p.id} |" in f"| {text} |" for p in pains)  # the item, its audit
            assert _leaks(text, marks + ([text] if own else []), identities) == [], (
                table,
                text[:300],
            )
    raw.close()
    data = db_path.read_bytes()
    # no stale copy of the text (a draft, an old audit row) lingers in free pages
    assert sum(data.count(p.description.encode()) for p in pains) == live


async def test_the_author_cannot_go_back_into_an_anonymous_answer(store: SqliteStore) -> None:
    _, wid, pains, _ = await _demo(store)
    async with store.read() as uow:
        position = await uow.positions.get(f"demo:{AUTHOR}", wid)
    assert position is not None
    stored = json.dumps(position.model_dump(mode="json"), ensure_ascii=False)
    remembered = [e["draft"].get("_ids") or {} for e in position.history] + [
        position.draft.get("_ids") or {}
    ]
    for pain in pains:
        assert pain.description not in stored
        # an item id the position keeps to edit it again (every pain point's id is in the
        # ideas loop of everybody, which says nothing about who wrote it)
        assert all(pain.id not in ids.values() for ids in remembered)
