"""A sealed (anonymous) answer, as the stored conversation keeps it: once committed, the
person's position holds nothing of that item — not its text, not its own options, not its
id, no way back into it — while an ordinary item of the same list is remembered as usual
(going back updates it)."""

from __future__ import annotations

import json
from typing import Any

from flows.conversation import runner
from flows.conversation.engine import Answer, Engine
from flows.conversation.spec import Catalog, Ctx, Flow, Kind, Option, Step
from flows.ports import FixedClock
from storage.store import SqliteStore
from tests.flows.flowkit import T0

ASK = "home.menu.ask"
SAVED: list[dict[str, Any]] = []


async def _tags(ctx: Ctx) -> list[Option]:
    return [Option("a", label="Alpha")]


async def _commit(ctx: Ctx) -> dict[str, str]:
    SAVED.append(dict(ctx.draft))
    if str(ctx.draft.get("text", "")).startswith("secret"):
        ctx.seal()
    return {"item": f"id-{len(SAVED)}"}


LIST = Flow(
    name="notes",
    title="home.menu.map",
    repeat=True,
    steps=(
        Step("notes.text", Kind.TEXT, exit_key="engine.done", ask=ASK),
        Step("notes.tags", Kind.MULTI, options=_tags, allow_text=True, ask=ASK),
    ),
    commit=_commit,
)
HOME = Flow(
    name="home", steps=(Step("home.menu", Kind.CHOICE, options=_tags),), show_progress=False
)


async def stored(store: SqliteStore) -> str:
    async with store.read() as uow:
        position = await uow.positions.get("p", "")
    assert position is not None
    return json.dumps(position.model_dump(mode="json"), ensure_ascii=False)


async def test_a_sealed_item_leaves_nothing_in_the_position_an_ordinary_one_is_remembered(
    store: SqliteStore,
) -> None:
    SAVED.clear()
    engine = Engine(store, FixedClock(T0), flows=Catalog([HOME, LIST], home="home"))

    async def begin(ctx: Ctx) -> None:
        await runner.enter(ctx, "notes")

    await engine.start("p", begin, name="P", language="en")
    await engine.advance("p", Answer.text("plain words"))
    await engine.advance("p", Answer.text("Plainopt"))
    out = await engine.advance("p", Answer.command("done"))
    assert out.prompt.step == "notes.text" and "notes.saved" in out.keys
    kept = await stored(store)
    assert "plain words" in kept and "id-1" in kept

    await engine.advance("p", Answer.text("secret words"))
    await engine.advance("p", Answer.text("Hushopt"))
    out = await engine.advance("p", Answer.command("done"))
    assert out.prompt.step == "notes.text"
    assert SAVED[-1]["text"] == "secret words" and SAVED[-1]["tags_custom"] == ["Hushopt"]
    after = await stored(store)
    for trace in ("secret words", "Hushopt", "id-2"):
        assert trace not in after, trace
    assert "plain words" in after  # the ordinary item's way back stays
