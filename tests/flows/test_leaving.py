"""Leaving a workshop and removing a member, through the use cases on real SQLite: the
answers stay under the department, owned touchpoints become gaps, open reviews end, the
last facilitator hands over first, only facilitators remove, counts in each language's
plural form."""

from __future__ import annotations

import pytest

from flows.models import Member, NoteLane, Review, ReviewStatus, Role, Touchpoint, WorkshopStatus
from flows.ports import FixedClock
from flows.texts import t_plain
from flows.workshop import facilitator, leaving
from flows.workshop.facilitator import AccessDenied, NotFound
from flows.workshop.insights import gaps
from flows.workshop.queries import load_map
from renderers.tables import csv_rows
from storage.store import SqliteStore
from tests.builders import NOW, STALE, WorkshopBuilder

ZOFIA = "Zofia Wiśniewska"
ZOFIA_ID = "tg:777123456"
FAC_ID = "tg:9000"
BOB_ID = "tg:9001"


async def dealership(store: SqliteStore, *, lang: str = "en", owned: int = 1) -> WorkshopBuilder:
    """Published: the facilitator, Zofia (sales) owning ``owned`` touchpoints with open
    reviews, a pain point and a note of hers, and Bob (support)."""
    b = WorkshopBuilder(
        "Dealership", language=lang, status=WorkshopStatus.PUBLISHED, timezone="Europe/Warsaw"
    )
    sales, support = b.department("sales"), b.department("support")
    b.member("Fac", tg=9000, role=Role.FACILITATOR)
    zofia = b.member(ZOFIA, tg=777123456, department=sales, position="Head of sales")
    b.member("Bob", tg=9001, department=support)
    stage = b.stage("Test drive")
    for i in range(owned):
        b.touchpoint(stage, f"Showroom {i}", owner=zofia, author=zofia, confirmed=STALE)
    b.pain(stage, "Long wait at the desk", author=zofia, department=sales)
    b.note(stage, NoteLane.GOAL, "Find a car", author_id=zofia.id, department_id=sales.id)
    return await b.save(store, schedule=NOW)


def said(result: leaving.Result, lang: str = "en") -> str:
    return t_plain(lang, result.key, **result.params)


def member(ws: WorkshopBuilder, name: str) -> Member:
    return next(m for m in ws.members if m.name == name)


async def test_leaving_keeps_the_answers_under_the_department(store: SqliteStore) -> None:
    ws = await dealership(store)
    preview = await leaving.leave_preview(store, ZOFIA_ID, ws.id, "en")
    assert preview.ok
    assert "Your answers stay in the map, under Sales." in said(preview)
    assert "You own 1 touchpoint: it will have no owner" in said(preview)

    result = await leaving.leave(store, FixedClock(NOW), ZOFIA_ID, ws.id)

    assert said(result).startswith("You left «Dealership».")
    [told] = result.notices
    assert told.to.id == FAC_ID
    assert t_plain("en", told.key, **told.params) == (
        "🚪 Zofia Wiśniewska left «Dealership»; their answers stay in the map. "
        "1 touchpoint has no owner now — /status lists it."
    )
    journey = await load_map(store, ws.id)
    assert ZOFIA not in [m.name for m in journey.members]
    [showroom] = journey.touchpoints
    assert showroom.owner_id is None and showroom.name == "Showroom 0"
    assert gaps(journey).touchpoints_without_owner == [showroom.id]
    rows = {r["text"]: r for r in csv_rows(journey, "en") if r["kind"] in ("pain", "note")}
    for text in ("Long wait at the desk", "Find a car"):
        assert (rows[text]["department"], rows[text]["author"]) == ("Sales", "")
    async with store.read() as uow:
        reviews = await uow.items.list(ws.id, Review)
        assert await uow.items.member_of(ws.id, ZOFIA_ID) is None
    assert [r.status for r in reviews] == [ReviewStatus.CANCELLED]
    status = "\n".join(
        t_plain("en", p.key, **p.params)
        for p in await facilitator.status_report(store, FAC_ID, ws.id)
    )
    assert ZOFIA not in status and "Bob" in status


@pytest.mark.parametrize(
    ("lang", "owned", "preview_line", "notice_line"),
    [
        ("ru", 3, "За вами 3 точки контакта", "3 точки контакта остались без владельца"),
        ("ru", 5, "За вами 5 точек контакта", "5 точек контакта осталось без владельца"),
        ("pl", 2, "Masz pod opieką 2 punkty styku", "2 punkty styku nie mają teraz właściciela"),
        ("pl", 5, "Masz pod opieką 5 punktów styku", "5 punktów styku nie ma teraz właściciela"),
    ],
)
async def test_counts_take_the_plural_form_of_each_language(
    store: SqliteStore, lang: str, owned: int, preview_line: str, notice_line: str
) -> None:
    ws = await dealership(store, lang=lang, owned=owned)
    async with store.write() as uow:  # the facilitator reads this language too
        fac = await uow.people.get(FAC_ID)
        assert fac is not None
        fac.language = lang
        await uow.people.save(fac)
    preview = await leaving.leave_preview(store, ZOFIA_ID, ws.id, lang)
    assert preview_line in said(preview, lang)
    result = await leaving.leave(store, FixedClock(NOW), ZOFIA_ID, ws.id)
    [told] = result.notices
    assert notice_line in t_plain(lang, told.key, **told.params)


