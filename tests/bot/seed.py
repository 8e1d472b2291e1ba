"""A published workshop written straight into storage, for review-cycle tests."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flows.models import (
    Kpi,
    Member,
    Person,
    Role,
    Stage,
    Touchpoint,
    Workshop,
    WorkshopStatus,
)
from tests.bot.harness import BotHarness

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # Monday 10:00 in Warsaw


async def seed(bot: BotHarness, owners: int, touchpoints_each: int = 1, kpis: int = 0) -> Workshop:
    store = bot.services.store
    ws = Workshop(
        title="Dealership",
        timezone="Europe/Warsaw",
        status=WorkshopStatus.PUBLISHED,
        reminder_time=time(10, 0),
        review_cadence_days=30,
    )
    stage = Stage(workshop_id=ws.id, order=0, name="Test drive")
    async with store.write() as uow:
        await uow.workshops.add(ws)
        await uow.items.add(stage)
        await uow.people.save(Person(id="tg:9000", name="Fac", chat_id=9000, language="en"))
        await uow.items.add(
            Member(workshop_id=ws.id, person_id="tg:9000", name="Fac", role=Role.FACILITATOR)
        )
        for i in range(owners):
            uid = 100 + i
            await uow.people.save(
                Person(id=f"tg:{uid}", name=f"Owner {i}", chat_id=uid, language="en")
            )
            member = Member(workshop_id=ws.id, person_id=f"tg:{uid}", name=f"Owner {i}")
            await uow.items.add(member)
            for j in range(touchpoints_each):
                tp = Touchpoint(
                    workshop_id=ws.id,
                    stage_id=stage.id,
                    name=f"TP {i}.{j}",
                    owner_id=member.id,
                    last_confirmed_at=NOW - timedelta(days=40),
                )
                await uow.items.add(tp)
                for k in range(kpis):
                    kpi = Kpi(workshop_id=ws.id, touchpoint_id=tp.id, name=f"KPI {k}", target=50)
                    await uow.items.add(kpi)
    return ws


async def make_current(bot: BotHarness, person: str, workshop_id: str) -> None:
    """Make ``workshop_id`` the person's current workshop (commands act on it)."""
    async with bot.services.store.write() as uow:
        who = await uow.people.get(person)
        who.current_workshop_id = workshop_id
        await uow.people.save(who)
