"""The persona section, filled once and built on: the first person describes it in one
message ("Label: value" lines) and says whether it rests on data; the next colleague sees
the card and agrees in one tap, or picks the fields to add or correct. A differing answer
is kept beside the card's value (a disagreement), never overwriting it."""

from __future__ import annotations

from flows.models import Basis, JourneyMap, Persona
from flows.steps.persona import card
from flows.workshop.status import status_text
from renderers.content import build
from storage.store import SqliteStore
from tests.flows.flowkit import joined, make_engine, new_workshop


async def _persona(store: SqliteStore, ws: str) -> Persona:
    async with store.read() as uow:
        (persona,) = await uow.items.list(ws, Persona)
    return persona


async def test_described_once_then_agreed_or_added_to_with_differences_kept(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"], name="Pat")
    assert pat.step == "persona.form"
    out = await pat.text("Segment: Young parents\nWho are they: nobody knows")
    assert out.replies[0].key == "busy.form.unknown" and pat.step == "persona.form"
    assert out.replies[0].params["line"] == "Who are they: nobody knows"
    await pat.text("segment: Young parents\nAGE: 30-40\nFrustrations & fears: queues")
    assert pat.step == "persona.basis"
    await pat.press(Basis.DATA.value)
    assert pat.step == "persona.sources"
    await pat.text("CRM export")
    assert pat.step is not None and not pat.step.startswith("persona.")
    persona = await _persona(store, ws)
    assert (persona.segment, persona.age, persona.gender) == ("Young parents", "30-40", "")
    assert persona.frustrations == "queues" and persona.basis is Basis.DATA
    assert persona.sources == "CRM export"

    sam = await joined(engine, "t:sam", codes["sales"], name="Sam")
    assert sam.step == "persona.card"  # the card, not seventeen questions
    assert "Segment: Young parents" in sam.last.prompt.params["card"]  # type: ignore[union-attr]
    await sam.press("edit")
    await sam.press("age")
    await sam.press("income")
    await sam.press("!done")
    assert sam.step == "persona.age" and sam.last.prompt.params["current"] == "30-40"  # type: ignore[union-attr]
    await sam.text("25-30")  # differs: kept beside, not instead
    assert sam.step == "persona.income"
    await sam.text("Middle")  # empty until now: fills the field
    assert sam.step is not None and not sam.step.startswith("persona.")
    persona = await _persona(store, ws)
    assert (persona.age, persona.income) == ("30-40", "Middle")
    assert [(a.field, a.text) for a in persona.alternatives] == [("age", "25-30")]
    shown = card(persona, "en", {persona.alternatives[0].department_id or "": "Sales"})
    assert "Age: 30-40 ≠ 25-30 (Sales)" in shown

    async with store.read() as uow:  # the status's radar and the map show the difference
        workshop = await uow.workshops.get(ws)
        assert workshop is not None
        parts = await status_text(uow, workshop, "en")
        journey = JourneyMap.from_items(workshop, await uow.items.all_of_workshop(ws))
    radar = next(p for p in parts if p.key == "status.radar").params["items"]
    assert "Persona «Anxious first-time patient», Age: 30-40 ≠ 25-30 (Sales)" in radar
    assert ("Age", "30-40 ≠ 25-30") in build(journey, "en").persona

    sue = await joined(engine, "t:sue", codes["support"], name="Sue")
    await sue.press("agree")  # one tap
    assert sue.step is not None and not sue.step.startswith("persona.")
    assert await _persona(store, ws) == persona


async def test_nothing_to_add_on_an_empty_persona_changes_nothing(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    before = await _persona(store, ws)
    async with store.read() as uow:
        history = len(await uow.items.history(before.id))
    pat = await joined(engine, "t:pat", codes["marketing"])
    await pat.press("!next")  # "Nothing to add"
    assert pat.step is not None and not pat.step.startswith("persona.")
    after = await _persona(store, ws)
    async with store.read() as uow:
        assert len(await uow.items.history(after.id)) == history
    assert after == before
