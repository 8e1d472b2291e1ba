"""Forgetting a person, through the use cases on real SQLite: afterwards neither their name
nor their Telegram id is in the database's workshop tables, the JSON export, the XLSX and
CSV exports, the map's content or the status — while the workshop keeps their answers
under their department, and the processed-update log stays."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from flows.models import Department, MapVersion, Member, PainPoint, Position, Role, Touchpoint
from flows.ports import FixedClock
from flows.texts import t_plain
from flows.workshop import facilitator, forgetting, leaving, people
from flows.workshop.facilitator import NotFound
from flows.workshop.queries import load_map
from flows.workshop.versions import decode_change, save_version
from renderers.content import Content, build
from renderers.exports import to_csv, to_xlsx
from storage.store import SqliteStore
from tests.backends import rows
from tests.builders import NOW, WorkshopBuilder
from tests.flows.test_leaving import FAC_ID, ZOFIA, ZOFIA_ID, dealership, member

TRACES = (ZOFIA, "777123456", "Head of sales", "Zosia")


def absent(text: str) -> list[str]:
    """The traces of Zofia found in ``text`` (none, after she is forgotten)."""
    return [trace for trace in TRACES if trace in text]


async def _everything_about_her(store: SqliteStore) -> tuple[str, str]:
    """Ws A: Zofia (sales) joined, owns a touchpoint handed to her between versions 1 and 2,
    set her time zone and an absence, and stands in a flow. Ws B: she created it (with her
    Telegram name "Zosia") and published it herself, as a co-facilitator."""
    a = await dealership(store)
    clock = FixedClock(NOW)
    bob = member(a, "Bob")
    async with store.write() as uow:
        [showroom] = await uow.items.list(a.id, Touchpoint)
        showroom.owner_id = bob.id
        await uow.items.update(showroom)
    await facilitator.publish(store, clock, FAC_ID, a.id)
    async with store.write() as uow:
        showroom.owner_id = member(a, ZOFIA).id
        await uow.items.update(showroom)
        await save_version(uow, a.workshop, NOW, author_id=member(a, "Fac").id)
        await uow.updates.first_time("tg:555")
        await uow.positions.save(Position(person_id=ZOFIA_ID, workshop_id=a.id, flow="pains"))
    await people.set_timezone(store, clock, ZOFIA_ID, a.id, "Europe/Warsaw")
    await people.set_away(store, clock, ZOFIA_ID, a.id, "10.06.2026")
    b = WorkshopBuilder("Clinic", created_by=ZOFIA_ID)
    b.member("Zosia", tg=777123456, role=Role.FACILITATOR)
    b.member("Olga", tg=9100, role=Role.FACILITATOR)
    ws_b = await b.save(store)
    async with store.write() as uow:
        zofia_b = await uow.items.member_of(ws_b.id, ZOFIA_ID)
        assert zofia_b is not None
        await uow.positions.save(b.position(zofia_b, "home", "home.menu"))
    await facilitator.publish(store, clock, ZOFIA_ID, ws_b.id)
    return a.id, ws_b.id


async def _tables(store: SqliteStore) -> str:
    """Every stored row of the workshops, items, audit, people and positions."""
    found = []
    for sql in (
        "SELECT CAST(data AS TEXT) FROM workshops",
        "SELECT CAST(data AS TEXT) FROM items",
        "SELECT CAST(data AS TEXT) || ' ' || coalesce(actor, '') FROM audit",
        "SELECT id || ' ' || CAST(data AS TEXT) FROM people",
        "SELECT person_id || ' ' || CAST(data AS TEXT) FROM positions",
    ):
        found += [str(row[0]) for row in await rows(store, sql)]
    return "\n".join(found)


def _content_text(content: Content) -> str:
    """Every text the map image draws."""
    texts = [content.title, content.subtitle, content.summary]
    texts += [f"{a} {b}" for a, b in content.persona + content.departments]
    for stage in content.stages:
        texts += [stage.name] + [
            p for lane in stage.lanes.values() for e in lane for p in e.paragraphs
        ]
    return "\n".join(texts)


def _xlsx_text(path: Path) -> str:
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    return "\n".join(
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    )


async def test_forgetting_erases_the_person_everywhere_and_keeps_the_content(
    store: SqliteStore, tmp_path: Path
) -> None:
    a, b = await _everything_about_her(store)
    before = await _tables(store)
    assert absent(before) == list(TRACES)  # the test looks where she is

    done = await forgetting.forget_person(store, FixedClock(NOW), ZOFIA_ID)

    assert (done.memberships, done.positions, done.touchpoints) == (2, 2, 1)
    assert absent(await _tables(store)) == []
    for workshop_id in (a, b):
        exported = json.dumps(await store.export_workshop(workshop_id), ensure_ascii=False)
        assert absent(exported) == []
        journey = await load_map(store, workshop_id)
        to_xlsx(journey, tmp_path / "map.xlsx")
        to_csv(journey, tmp_path / "map.csv")
        assert absent(_xlsx_text(tmp_path / "map.xlsx")) == []
        assert absent((tmp_path / "map.csv").read_text(encoding="utf-8")) == []
        for lang in ("en", "ru"):
            assert absent(_content_text(build(journey, lang))) == []
    status = await facilitator.status_report(store, FAC_ID, a)
    assert absent("\n".join(t_plain("en", p.key, **p.params) for p in status)) == []


async def test_what_stays_is_named_after_the_department(store: SqliteStore) -> None:
    a, b = await _everything_about_her(store)
    done = await forgetting.forget_person(store, FixedClock(NOW), ZOFIA_ID)
    async with store.read() as uow:
        rows = await uow.items.list(a, Member, include_deleted=True)
        sales = next(d for d in await uow.items.list(a, Department) if d.key == "sales")
        [pain] = await uow.items.list(a, PainPoint)
        versions = sorted(await uow.items.list(a, MapVersion), key=lambda v: v.number)
        former = next(m for m in rows if m.deleted_at is not None)
        history = await uow.items.history(former.id)
        assert await uow.people.get(ZOFIA_ID) is None
        clinic = await uow.workshops.get(b)
    async with store.write() as uow:
        assert await uow.updates.first_time("tg:555") is False  # the update log stays
    assert (former.name, former.person_id, former.position) == ("Former member of Sales", None, "")
    assert (former.timezone, former.away_until) == (None, None)
    assert {entry.data["name"] for entry in history} == {"Former member of Sales"}
    assert (pain.author_id, pain.department_id) == (former.id, sales.id)
    snapshot_names = [m["name"] for m in versions[0].snapshot["members"]]  # type: ignore[union-attr]
    assert "Former member of Sales" in snapshot_names
    owners = [decode_change(c).params for c in versions[1].changes]
    assert {"touchpoint": "Showroom 0", "owner": "Former member of Sales"} in owners
    assert clinic is not None and clinic.created_by == ""
    async with store.read() as uow:  # her publishing is still hers, by her member id
        former_b = next(
            m for m in await uow.items.list(b, Member, include_deleted=True) if m.deleted_at
        )
        published = [
            e.actor for e in await uow.items.history(b) if e.data.get("status") == "published"
        ]
    assert published and set(published) == {former_b.id}
    [told] = [n for n in done.notices if n.to.id == FAC_ID]
    assert t_plain("en", told.key, **told.params) == (
        "🧹 A member of Sales left «Dealership» and asked to be forgotten: their name is "
        "erased, their answers stay in the map. 1 touchpoint has no owner now — /status lists it."
    )
    assert [m.name for m in await facilitator.members(store, "tg:9100", b)] == ["Olga"]


async def test_the_preview_lists_what_goes_and_warns_the_only_facilitator(
    store: SqliteStore,
) -> None:
    b = WorkshopBuilder("Clinic")
    b.member("Zosia", tg=777123456, role=Role.FACILITATOR)
    b.member("Bob", tg=9001)
    await b.save(store)
    preview = await forgetting.forget_preview(store, ZOFIA_ID, "en")
    text = t_plain("en", preview.key, **preview.params)
    assert "your name (Zosia)" in text
    assert "• You leave «Clinic» (facilitator)." in text
    assert "You are its only facilitator: nobody will be able to manage it afterwards." in text
    assert "What stays: the answers you gave, under your department" in text


async def test_a_person_never_seen_cannot_be_forgotten(store: SqliteStore) -> None:
    with pytest.raises(NotFound):
        await forgetting.forget_person(store, FixedClock(NOW), "tg:1")
    assert forgetting.person_id_of(" 12345 ") == "tg:12345"
    assert forgetting.person_id_of("tg:12345") == "tg:12345"


async def test_someone_who_left_earlier_is_forgotten_too(store: SqliteStore) -> None:
    ws = await dealership(store)
    await leaving.leave(store, FixedClock(NOW), ZOFIA_ID, ws.id)
    exported = json.dumps(await store.export_workshop(ws.id), ensure_ascii=False)
    assert ZOFIA in exported  # leaving alone keeps the name in the history
    done = await forgetting.forget_person(store, FixedClock(NOW), ZOFIA_ID)
    assert (done.memberships, done.touchpoints, done.notices) == (1, 0, [])
    assert absent(await _tables(store)) == []
