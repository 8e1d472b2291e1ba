"""A KPI chosen again in the KPI section gets a new reading — not a second KPI."""

from __future__ import annotations

from bot.demo.play import play
from flows.conversation.player import Player
from flows.models import Kpi, KpiReading
from flows.ports import FixedClock
from tests.flows.flowkit import T0, make_engine


async def test_choosing_an_existing_kpi_again_records_a_reading(store) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(T0)
    engine = make_engine(store, clock)
    _, wid = await play(engine, clock, "en")
    async with store.read() as uow:
        before = await uow.items.list(wid, Kpi)
        ctr = next(k for k in before if k.name == "Click-through rate")
        readings = [r for r in await uow.items.list(wid, KpiReading) if r.kpi_id == ctr.id]
    clock.advance(days=7)
    maria = Player(engine, "demo:Maria")
    maria._keep(await engine.resume("demo:Maria"))
    assert maria.step == "home.menu"
    await maria.press("kpis")
    seen = await maria.play(
        {
            "kpis.name": ["=ctr", "!next", "!next", "!next"],
            "kpis.values": ["/ 4,2"],  # no target given: the old one stays
        }
    )
    assert seen.prompt is not None and seen.prompt.step == "home.menu"
    assert any(r.key == "kpis.existing" for o in maria.seen for r in o.replies)
    async with store.read() as uow:
        after = await uow.items.list(wid, Kpi)
        again = [r for r in await uow.items.list(wid, KpiReading) if r.kpi_id == ctr.id]
        kept = await uow.items.get(Kpi, ctr.id)
    assert len(after) == len(before)  # no second "Click-through rate"
    assert [r.value for r in again] == [r.value for r in readings] + [4.2]
    assert kept is not None and kept.target == ctr.target  # a skipped target keeps the old one


async def test_an_existing_kpi_typed_again_gets_a_reading_and_keeps_what_it_was(store) -> None:  # type: ignore[no-untyped-def]
    """Typed by hand — another case, other spacing, unit and direction skipped — the KPI
    is still the one the map has: one more reading, its name, unit, direction and target
    as they were."""
    clock = FixedClock(T0)
    engine = make_engine(store, clock)
    _, wid = await play(engine, clock, "en")
    async with store.read() as uow:
        before = await uow.items.list(wid, Kpi)
        ctr = next(k for k in before if k.name == "Click-through rate")
    clock.advance(days=7)
    maria = Player(engine, "demo:Maria")
    maria._keep(await engine.resume("demo:Maria"))
    await maria.press("kpis")
    seen = await maria.play(
        {
            "kpis.name": ["  click-through   RATE ", "!next", "!next", "!next"],
            "kpis.unit": ["!skip"],
            "kpis.direction": ["!skip"],
            "kpis.values": ["/ 4,4"],
        }
    )
    assert seen.prompt is not None and seen.prompt.step == "home.menu"
    assert any(r.key == "kpis.existing" for o in maria.seen for r in o.replies)
    async with store.read() as uow:
        after = await uow.items.list(wid, Kpi)
        kept = await uow.items.get(Kpi, ctr.id)
        latest = [r for r in await uow.items.list(wid, KpiReading) if r.kpi_id == ctr.id][-1]
    assert len(after) == len(before)
    assert latest.value == 4.4 and latest.at == clock.now()
    assert kept is not None
    assert (kept.name, kept.unit, kept.direction, kept.target) == (
        ctr.name,
        ctr.unit,
        ctr.direction,
        ctr.target,
    )


async def test_kpi_records_a_reading_at_any_time_and_puts_the_owner_back(store) -> None:  # type: ignore[no-untyped-def]
    from flows.conversation.engine import Answer
    from tests.builders import NOW, review_workshop

    ws = await review_workshop(store, owners=2, kpis=1)
    engine = make_engine(store, FixedClock(NOW))
    owner = Player(engine, "tg:100")
    asked = owner._keep(await engine.record_reading("tg:100", ws.id))
    assert asked.prompt is not None and asked.prompt.step == "kpi_reading.kpi"
    labels = [b.label for row in asked.prompt.buttons for b in row if b.label]
    assert labels == ["KPI 0 · TP 0.0"]  # only the KPIs of touchpoints they own
    await owner.press(asked.prompt.buttons[0][0].value)
    bad = await owner.text("lots")
    assert bad.replies[0].key == "engine.error.number"
    done = await owner.text("61,5")
    assert [r.key for r in done.replies][:1] == ["kpi_reading.saved"]
    assert done.prompt is not None and done.prompt.step == "home.menu"
    async with store.read() as uow:
        kpi = next(k for k in await uow.items.list(ws.id, Kpi) if k.name == "KPI 0")
        readings = [r for r in await uow.items.list(ws.id, KpiReading) if r.kpi_id == kpi.id]
    assert readings[-1].value == 61.5 and readings[-1].source == "chat"
    # someone who owns no KPI is told so, and nothing starts
    none = await engine.record_reading("tg:9000", ws.id)
    assert [r.key for r in none.replies] == ["kpi_reading.none"]
    assert await engine.advance("tg:9000", Answer.text("1")) is not None
