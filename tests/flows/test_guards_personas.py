"""Several personas: the stage notes, emotions and pain points are asked "same for all
personas, or one of them?" (one tap, the first button: all), and one persona's map holds
its card and what was given for it or for all. With one persona nothing more is asked."""

from __future__ import annotations

from flows.models import EmotionScore, PainPoint, StageNote
from flows.texts import t_plain
from flows.workshop.personas import for_persona, personas_of
from flows.workshop.queries import load_map, load_map_rows
from storage.store import SqliteStore
from tests.flows.flowkit import SETUP, joined, make_engine, new_workshop

TWO = {**SETUP, "setup.personas": ["Anxious patient", "Busy parent", "!done"]}


def _labels(player) -> list[str]:  # type: ignore[no-untyped-def]
    buttons = [b for row in player.last.prompt.buttons for b in row]
    return [b.label or t_plain("en", b.label_key, **b.label_params) for b in buttons]


async def test_each_answer_can_be_one_personas_and_each_map_shows_its_own(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine, script=TWO)
    pat = await joined(engine, "t:pat", codes["marketing"])
    anxious, busy = await personas_of(store, ws)
    await pat.play({}, until="stages.notes")
    await pat.text("Find a dentist who does not hurt")
    assert pat.step == "stages.persona"
    assert t_plain("en", pat.last.prompt.key) == (  # type: ignore[union-attr]
        "Is this the same for every persona, or for one of them?"
    )
    assert _labels(pat)[:3] == ["Same for all personas", "Anxious patient", "Busy parent"]
    await pat.press(anxious.id)
    await pat.text("Book in one minute")
    await pat.press("all")  # the first button: for every persona
    await pat.play({"stages.notes": ["!rest"]}, until="emotions.score")
    await pat.text("-2 1")  # two stages in one message: one tap each for the persona
    assert pat.step == "emotions.persona"
    await pat.press(anxious.id)
    assert pat.step == "emotions.persona"
    await pat.press("all")
    await pat.play({}, until="pains.description")
    await pat.text("Fear of pain")
    assert pat.step == "pains.persona"
    await pat.press(anxious.id)
    await pat.play({"pains.severity": ["=3"], "pains.anonymous": ["=n"]}, until="pains.description")
    await pat.text("No evening slots")
    await pat.press(busy.id)

    async with store.read() as uow:
        notes = {n.text: n.persona_id for n in await uow.items.list(ws, StageNote)}
        scores = sorted((e.score, e.persona_id) for e in await uow.items.list(ws, EmotionScore))
    assert notes == {"Find a dentist who does not hurt": anxious.id, "Book in one minute": None}
    assert scores == [(-2, anxious.id), (1, None)]
    await pat.play({"pains.severity": ["=2"], "pains.anonymous": ["=n"]}, until="pains.description")
    async with store.read() as uow:
        pains = {p.description: p.persona_id for p in await uow.items.list(ws, PainPoint)}
    assert pains == {"Fear of pain": anxious.id, "No evening slots": busy.id}

    journey = await load_map(store, ws)
    mine = for_persona(journey, busy.id)
    assert [p.name for p in mine.personas] == ["Busy parent"]
    assert [n.text for n in mine.notes] == ["Book in one minute"]
    assert [e.score for e in mine.emotions] == [1]
    assert [p.description for p in mine.pains] == ["No evening slots"]
    theirs = for_persona(journey, anxious.id)
    assert sorted(n.text for n in theirs.notes) == [
        "Book in one minute",
        "Find a dentist who does not hurt",
    ]
    assert [p.description for p in theirs.pains] == ["Fear of pain"]
    assert len(journey.pains) == 2  # the whole map keeps everything

    # /map hands the render worker the map as stored, with whose map it is
    rows = await load_map_rows(store, ws, persona=busy.id)
    drawn = rows.journey()
    assert [p.name for p in drawn.personas] == ["Busy parent"]
    assert [p.description for p in drawn.pains] == ["No evening slots"]
    whole = await load_map_rows(store, ws)
    assert len(whole.journey().pains) == 2
    other = await load_map_rows(store, ws, persona=anxious.id)
    assert len({rows.body(), whole.body(), other.body()}) == 3  # three maps, three renders


async def test_with_one_persona_nothing_more_is_asked(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"])
    await pat.play({}, until="stages.notes")
    await pat.text("Find a dentist")
    assert pat.step != "stages.persona"
    await pat.play({"stages.notes": ["!rest"]}, until="emotions.score")
    await pat.text("1")
    assert pat.step != "emotions.persona"
    await pat.play({}, until="pains.description")
    await pat.text("Fear of pain")
    assert pat.step == "pains.severity"
    async with store.read() as uow:
        (note,) = await uow.items.list(ws, StageNote)
    assert note.persona_id is None
