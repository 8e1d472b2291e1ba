"""The KPIs section per touchpoint of the person's department: suggestions fit the
channel, a suggestion brings its unit and direction, a typed KPI asks for them (higher is
better unless told), target and current value are stored, and colleagues' KPIs are shown
before the question."""

from __future__ import annotations

from flows.models import Department, Direction, Kpi, KpiReading, Stage, Touchpoint
from flows.texts import t_plain
from storage.store import SqliteStore
from tests.flows.flowkit import T0, joined, make_engine, new_workshop


def buttons(player) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.value for row in player.last.prompt.buttons for b in row]


async def test_kpis_are_suggested_by_channel_and_stored_with_unit_target_and_value(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"])
    async with store.write() as uow:
        dept = next(d for d in await uow.items.list(ws, Department) if d.key == "marketing")
        stage = (await uow.items.list(ws, Stage))[0]
        web = Touchpoint(
            workshop_id=ws,
            stage_id=stage.id,
            name="Web shop",
            channel="website",
            department_id=dept.id,
        )
        hotline = Touchpoint(
            workshop_id=ws,
            stage_id=stage.id,
            name="Hotline",
            channel="call_center",
            department_id=dept.id,
        )
        other = Touchpoint(workshop_id=ws, stage_id=stage.id, name="Other dept", channel="store")
        for tp in (web, hotline, other):
            await uow.items.add(tp)
        await uow.items.add(Kpi(workshop_id=ws, touchpoint_id=hotline.id, name="Wait", unit="min"))
        await uow.items.add(Kpi(workshop_id=ws, touchpoint_id=hotline.id, name="Calls"))

    out = await pat.play({}, until="kpis.name")
    assert out.prompt is not None and out.prompt.params == {"item": "Web shop (Awareness)"}
    assert out.keys == ["progress.section", "busy.kpis.name.ask"]  # nobody entered KPIs yet
    assert buttons(pat)[:2] == ["conversion", "bounce"]

    # three KPIs in one message: a suggestion by its name, two of one's own
    await pat.text("conversion rate\nBasket size\nComplaints")
    assert pat.step == "kpis.values"  # a suggestion knows its unit and direction
    out = await pat.text("12.5 / 3,2 / 4")
    assert out.replies[0].key == "busy.kpis.values.too_many" and pat.step == "kpis.values"
    out = await pat.text("12.5 / 3")  # target and current value in one message
    assert out.keys[0] == "kpis.saved" and pat.step == "kpis.unit"
    assert pat.last.prompt.params["item"] == "Web shop (Awareness)"  # type: ignore[union-attr]
    await pat.text("items")
    assert pat.step == "kpis.direction"
    await pat.press("lower")
    assert pat.last.prompt.params["name"] == "Basket size"  # type: ignore[union-attr]
    await pat.press("!skip")

    await pat.press("count")
    await pat.press("!skip")  # no direction given: higher is better
    out = await pat.press("!skip")  # the list done: the next touchpoint

    assert out.prompt is not None and out.prompt.params == {"item": "Hotline (Awareness)"}
    assert out.replies[1].key == "kpis.colleagues"
    assert out.replies[1].params == {
        "touchpoint": "Hotline (Awareness)",
        "items": "• Wait (min)\n• Calls",
    }
    assert buttons(pat)[:2] == ["wait_time", "first_call_resolution"]

    async with store.read() as uow:
        mine = [k for k in await uow.items.list(ws, Kpi) if k.touchpoint_id == web.id]
        readings = await uow.items.list(ws, KpiReading)
    conversion, basket, complaints = mine
    assert conversion.name == t_plain("en", "kpis.suggest.conversion")
    assert (conversion.unit, conversion.direction) == (
        t_plain("en", "kpis.unit.percent"),
        Direction.HIGHER,
    )
    assert (conversion.target, conversion.stage_id) == (12.5, stage.id)
    assert (basket.name, basket.unit, basket.direction, basket.target) == (
        "Basket size",
        "items",
        Direction.LOWER,
        None,
    )
    assert (complaints.unit, complaints.direction) == (
        t_plain("en", "kpis.unit.count"),
        Direction.HIGHER,
    )
    (reading,) = readings
    assert (reading.kpi_id, reading.value, reading.at, reading.source) == (
        conversion.id,
        3.0,
        T0,
        "workshop",
    )
