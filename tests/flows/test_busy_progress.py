"""Honest progress: setup counts its questions on across its three flows, every prompt
says "question n of N", a section says how long it is before it starts, and the invite
says how long the whole contribution takes."""

from __future__ import annotations

from flows.conversation.player import Player
from flows.texts import t_plain
from storage.store import SqliteStore
from tests.flows.flowkit import SETUP, joined, make_engine, new_workshop


def _counts(player: Player) -> list[tuple[int, int]]:
    found = []
    for out in player.seen:
        prompt = out.prompt
        if prompt is not None and prompt.progress is not None:
            found.append((prompt.progress.params["n"], prompt.progress.params["total"]))
    return found


async def test_setup_counts_on_across_its_phases_to_the_confirm(store: SqliteStore) -> None:
    engine = make_engine(store)
    player = Player(engine, "t:fac")
    player._keep(await engine.start_setup("t:fac", name="Fay", language="en"))
    departments = {"setup.departments": ["Legal", "!done"]}  # a fourth, typed department
    await player.play({**SETUP, **departments}, until="setup.confirm")
    counts = _counts(player)
    numbers = [n for n, _ in counts]
    # one more per question (a department toggled stays the same question), never a restart
    assert numbers == sorted(numbers) and numbers[0] == 1
    assert set(numbers) == set(range(1, numbers[-1] + 1))
    # 4 first questions, 4 departments (one each), 5 final: the confirm is 13 of 13
    assert counts[-1] == (13, 13)
    text = t_plain("en", "progress.question", section="New workshop", n=13, total=13)
    assert text == "New workshop · question 13 of 13"


async def test_a_section_says_its_length_first_and_counts_its_questions(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    _, _, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["support"])
    announced = [r for r in pat.last.replies if r.key == "progress.section"]  # type: ignore[union-attr]
    assert len(announced) == 1
    first = announced[0].params
    assert first["section"] == "Persona" and first["count"] >= 1
    assert first["minutes"] == -(-first["count"] * 20 // 60)
    prompt = pat.last.prompt  # type: ignore[union-attr]
    assert prompt is not None and prompt.progress is not None
    assert prompt.progress.params["n"] == 1
    assert prompt.progress.params["total"] == first["count"]
    line = t_plain("en", prompt.progress.key, **prompt.progress.params)
    assert line.startswith("Persona · persona 1 of 1 · question 1 of ")


async def test_the_invite_says_how_long_the_contribution_takes(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, _, codes = await new_workshop(engine)
    out = await engine.join("t:jo", codes["sales"], name="Jo", language="en")
    assert out.prompt is not None
    text = t_plain("en", out.prompt.key, **out.prompt.params)
    questions, minutes = out.prompt.params["questions"], out.prompt.params["minutes"]
    assert f"about {questions} questions, about {minutes} min" in text