async def test_the_last_facilitator_hands_the_workshop_over_before_leaving(
    store: SqliteStore,
) -> None:
    ws = await dealership(store)
    clock = FixedClock(NOW)
    preview = await leaving.leave_preview(store, FAC_ID, ws.id, "en")
    assert preview.key == "people.leave.heir" and not preview.ok
    assert [label for label, _ in preview.choices] == ["Zofia Wiśniewska · Sales", "Bob · Support"]
    with pytest.raises(AccessDenied) as refused:
        await leaving.leave(store, clock, FAC_ID, ws.id)
    assert refused.value.key == "people.leave.last"
    async with store.read() as uow:
        assert await uow.items.member_of(ws.id, FAC_ID) is not None

    bob = member(ws, "Bob")
    result = await leaving.leave(store, clock, FAC_ID, ws.id, heir_id=bob.id)

    assert said(result).startswith("Bob now runs «Dealership» as a facilitator, and you left it.")
    [told] = result.notices
    assert told.to.id == BOB_ID
    assert t_plain("en", told.key, **told.params).startswith(
        "🤝 You run «Dealership» now: Fac handed it over to you and left."
    )
    async with store.read() as uow:
        assert await uow.items.member_of(ws.id, FAC_ID) is None
        heir = await uow.items.member_of(ws.id, BOB_ID)
    assert heir is not None and heir.role is Role.FACILITATOR
    assert (await facilitator.members(store, BOB_ID, ws.id))[0].name == ZOFIA


async def test_a_facilitator_alone_in_a_workshop_cannot_leave_it(store: SqliteStore) -> None:
    b = WorkshopBuilder("Solo")
    b.member("Fac", tg=9000, role=Role.FACILITATOR)
    ws = await b.save(store)
    preview = await leaving.leave_preview(store, FAC_ID, ws.id, "en")
    assert (preview.key, preview.ok, preview.choices) == ("people.leave.alone", False, [])
    with pytest.raises(AccessDenied):
        await leaving.leave(store, FixedClock(NOW), FAC_ID, ws.id)


async def test_a_confirmation_about_a_membership_that_ended_is_stale(store: SqliteStore) -> None:
    ws = await dealership(store)
    zofia = member(ws, ZOFIA)
    clock = FixedClock(NOW)
    await leaving.leave(store, clock, ZOFIA_ID, ws.id, member_id=zofia.id)
    with pytest.raises(NotFound) as again:
        await leaving.leave(store, clock, ZOFIA_ID, ws.id, member_id=zofia.id)
    assert again.value.key == "people.closed"


async def test_only_a_facilitator_removes_a_member_and_the_removed_person_is_told(
    store: SqliteStore,
) -> None:
    ws = await dealership(store)
    clock = FixedClock(NOW)
    zofia = member(ws, ZOFIA)
    with pytest.raises(AccessDenied) as refused:
        await leaving.remove_member(store, clock, BOB_ID, ws.id, zofia.id)
    assert refused.value.key == "access.not_facilitator"
    with pytest.raises(AccessDenied) as themselves:
        await leaving.remove_member(store, clock, FAC_ID, ws.id, member(ws, "Fac").id)
    assert themselves.value.key == "people.remove.self"
    preview = await leaving.remove_preview(store, FAC_ID, ws.id, zofia.id, "en")
    assert "They own 1 touchpoint" in said(preview)

    result = await leaving.remove_member(store, clock, FAC_ID, ws.id, zofia.id)

    assert said(result) == (
        "Zofia Wiśniewska no longer takes part in «Dealership». "
        "1 touchpoint has no owner now — /status lists it."
    )
    [told] = result.notices
    assert told.to.id == ZOFIA_ID
    assert "A facilitator removed you from «Dealership»" in t_plain("en", told.key, **told.params)
    async with store.read() as uow:
        assert await uow.items.member_of(ws.id, ZOFIA_ID) is None
        [showroom] = await uow.items.list(ws.id, Touchpoint)
    assert showroom.owner_id is None
    with pytest.raises(NotFound):
        await leaving.remove_member(store, clock, FAC_ID, ws.id, zofia.id)
