"""Typing instead of tapping: an option is found by its value or its label in any case and
spacing; a question that takes no own answers says "choose"; where own answers are
allowed (departments), a typed name becomes a new option, chosen — typing a name again,
or tapping it, unchooses it."""

from __future__ import annotations

from flows.conversation.player import Player
from storage.store import SqliteStore
from tests.flows.flowkit import make_engine


def chosen(player: Player) -> dict[str, bool]:
    assert player.last is not None and player.last.prompt is not None
    return {
        (b.label or b.label_key): b.selected
        for row in player.last.prompt.buttons
        for b in row
        if not b.value.startswith("!")
    }


async def test_typed_answers_to_closed_questions(store: SqliteStore) -> None:
    engine = make_engine(store)
    player = Player(engine, "t:fac")
    player._keep(await engine.start_setup("t:fac", name="Gil", language="en"))
    await player.play({"setup.title": ["Bank"], "setup.product": ["!skip"]}, until="setup.template")

    out = await player.text("nonsense")
    assert player.step == "setup.template" and out.keys == [
        "engine.error.choose",
        "setup.template.ask",
    ]
    await player.text("  FIVE ")
    assert player.step == "setup.departments"
    assert chosen(player) == {
        "department.marketing": True,
        "department.sales": True,
        "department.support": True,
    }

    await player.text("Legal")
    assert chosen(player)["Legal"] is True
    values = [b.value for row in player.last.prompt.buttons for b in row]  # type: ignore[union-attr]
    assert "+0" in values
    await player.text("legal ")
    assert chosen(player)["Legal"] is False
    await player.text("Marketing")  # the label, as shown
    assert chosen(player)["department.marketing"] is False
    await player.press("+0")
    assert chosen(player) == {
        "department.marketing": False,
        "department.sales": True,
        "department.support": True,
        "Legal": True,
    }
    await player.press("!done")
    out = await player.play({"setup.personas": ["P", "!done"]}, until="setup.confirm")
    assert out.prompt is not None and out.prompt.params["departments"] == "Sales, Support, Legal"
