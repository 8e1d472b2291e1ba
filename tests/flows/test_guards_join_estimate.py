"""The invite's "about N questions" is what the person then answers: the demo's
participants (the bench's ``python -m bench prompts``) are told within a few prompts
of what they play, and a workshop with more stages is said to take longer."""

from __future__ import annotations

from bot.demo.play import _setup
from bot.demo.script import SCRIPTS
from flows.conversation.player import Player
from flows.ports import FixedClock
from flows.steps.catalog import WorkshopEngine
from storage.store import SqliteStore
from tests.flows.flowkit import SETUP, T0, make_engine, new_workshop

MARGIN = 3  # prompts


async def test_the_estimate_matches_what_each_department_plays(store: SqliteStore) -> None:
    clock = FixedClock(T0)
    engine = WorkshopEngine(store, clock, default_lang="en")
    script = SCRIPTS["en"]
    _, _, codes = await _setup(engine, script, "en")
    told, played = {}, {}
    for name, dept, position, answers in script["people"]:  # type: ignore[attr-defined]
        clock.advance(hours=2)
        player = Player(engine, f"demo:{name}")
        out = player._keep(await engine.join(f"demo:{name}", codes[dept], name=name))
        assert out.prompt is not None and out.prompt.key == "join.confirm.ask_time"
        told[dept] = out.prompt.params["questions"]
        opening = {"join.confirm": ["=yes"], "join.name": [name], "join.position": [position]}
        await player.play({**opening, **answers})
        played[dept] = player.answered
    assert played == {"marketing": 40, "sales": 41, "support": 46}  # the bench's figures
    for dept, count in played.items():
        assert abs(told[dept] - count) <= MARGIN, (dept, told[dept], count)


async def test_more_stages_are_more_questions(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, _, four = await new_workshop(engine)  # AIDA: 4 stages
    six = {**SETUP, "setup.template": ["=six"]}
    _, _, more = await new_workshop(engine, "t:fac2", script=six)
    a = await engine.join("t:a", four["sales"], name="A", language="en")
    b = await engine.join("t:b", more["sales"], name="B", language="en")
    assert a.prompt is not None and b.prompt is not None
    assert b.prompt.params["questions"] > a.prompt.params["questions"] + 3


async def test_several_personas_count_their_question_per_item(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, _, one = await new_workshop(engine)  # AIDA: 4 stages, one persona
    two = {**SETUP, "setup.personas": ["Anxious patient", "Busy parent", "!done"]}
    _, _, both = await new_workshop(engine, "t:fac2", script=two)
    a = await engine.join("t:a", one["sales"], name="A", language="en")
    b = await engine.join("t:b", both["sales"], name="B", language="en")
    assert a.prompt is not None and b.prompt is not None
    # the second persona's card (one tap each once filled; three while empty: +3), and
    # per stage one tap for the notes, the emotion and the pain points (4 stages: +12)
    assert b.prompt.params["questions"] == a.prompt.params["questions"] + 3 + 12
