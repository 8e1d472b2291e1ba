"""The generic engine with a small flow of its own: scales without options get signed or
plain number buttons, five to a row; yes/no takes typed words in every language of the
bot; numbers are checked against their range; Back appears once there is somewhere to
go back to, Skip only on optional questions; at the end the flow's answers are stored and
the person is home."""

from __future__ import annotations

from typing import Any

from flows.conversation import runner
from flows.conversation.engine import Answer, Engine
from flows.conversation.spec import Catalog, Ctx, Flow, Kind, Option, Step
from flows.ports import FixedClock
from storage.store import SqliteStore
from tests.flows.flowkit import T0

ASK = "home.menu.ask"  # any catalog text will do for the questions
SAVED: list[dict[str, Any]] = []


async def _commit(ctx: Ctx) -> dict[str, str]:
    SAVED.append(dict(ctx.draft))
    return {}


async def _menu(ctx: Ctx) -> list[Option]:
    return [Option("x", "home.menu.map")]


QUIZ = Flow(
    name="quiz",
    title="home.menu.map",
    steps=(
        Step("quiz.mood", Kind.SCALE, low=-2, high=2, ask=ASK),
        Step("quiz.size", Kind.SCALE, low=1, high=7, ask=ASK),
        Step("quiz.ok", Kind.YESNO, ask=ASK),
        Step("quiz.n", Kind.NUMBER, low=0, high=10, optional=True, ask=ASK),
        Step("quiz.names", Kind.TEXT, many=True, optional=True, ask=ASK),
    ),
    commit=_commit,
)
HOME = Flow(
    name="home", steps=(Step("home.menu", Kind.CHOICE, options=_menu),), show_progress=False
)


def rows(out) -> list[list[tuple[str, str | None]]]:  # type: ignore[no-untyped-def]
    return [[(b.value, b.label or b.label_key) for b in row] for row in out.prompt.buttons]


async def start(store: SqliteStore, pid: str):  # type: ignore[no-untyped-def]
    engine = Engine(store, FixedClock(T0), flows=Catalog([HOME, QUIZ], home="home"))

    async def begin(ctx: Ctx) -> None:
        await runner.enter(ctx, "quiz")

    return engine, await engine.start(pid, begin, name="P", language="en")


async def test_scales_yes_no_and_numbers_of_a_flow(store: SqliteStore) -> None:
    SAVED.clear()
    engine, out = await start(store, "p")
    assert rows(out) == [[("-2", "-2"), ("-1", "-1"), ("0", "+0"), ("1", "+1"), ("2", "+2")]]
    assert out.prompt.progress.params == {"section": "Show the map", "n": 1, "total": 5}
    out = await engine.advance("p", Answer.button("-1", out.prompt.token))
    assert rows(out) == [
        [(str(v), str(v)) for v in range(1, 6)],
        [("6", "6"), ("7", "7")],
        [("!back", "engine.back")],
    ]
    assert out.prompt.progress.params["n"] == 2
    out = await engine.advance("p", Answer.text("8"))
    assert out.keys == ["engine.error.range", ASK]
    assert out.replies[0].params == {"low": "1", "high": "7"}
    out = await engine.advance("p", Answer.text("7"))
    assert rows(out) == [[("y", "engine.yes"), ("n", "engine.no")], [("!back", "engine.back")]]
    out = await engine.advance("p", Answer.text("maybe"))
    assert out.keys == ["engine.error.choose", ASK]
    out = await engine.advance("p", Answer.text(" TAK "))
    assert out.prompt.step == "quiz.n"
    assert rows(out) == [[("!back", "engine.back"), ("!skip", "engine.skip")]]
    out = await engine.advance("p", Answer.text("10.5"))
    assert out.replies[0].params == {"low": "0", "high": "10"}
    out = await engine.advance("p", Answer.text("10"))
    assert out.prompt.step == "quiz.names"
    out = await engine.advance("p", Answer.text("Ann"))
    out = await engine.advance("p", Answer.text("Bob"))
    assert out.prompt.step == "quiz.names"  # a list stays on its question
    so_far = next(r for r in out.replies if r.key == "engine.list.so_far")
    assert so_far.params == {"items": "Ann; Bob", "count": 2}
    assert [b.value for b in out.prompt.buttons[-1]] == ["!back", "!skip", "!done"]
    out = await engine.advance("p", Answer.command("done"))
    assert out.prompt.step == "home.menu"
    assert SAVED[-1]["mood"] == -1 and SAVED[-1]["size"] == 7
    assert SAVED[-1]["ok"] is True and SAVED[-1]["n"] == 10
    assert SAVED[-1]["names"] == ["Ann", "Bob"]


async def test_no_words_of_every_language_and_skipping_an_optional_number(
    store: SqliteStore,
) -> None:
    for pid, word in (("a", "нет"), ("b", "nie"), ("c", "-"), ("d", "N")):
        SAVED.clear()
        engine, out = await start(store, pid)
        await engine.advance(pid, Answer.text("0"))
        await engine.advance(pid, Answer.text("1"))
        out = await engine.advance(pid, Answer.text(word))
        assert out.prompt.step == "quiz.n", word
        await engine.skip(pid)
        out = await engine.skip(pid)
        assert out.prompt.step == "home.menu"
        assert SAVED[-1]["ok"] is False and SAVED[-1].get("n") is None
        assert SAVED[-1]["mood"] == 0 and SAVED[-1]["size"] == 1
    for pid, word in (("e", "да"), ("f", "+"), ("g", "yes")):
        engine, out = await start(store, pid)
        await engine.advance(pid, Answer.text("0"))
        await engine.advance(pid, Answer.text("1"))
        out = await engine.advance(pid, Answer.text(word))
        assert out.prompt.step == "quiz.n", word
        await engine.skip(pid)
        await engine.skip(pid)
        assert SAVED[-1]["ok"] is True, word
