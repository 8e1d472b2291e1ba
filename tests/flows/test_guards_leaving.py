"""Leaving and removing, as the people involved read it: the hand-over question lists
what stays and what changes line by line, the other facilitators hear who removed whom in
their own language, a leaving facilitator is not told about themselves, the audit names
who made the heir a facilitator, each confirmation is tied to its membership, and a round
that waited on the person may end."""

from __future__ import annotations

import pytest

from flows.models import Member, Role, WorkshopStatus
from flows.ports import FixedClock
from flows.texts import t_plain
from flows.workshop import leaving
from flows.workshop.facilitator import AccessDenied, NotFound
from storage.store import SqliteStore
from tests.builders import NOW, WorkshopBuilder

FAC, CO, ZOFIA, BOB = "tg:9000", "tg:9002", "tg:777", "tg:9001"


async def dealership(store: SqliteStore, *, co_host: bool = False) -> WorkshopBuilder:
    """The facilitator Fac (no department, owns two touchpoints), Zofia (sales, owns one)
    and Bob; with ``co_host`` a second facilitator, Co, who reads Polish."""
    b = WorkshopBuilder("Dealership", status=WorkshopStatus.PUBLISHED)
    sales = b.department("sales")
    fac = b.member("Fac", tg=9000, role=Role.FACILITATOR)
    zofia = b.member("Zofia", tg=777, department=sales)
    b.member("Bob", tg=9001)
    if co_host:
        b.member("Co", tg=9002, role=Role.FACILITATOR, language="pl")
    stage = b.stage("Test drive")
    b.touchpoint(stage, "Showroom", owner=fac)
    b.touchpoint(stage, "Website", owner=fac)
    b.touchpoint(stage, "Hotline", owner=zofia)
    return await b.save(store, schedule=NOW)


def named(ws: WorkshopBuilder, name: str) -> Member:
    return next(m for m in ws.members if m.name == name)


def text(key: str, params: dict, lang: str = "en") -> str:  # type: ignore[type-arg]
    return t_plain(lang, key, **params)


async def test_the_hand_over_question_says_what_stays_and_the_leaver_makes_the_heir_facilitator(
    store: SqliteStore,
) -> None:
    ws = await dealership(store)
    fac, bob = named(ws, "Fac"), named(ws, "Bob")
    asked = await leaving.heir_preview(store, FAC, ws.id, fac.id, bob.id, "en")
    assert (asked.ok, asked.member_id) == (True, fac.id)
    assert text(asked.key, asked.params) == (
        "Hand «Dealership» over to Bob and leave it?\n\n"
        "• Bob becomes a facilitator.\n"
        "• Your answers stay in the map.\n"
        "• You own 2 touchpoints: they will have no owner until a facilitator names new ones."
    )
    with pytest.raises(NotFound):  # a question about another membership is stale
        await leaving.heir_preview(store, FAC, ws.id, bob.id, bob.id, "en")

    result = await leaving.leave(store, FixedClock(NOW), FAC, ws.id, heir_id=bob.id)
    assert result.rounds_of == ws.id
    async with store.read() as uow:
        made = (await uow.items.history(bob.id))[-1]
    assert (made.actor, made.data["role"]) == (fac.id, Role.FACILITATOR.value)


async def test_the_leave_question_and_a_lone_facilitator_are_tied_to_the_membership(
    store: SqliteStore,
) -> None:
    ws = await dealership(store)
    zofia = named(ws, "Zofia")
    asked = await leaving.leave_preview(store, ZOFIA, ws.id, "en")
    assert asked.member_id == zofia.id
    assert text(asked.key, asked.params).split("\n\n")[1] == (
        "• Your answers stay in the map, under Sales.\n"
        "• You own 1 touchpoint: it will have no owner until a facilitator names a new one."
    )
    solo = WorkshopBuilder("Solo")
    alone = solo.member("Fac", tg=9000, role=Role.FACILITATOR)
    await solo.save(store)
    preview = await leaving.leave_preview(store, FAC, solo.id, "en")
    assert (preview.key, preview.member_id) == ("people.leave.alone", alone.id)


async def test_a_facilitator_who_leaves_is_not_told_about_it_and_the_other_one_is(
    store: SqliteStore,
) -> None:
    ws = await dealership(store, co_host=True)
    result = await leaving.leave(store, FixedClock(NOW), FAC, ws.id)
    assert [n.to.id for n in result.notices] == [CO]
    assert result.rounds_of == ws.id


async def test_the_other_facilitators_hear_who_removed_whom_in_their_language(
    store: SqliteStore,
) -> None:
    ws = await dealership(store, co_host=True)
    zofia, fac = named(ws, "Zofia"), named(ws, "Fac")
    with pytest.raises(AccessDenied) as refused:
        await leaving.remove_preview(store, FAC, ws.id, fac.id, "en")
    assert refused.value.key == "people.remove.self"
    asked = await leaving.remove_preview(store, FAC, ws.id, zofia.id, "en")
    assert (asked.ok, asked.member_id) == (True, zofia.id)

    result = await leaving.remove_member(store, FixedClock(NOW), FAC, ws.id, zofia.id)
    assert result.rounds_of == ws.id
    told = {n.to.id: n for n in result.notices}
    assert set(told) == {ZOFIA, CO}
    co = told[CO]
    assert co.lang == "pl"
    assert text(co.key, co.params, "pl") == text(
        "people.removed.facilitators",
        {
            "by": "Fac",
            "name": "Zofia",
            "title": "Dealership",
            "orphans": " " + text("people.orphans.one", {"count": 1}, "pl"),
        },
        "pl",
    )
    assert "Fac" in text(co.key, co.params, "pl") and "Zofia" in text(co.key, co.params, "pl")
