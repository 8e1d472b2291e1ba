"""/kpi, a KPI reading at any time: the owner is asked for the value with the KPI's name,
unit and target, told what was saved, and the reading is stored at that moment under
their name; a KPI deleted while the owner types stores nothing."""

from __future__ import annotations

from flows.conversation.player import Player
from flows.models import Kpi, KpiReading, Role, WorkshopStatus
from flows.ports import FixedClock
from flows.texts import t_plain
from storage.store import SqliteStore
from tests.builders import NOW, WorkshopBuilder
from tests.flows.flowkit import make_engine

OWNER = "tg:100"


async def two_kpis(store: SqliteStore) -> tuple[WorkshopBuilder, Kpi, Kpi]:
    b = WorkshopBuilder("Dealership", status=WorkshopStatus.PUBLISHED)
    b.member("Fac", tg=9000, role=Role.FACILITATOR)
    owner = b.member("Olga", tg=100)
    tp = b.touchpoint(b.stage("Test drive"), "Hotline", owner=owner)
    wait = b.kpi(tp, "Wait", unit="min", target=2.5)
    calls = b.kpi(tp, "Calls")
    await b.save(store)
    return b, wait, calls


def asked(player: Player) -> str:
    prompt = player.last.prompt if player.last else None
    assert prompt is not None and prompt.step == "kpi_reading.value"
    return t_plain("en", "kpi_reading.value.ask", **prompt.params)


async def test_the_value_question_names_the_kpi_its_unit_and_target_and_the_reading_is_kept(
    store: SqliteStore,
) -> None:
    b, wait, calls = await two_kpis(store)
    engine = make_engine(store, FixedClock(NOW))
    olga = Player(engine, OWNER)
    olga._keep(await engine.record_reading(OWNER, b.id))
    await olga.press(wait.id)
    assert asked(olga) == "The current value of «Wait», min? (target: 2.5\u00a0min)"
    done = await olga.text("3")
    said = done.replies[0]
    saved = t_plain("en", said.key, **said.params)
    assert saved == "Saved: Wait = 3\u00a0min. The map shows the trend."

    olga._keep(await engine.record_reading(OWNER, b.id))
    await olga.press(calls.id)
    assert asked(olga) == "The current value of «Calls»? (target: —)"
    await olga.text("12,5")

    async with store.read() as uow:
        readings = await uow.items.list(b.id, KpiReading)
        owner = await uow.items.member_of(b.id, OWNER)
        history = [h for r in readings for h in await uow.items.history(r.id)]
    assert owner is not None
    assert [(r.kpi_id, r.value, r.at, r.source) for r in readings] == [
        (wait.id, 3.0, NOW, "chat"),
        (calls.id, 12.5, NOW, "chat"),
    ]
    assert [h.actor for h in history] == [owner.id, owner.id]


async def test_a_kpi_deleted_while_the_owner_types_gets_no_reading(
    store: SqliteStore,
) -> None:
    b, wait, _ = await two_kpis(store)
    engine = make_engine(store, FixedClock(NOW))
    olga = Player(engine, OWNER)
    olga._keep(await engine.record_reading(OWNER, b.id))
    await olga.press(wait.id)
    async with store.write() as uow:
        await uow.items.delete(wait)
    done = await olga.text("4")
    assert "kpi_reading.saved" not in [r.key for r in done.replies]
    async with store.read() as uow:
        assert await uow.items.list(b.id, KpiReading) == []
