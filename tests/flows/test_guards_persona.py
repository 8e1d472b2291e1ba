"""The persona section as colleagues see it: each question shows what was entered so far
("—" when nothing), an answer replaces that field, and the sources are asked only for a
persona based on data."""

from __future__ import annotations

from flows.models import Basis, Persona
from storage.store import SqliteStore
from tests.flows.flowkit import joined, make_engine, new_workshop


def current(player) -> str:  # type: ignore[no-untyped-def]
    return str(player.last.prompt.params["current"])


async def skip_to(player, step: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(40):
        if player.step == step:
            return
        await player.press("!skip")
    raise AssertionError(f"never reached {step}, stuck at {player.step}")


async def test_answers_replace_fields_and_the_next_colleague_sees_them(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"], name="Pat")
    assert pat.step == "persona.segment" and current(pat) == "—"
    await pat.text("Young parents")
    assert pat.step == "persona.age" and current(pat) == "—"
    await pat.text("30-40")
    await skip_to(pat, "persona.basis")
    assert current(pat) == Basis.HYPOTHESIS.value  # the default until someone says
    await pat.press(Basis.DATA.value)
    assert pat.step == "persona.sources"
    await pat.text("CRM export")
    assert pat.step is not None and not pat.step.startswith("persona.")

    async with store.read() as uow:
        (persona,) = await uow.items.list(ws, Persona)
    assert (persona.segment, persona.age, persona.gender) == ("Young parents", "30-40", "")
    assert persona.basis is Basis.DATA and persona.sources == "CRM export"

    sam = await joined(engine, "t:sam", codes["sales"], name="Sam")
    assert sam.step == "persona.segment" and current(sam) == "Young parents"
    await sam.text("Busy parents")
    assert current(sam) == "30-40"
    await skip_to(sam, "persona.basis")
    assert current(sam) == Basis.DATA.value
    await sam.press(Basis.HYPOTHESIS.value)
    assert sam.step is not None and not sam.step.startswith("persona.")  # no sources asked
    async with store.read() as uow:
        (persona,) = await uow.items.list(ws, Persona)
    assert (persona.segment, persona.age) == ("Busy parents", "30-40")
    assert persona.basis is Basis.HYPOTHESIS and persona.sources == "CRM export"


async def test_skipping_everything_changes_nothing(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    async with store.read() as uow:
        (before,) = await uow.items.list(ws, Persona)
        history = len(await uow.items.history(before.id))
    pat = await joined(engine, "t:pat", codes["marketing"])
    await skip_to(pat, "persona.basis")
    await pat.press("!skip")
    assert pat.step is not None and not pat.step.startswith("persona.")
    async with store.read() as uow:
        (after,) = await uow.items.list(ws, Persona)
        assert len(await uow.items.history(after.id)) == history
    assert after == before
