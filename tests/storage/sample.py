"""A small but complete workshop written through the real repositories."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flows.models import (
    Department,
    EmotionScore,
    EvidenceKind,
    Idea,
    Invite,
    Kpi,
    KpiReading,
    Member,
    NoteLane,
    PainPoint,
    Person,
    Persona,
    Position,
    Role,
    Stage,
    StageNote,
    Touchpoint,
    Workshop,
)
from storage.store import SqliteStore


async def write_sample(store: SqliteStore) -> str:
    ws = Workshop(title="Клиника «Здоровье» <b>", product="Check-up", language="ru")
    async with store.write() as uow:
        await uow.workshops.add(ws)
        sales = Department(workshop_id=ws.id, key="sales", name="Sales")
        support = Department(workshop_id=ws.id, key="support", name="Support")
        await uow.people.save(Person(id="tg:1", name="Anna", language="ru"))
        anna = Member(
            workshop_id=ws.id,
            person_id="tg:1",
            name="Anna",
            role=Role.FACILITATOR,
            department_id=sales.id,
        )
        bob = Member(
            workshop_id=ws.id, person_id=None, name="Bob (invited)", department_id=support.id
        )
        stage = Stage(workshop_id=ws.id, order=1, key="awareness")
        gone = Stage(workshop_id=ws.id, order=2, name="Deleted stage")
        tp = Touchpoint(
            workshop_id=ws.id,
            stage_id=stage.id,
            name="Сайт 🙂",
            channel="website",
            owner_id=anna.id,
            author_id=anna.id,
            department_id=sales.id,
        )
        kpi = Kpi(workshop_id=ws.id, touchpoint_id=tp.id, name="Conversion", unit="%", target=3.5)
        pain = PainPoint(
            workshop_id=ws.id,
            stage_id=stage.id,
            touchpoint_id=tp.id,
            description="Долго грузится",
            evidence_kind=EvidenceKind.ANALYTICS,
            evidence="GA: 8s",
            severity=3,
            anonymous=True,
            department_id=support.id,
        )
        for item in (
            sales,
            support,
            anna,
            bob,
            stage,
            gone,
            tp,
            kpi,
            pain,
            Invite(workshop_id=ws.id, department_id=sales.id),
            Persona(workshop_id=ws.id, name="Мария, 35", segment="B2C"),
            StageNote(
                workshop_id=ws.id, stage_id=stage.id, lane=NoteLane.GOAL, text="Find a doctor"
            ),
            EmotionScore(workshop_id=ws.id, stage_id=stage.id, score=-2, author_id=anna.id),
            KpiReading(
                workshop_id=ws.id,
                kpi_id=kpi.id,
                value=2.5,
                at=datetime(2026, 1, 2, tzinfo=UTC),
                author_id=anna.id,
            ),
            Idea(
                workshop_id=ws.id,
                pain_id=pain.id,
                description="CDN",
                quick_win=True,
                due=date(2026, 3, 1),
            ),
        ):
            await uow.items.add(item, actor=anna.id)
        await uow.items.delete(gone, actor=anna.id)
        tp.description = "edited"
        await uow.items.update(tp, actor=anna.id)
        await uow.positions.save(
            Position(
                person_id="tg:1",
                workshop_id=ws.id,
                flow="pains",
                step="pain.severity",
                cursor={"stage": 1},
            )
        )
    return ws.id
