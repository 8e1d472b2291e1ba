"""Answers as a person types them into a small flow of its own: a choice question does not
take "yes" for an option, a step's own check judges what was typed (also a typed own
option) and says why, each typed own option stays a separate button, and a list takes at
most 80 entries — the 81st is refused with the limit."""

from __future__ import annotations

from typing import Any

from flows.conversation import answers, runner
from flows.conversation.engine import Answer, Engine
from flows.conversation.spec import Catalog, Ctx, Flow, Kind, Option, Step, Text
from flows.ports import FixedClock
from storage.store import SqliteStore
from tests.flows.flowkit import T0

ASK = "home.menu.ask"
SAVED: list[dict[str, Any]] = []


async def _commit(ctx: Ctx) -> dict[str, str]:
    SAVED.append(dict(ctx.draft))
    return {}


async def _two(ctx: Ctx) -> list[Option]:
    return [Option("a", label="Alpha"), Option("b", label="Beta")]


def _no_zed(value: Any, ctx: Ctx) -> Text | None:
    text = str(value)
    return Text("engine.error.range", {"low": text, "high": "z"}) if "z" in text else None


FORM = Flow(
    name="form",
    title="home.menu.map",
    steps=(
        Step("form.word", Kind.TEXT, ask=ASK),
        Step("form.pick", Kind.CHOICE, options=_two, allow_text=True, check=_no_zed, ask=ASK),
        Step("form.tags", Kind.MULTI, options=_two, allow_text=True, ask=ASK),
        Step("form.only", Kind.CHOICE, options=_two, ask=ASK),
        Step("form.names", Kind.TEXT, many=True, ask=ASK),
    ),
    commit=_commit,
)
HOME = Flow(
    name="home",
    steps=(Step("home.menu", Kind.CHOICE, options=_two),),
    show_progress=False,
)


async def start(store: SqliteStore, pid: str):  # type: ignore[no-untyped-def]
    engine = Engine(store, FixedClock(T0), flows=Catalog([HOME, FORM], home="home"))

    async def begin(ctx: Ctx) -> None:
        await runner.enter(ctx, "form")

    return engine, await engine.start(pid, begin, name="P", language="en")


def labels(out) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    return {
        b.label: b.selected for row in out.prompt.buttons for b in row if b.value.startswith("+")
    }


async def test_typed_answers_are_judged_by_the_question_and_its_own_check(
    store: SqliteStore,
) -> None:
    SAVED.clear()
    engine, out = await start(store, "p")
    out = await engine.advance("p", Answer.text("hello"))
    assert out.prompt.step == "form.pick"

    out = await engine.advance("p", Answer.text("Fizz"))  # an own option, checked as typed
    assert out.prompt.step == "form.pick"
    assert (out.replies[0].key, out.replies[0].params) == (
        "engine.error.range",
        {"low": "Fizz", "high": "z"},
    )
    out = await engine.advance("p", Answer.text("Custom"))
    assert out.prompt.step == "form.tags"

    await engine.advance("p", Answer.text("Red"))
    out = await engine.advance("p", Answer.text("Green"))
    assert labels(out) == {"Red": True, "Green": True}
    out = await engine.advance("p", Answer.command("done"))
    assert out.prompt.step == "form.only"

    out = await engine.advance("p", Answer.text("yes"))  # not an option of this question
    assert out.keys == ["engine.error.choose", ASK]
    out = await engine.advance("p", Answer.text("beta"))
    assert out.prompt.step == "form.names"
    out = await engine.advance("p", Answer.command("done"))
    assert SAVED[-1]["word"] == "hello" and SAVED[-1]["pick"] == "Custom"
    assert SAVED[-1]["only"] == "b" and SAVED[-1]["tags"] == ["+0", "+1"]


async def test_a_list_takes_eighty_entries_and_refuses_the_next_one(store: SqliteStore) -> None:
    SAVED.clear()
    engine, out = await start(store, "p")
    await engine.advance("p", Answer.text("hello"))
    await engine.advance("p", Answer.button("a", None))
    await engine.advance("p", Answer.command("done"))
    await engine.advance("p", Answer.button("a", None))
    for i in range(answers.LIST_LIMIT):
        out = await engine.advance("p", Answer.text(f"n{i}"))
        assert out.keys[0] == "engine.list.so_far", i
    out = await engine.advance("p", Answer.text("one too many"))
    assert [(r.key, r.params) for r in out.replies][0] == (
        "engine.error.list_full",
        {"limit": 80},
    )
    await engine.advance("p", Answer.command("done"))
    assert len(SAVED[-1]["names"]) == 80
