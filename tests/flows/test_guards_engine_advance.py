"""The engine's per-answer path as a person meets it: a redelivered update is applied once
(each new one is applied), writing in the chat makes the person reachable there and fills
their name and language, a stale or wrong press leaves the current buttons working, a
typed "!back" is text, and Back, Skip and Cancel do what they say (after a pause, the
first answer only brings the question back)."""

from __future__ import annotations

from typing import Any

from flows.conversation import runner
from flows.conversation.engine import Answer, Engine
from flows.conversation.spec import Catalog, Ctx, Flow, Kind, Option, Step
from flows.ports import FixedClock
from storage.store import SqliteStore
from tests.flows.flowkit import T0

ASK = "home.menu.ask"
SAVED: list[dict[str, Any]] = []


async def _commit(ctx: Ctx) -> dict[str, str]:
    SAVED.append(dict(ctx.draft))
    return {}


async def _menu(ctx: Ctx) -> list[Option]:
    return [Option("x", "home.menu.map")]


TALK = Flow(
    name="talk",
    title="home.menu.map",
    steps=(
        Step("talk.names", Kind.TEXT, many=True, optional=True, ask=ASK),
        Step("talk.pick", Kind.CHOICE, options=_menu, optional=True, ask=ASK),
        Step("talk.note", Kind.TEXT, optional=True, ask=ASK),
    ),
    commit=_commit,
)
HOME = Flow(
    name="home", steps=(Step("home.menu", Kind.CHOICE, options=_menu),), show_progress=False
)


async def start(store: SqliteStore, pid: str, **kw: Any):  # type: ignore[no-untyped-def]
    engine = Engine(store, FixedClock(T0), flows=Catalog([HOME, TALK], home="home"))

    async def begin(ctx: Ctx) -> None:
        await runner.enter(ctx, "talk")

    return engine, await engine.start(pid, begin, **kw)


async def test_an_update_delivered_twice_is_applied_once_and_each_new_one_is_applied(
    store: SqliteStore,
) -> None:
    engine, _ = await start(store, "p", name="P", language="en")
    await engine.advance("p", Answer.text("Ann"), update_id="u1")
    again = await engine.advance("p", Answer.text("Ann"), update_id="u1")
    assert (again.replies, again.lang) == ([], "en")
    out = await engine.advance("p", Answer.text("Bob"), update_id="u2")
    so_far = next(r for r in out.replies if r.key == "engine.list.so_far")
    assert so_far.params == {"items": "Ann; Bob", "count": 2}


async def test_writing_in_the_chat_makes_the_person_reachable_and_fills_name_and_language(
    store: SqliteStore,
) -> None:
    engine, _ = await start(store, "p")
    async with store.write() as uow:
        person = await uow.people.get("p")
        assert person is not None and person.name == "" and person.language is None
        person.unreachable = True
        await uow.people.save(person)
    out = await engine.advance("p", Answer.text("Ann"), chat_id=555, name="Zed", language="pl")
    assert out.lang == "pl"
    async with store.read() as uow:
        person = await uow.people.get("p")
    assert person is not None
    assert (person.chat_id, person.unreachable, person.name, person.language) == (
        555,
        False,
        "Zed",
        "pl",
    )


async def test_a_stale_or_wrong_press_leaves_the_current_buttons_working(
    store: SqliteStore,
) -> None:
    engine, out = await start(store, "p", name="P", language="en")
    out = await engine.advance("p", Answer.command("skip"))
    assert out.prompt.step == "talk.pick"
    token = out.prompt.token
    for wrong in (Answer.button("x", "stale-token"), Answer.button("nope", token)):
        refused = await engine.advance("p", wrong)
        assert refused.replies[0].key == "engine.closed"
        assert refused.prompt.token == token
    sticker = await engine.advance("p", Answer.non_text())
    assert sticker.replies[0].key == "engine.error.non_text" and sticker.prompt.token == token


async def test_back_skip_and_cancel_and_a_typed_command_word_is_text(
    store: SqliteStore,
) -> None:
    SAVED.clear()
    engine, out = await start(store, "p", name="P", language="en")
    assert out.prompt.step == "talk.names"
    out = await engine.skip("p")
    assert out.prompt.step == "talk.pick"
    out = await engine.back("p")
    assert out.prompt.step == "talk.names"
    await engine.skip("p")
    await engine.skip("p")
    out = await engine.advance("p", Answer.text("!back"))
    assert out.prompt.step == "home.menu"
    assert SAVED[-1]["note"] == "!back"
    engine, out = await start(store, "q", name="Q", language="en")
    await engine.advance("q", Answer.text("Ann"))
    out = await engine.cancel("q")
    assert out.prompt.key == "engine.paused"
    out = await engine.advance("q", Answer.text("Bob"))  # first it comes back to the question
    assert out.prompt.step == "talk.names"
    assert "engine.list.so_far" not in [r.key for r in out.replies]
