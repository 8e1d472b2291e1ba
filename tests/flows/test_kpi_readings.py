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
            "kpis.name": ["=ctr", "!next", "!next", "!next", "!next"],
            "kpis.target": ["!skip"],
            "kpis.current": ["4,2"],
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
