"""/cancel where a person is: an unfinished join is dropped (they are in no workshop and
keep no position); inside a section they pause — resuming starts the item they were on
again, its unsaved answers gone; at home nothing happens."""

from __future__ import annotations

from flows.conversation.player import Player
from storage.store import SqliteStore
from tests.flows.flowkit import joined, make_engine, new_workshop


async def test_cancelling_a_join_drops_it(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    guest = Player(engine, "t:g")
    guest._keep(await engine.join("t:g", codes["sales"], name="G", language="en"))
    await guest.press("yes")
    out = guest._keep(await engine.cancel("t:g"))
    assert out.keys == ["join.cancelled"] and out.prompt is None
    async with store.read() as uow:
        person = await uow.people.get("t:g")
        assert await uow.positions.get("t:g", ws) is None
        assert await uow.items.member_of(ws, "t:g") is None
    assert person is not None and person.current_workshop_id is None


async def test_cancelling_in_a_section_pauses_and_resume_restarts_the_item(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    fac, _, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"])
    await pat.text("Segment: Young parents")
    assert pat.step == "persona.basis"
    out = pat._keep(await engine.cancel("t:pat"))
    assert out.keys == ["engine.paused"]
    assert out.prompt is not None and [[b.value for b in r] for r in out.prompt.buttons] == [
        ["!resume"]
    ]
    again = pat._keep(await engine.resume("t:pat"))
    assert again.keys == ["busy.persona.form.ask"]  # the persona is still empty: not saved
    assert again.prompt is not None and again.prompt.step == "persona.form"

    out = fac._keep(await engine.cancel("t:fac"))
    assert out.keys == ["home.menu.ask"] and fac.step == "home.menu"
