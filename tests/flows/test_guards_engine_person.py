"""Who a person is to the engine: the name Telegram gives (at most 100 characters) and
the language it reports are taken once — later ones do not overwrite them; joining makes
the workshop their current one, starting a new setup leaves it."""

from __future__ import annotations

from flows.conversation.player import Player
from storage.store import SqliteStore
from tests.flows.flowkit import make_engine, new_workshop


async def _person(store: SqliteStore, pid: str):  # type: ignore[no-untyped-def]
    async with store.read() as uow:
        return await uow.people.get(pid)


async def test_name_and_language_are_taken_once_and_joining_sets_the_workshop(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    player = Player(engine, "t:new")
    player._keep(await engine.join("t:new", codes["sales"], name="N" * 150, language="ru-RU"))
    person = await _person(store, "t:new")
    assert person.name == "N" * 100 and person.language == "ru"
    assert person.current_workshop_id == ws  # the join question is asked in it
    await engine.join("t:new", codes["support"], name="Other", language="pl")
    person = await _person(store, "t:new")
    assert person.name == "N" * 100 and person.language == "ru"  # kept


async def test_starting_a_setup_leaves_the_current_workshop(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, ws, _ = await new_workshop(engine, pid="t:fac")
    assert (await _person(store, "t:fac")).current_workshop_id == ws
    await engine.start_setup("t:fac", name="Fay", language="en")
    assert (await _person(store, "t:fac")).current_workshop_id is None


async def test_an_unknown_language_falls_back_to_the_default(store: SqliteStore) -> None:
    engine = make_engine(store)
    await engine.start_setup("t:x", name="X", language="xx-YY")
    assert (await _person(store, "t:x")).language == engine.default_lang
