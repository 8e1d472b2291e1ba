"""/forget_me's question as the person reads it: every workshop they leave on its own line
(a workshop that is gone is passed over, not the end of the list), their names once, and
for someone unknown "—" and "You are in no workshop."; someone never seen cannot be
forgotten."""

from __future__ import annotations

import pytest

from flows.models import Role
from flows.ports import FixedClock
from flows.texts import t_plain
from flows.workshop.facilitator import NotFound
from flows.workshop.forgetting import forget_person, forget_preview
from storage.store import SqliteStore
from tests.builders import NOW, WorkshopBuilder

ANNA = "tg:1"


def workshops_part(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith(("• You leave", "  ⚠️"))]


async def test_the_question_lists_each_workshop_and_passes_over_one_that_is_gone(
    store: SqliteStore,
) -> None:
    built = []
    for title, role in (
        ("Gone", Role.PARTICIPANT),
        ("Shop", Role.PARTICIPANT),
        ("Bank", Role.FACILITATOR),
    ):
        b = WorkshopBuilder(title)
        b.member("Anna", tg=1, role=role)
        built.append(await b.save(store))
    async with store.write() as uow:
        gone = await uow.workshops.get(built[0].id)
        assert gone is not None
        gone.deleted_at = NOW
        await uow.workshops.update(gone)
    asked = await forget_preview(store, ANNA, "en")
    text = t_plain("en", asked.key, **asked.params)
    assert "your name (Anna)" in text
    assert workshops_part(text) == [
        "• You leave «Shop» (participant).",
        "• You leave «Bank» (facilitator).",
        t_plain("en", "people.forget.last", title="Bank"),
    ]


async def test_someone_unknown_is_in_no_workshop_and_cannot_be_forgotten(
    store: SqliteStore,
) -> None:
    asked = await forget_preview(store, "tg:404", "en")
    assert asked.params == {"names": "—", "workshops": "You are in no workshop."}
    with pytest.raises(NotFound) as unknown:
        await forget_person(store, FixedClock(NOW), "tg:404")
    assert unknown.value.key == "people.forget.unknown"
