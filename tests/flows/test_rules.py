"""The rules of the living map, evaluated with a fixed clock: each example rule fires
once for a condition, not again while the same condition holds, and again when a new
instance of it arises (a new miss run, a new unconfirmed stretch, another pain point)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flows.models import (
    Idea,
    KpiReading,
    Member,
    PainPoint,
    Role,
    Rule,
    RuleFiring,
    RuleTrigger,
    Touchpoint,
    WorkshopStatus,
)
from flows.review import digest, rules, rules_flow
from flows.texts import t
from flows.workshop.messages import Notice
from storage.store import SqliteStore
from tests.builders import NOW, WorkshopBuilder

DAY = timedelta(days=1)
LONG_AGO = NOW - 400 * DAY  # when the map was made


class World:
    """A published workshop: a facilitator (9000), an owner (100) and a colleague (101)
    in Sales, a participant (102) in Support; one touchpoint with a KPI (target 50)."""

    def __init__(self, *rules_: tuple[RuleTrigger, int], confirmed: datetime = NOW - DAY) -> None:
        b = WorkshopBuilder("Dealership", status=WorkshopStatus.PUBLISHED, review_cadence_days=30)
        self.sales = b.department("sales", "Sales")
        self.support = b.department("support", "Support")
        self.fac = b.member("Fac", tg=9000, role=Role.FACILITATOR)
        self.owner = b.member("Olga", tg=100, department=self.sales)
        self.colleague = b.member("Carl", tg=101, department=self.sales)
        self.other = b.member("Paula", tg=102, department=self.support)
        self.stage = b.stage("Test drive", created_at=LONG_AGO)
        self.tp = b.touchpoint(
            self.stage, "Booking form", owner=self.owner, confirmed=confirmed, created_at=LONG_AGO
        )
        self.kpi = b.kpi(self.tp, "Bookings", target=50, created_at=LONG_AGO)
        self.rules = [
            b.add(Rule(workshop_id=b.id, trigger=trigger, count=n, author_id=self.fac.id))
            for trigger, n in rules_
        ]
        self.b = b

    async def save(self, store: SqliteStore) -> World:
        await self.b.save(store)
        return self

    async def evaluate(self, store: SqliteStore, now: datetime) -> list[rules.Fired]:
        async with store.write() as uow:
            workshop = await uow.workshops.get(self.b.id)
            assert workshop is not None
            return await rules.evaluate(uow, workshop, now)

    async def add(self, store: SqliteStore, *items: object) -> None:
        async with store.write() as uow:
            for item in items:
                await uow.items.add(item)  # type: ignore[arg-type]

    def reading(self, at: datetime, value: float) -> KpiReading:
        return KpiReading(workshop_id=self.b.id, kpi_id=self.kpi.id, value=value, at=at)

    def pain(self, text: str, created: datetime, severity: int = 3, **fields: object) -> PainPoint:
        fields.setdefault("department_id", self.sales.id)
        return PainPoint(
            workshop_id=self.b.id,
            stage_id=self.stage.id,
            description=text,
            severity=severity,
            created_at=created,
            **fields,  # type: ignore[arg-type]
        )


def messages(fired: list[rules.Fired]) -> list[Notice]:
    """Every message the firings send: the plain ones and the questions with a button."""
    return [n for f in fired for n in f.notices] + [a.notice for f in fired for a in f.asks]


def told(fired: list[rules.Fired]) -> list[tuple[str, str]]:
    """(person, message key) of every message the firings send."""
    return sorted((n.to.id, n.key) for n in messages(fired))


def rendered(fired: list[rules.Fired]) -> list[str]:
    texts = [t(n.lang, n.key, **n.params) for n in sorted(messages(fired), key=lambda n: n.to.id)]
    for text in texts:
        assert not re.search(r"\{[a-z_]+\}", text), text
    return texts


# --------------------------------------------------------------------- KPI misses


async def test_a_kpi_missing_twice_in_a_row_asks_its_owner_and_tells_the_facilitators(
    store: SqliteStore,
) -> None:
    w = await World((RuleTrigger.KPI_MISSES, 2)).save(store)
    await w.add(store, w.reading(NOW - 3 * DAY, 60), w.reading(NOW - 2 * DAY, 40))
    assert await w.evaluate(store, NOW) == []  # one miss is not a run of two
    await w.add(store, w.reading(NOW - DAY, 45))

    fired = await w.evaluate(store, NOW)
    assert told(fired) == [
        ("tg:100", "rules.fired.kpi_misses.owner"),
        ("tg:9000", "rules.fired.kpi_misses.facilitators"),
    ]
    owner_text, fac_text = rendered(fired)
    # the owner's question comes with "Add pain point" for the touchpoint
    assert [(a.notice.to.id, a.touchpoint_id) for f in fired for a in f.asks] == [
        ("tg:100", w.tp.id)
    ]
    assert "Bookings" in owner_text and "45" in owner_text and "50" in owner_text
    assert "Olga" in fac_text
    assert await w.evaluate(store, NOW + DAY) == []  # the same run: not again

    await w.add(store, w.reading(NOW + DAY, 30))  # the run goes on: still the same condition
    assert await w.evaluate(store, NOW + 2 * DAY) == []

    await w.add(store, w.reading(NOW + 3 * DAY, 55))  # met: the run is over
    await w.add(store, w.reading(NOW + 4 * DAY, 10), w.reading(NOW + 5 * DAY, 20))
    again = await w.evaluate(store, NOW + 6 * DAY)
    assert [f.firing.subject_id for f in again] == [w.kpi.id]  # a new run fires again
    assert again[0].firing.key != fired[0].firing.key


async def test_lower_is_better_kpis_and_kpis_without_a_target(store: SqliteStore) -> None:
    w = World((RuleTrigger.KPI_MISSES, 2))
    wait = w.b.kpi(w.tp, "Wait minutes", target=5, direction="lower", created_at=LONG_AGO)
    vague = w.b.kpi(w.tp, "Mood", created_at=LONG_AGO)  # no target: it cannot miss
    await w.save(store)
    await w.add(
        store,
        *(
            KpiReading(workshop_id=w.b.id, kpi_id=k.id, value=v, at=NOW - n * DAY)
            for k, v in ((wait, 9), (vague, 1), (w.kpi, 70))
            for n in (1, 2)
        ),
    )
    fired = await w.evaluate(store, NOW)
    assert [f.firing.subject_id for f in fired] == [wait.id]


# ---------------------------------------------------------------- unconfirmed


async def test_a_touchpoint_unconfirmed_for_two_cadences_is_escalated_in_the_digest_once(
    store: SqliteStore,
) -> None:
    w = await World((RuleTrigger.UNCONFIRMED, 2), confirmed=NOW - 59 * DAY).save(store)
    assert await w.evaluate(store, NOW) == []  # 59 days: less than two 30-day cadences
    fired = await w.evaluate(store, NOW + DAY)
    assert [f.firing.subject_id for f in fired] == [w.tp.id]
    assert told(fired) == []  # it waits for the digest
    assert await w.evaluate(store, NOW + 10 * DAY) == []

    async def digest_keys(at: datetime) -> list[tuple[str, dict]]:
        async with store.write() as uow:
            workshop = await uow.workshops.get(w.b.id)
            assert workshop is not None
            lines = await digest.weekly(uow, workshop, at, 3)
        return [(line.key, line.params) for line in lines if line.key.startswith("rules.")]

    first = await digest_keys(NOW + 10 * DAY)
    assert first == [
        ("rules.digest.title", {}),
        ("rules.digest.unconfirmed", {"touchpoint": "Booking form", "owner": "Olga", "days": 69}),
    ]
    assert await digest_keys(NOW + 17 * DAY) == []  # listed once

    async with store.write() as uow:  # confirmed, then left alone for two cadences again
        tp = await uow.items.get(Touchpoint, w.tp.id)
        assert tp is not None
        tp.last_confirmed_at = NOW + 20 * DAY
        await uow.items.update(tp)
    assert await w.evaluate(store, NOW + 79 * DAY) == []
    again = await w.evaluate(store, NOW + 80 * DAY)
    assert [f.firing.subject_id for f in again] == [w.tp.id]
    assert (await digest_keys(NOW + 81 * DAY))[1][1]["days"] == 61


async def test_an_escalation_confirmed_before_the_digest_is_left_out(store: SqliteStore) -> None:
    w = await World((RuleTrigger.UNCONFIRMED, 2), confirmed=NOW - 70 * DAY).save(store)
    assert len(await w.evaluate(store, NOW)) == 1
    async with store.write() as uow:
        tp = await uow.items.get(Touchpoint, w.tp.id)
        assert tp is not None
        tp.last_confirmed_at = NOW + DAY
        await uow.items.update(tp)
        workshop = await uow.workshops.get(w.b.id)
        assert workshop is not None
        lines = await digest.weekly(uow, workshop, NOW + 2 * DAY, 3)
    assert not [line for line in lines if line.key.startswith("rules.")]


# ---------------------------------------------------------- pain without idea


async def test_a_severe_pain_without_an_idea_for_14_days_reminds_its_department(
    store: SqliteStore,
) -> None:
    w = await World((RuleTrigger.PAIN_WITHOUT_IDEA, 14)).save(store)
    old = w.pain("Slots booked for weeks", NOW - 14 * DAY)
    young = w.pain("No parking", NOW - 12 * DAY)
    mild = w.pain("Cold coffee", NOW - 30 * DAY, severity=2)
    helped = w.pain("No test cars", NOW - 30 * DAY)
    await w.add(store, old, young, mild, helped)
    await w.add(store, Idea(workshop_id=w.b.id, pain_id=helped.id, description="Rent cars"))

    fired = await w.evaluate(store, NOW)
    assert [f.firing.subject_id for f in fired] == [old.id]
    # Sales (the owner and the colleague), not Support, not the facilitator
    assert told(fired) == [
        ("tg:100", "rules.fired.pain_without_idea"),
        ("tg:101", "rules.fired.pain_without_idea"),
    ]
    assert all("Slots booked for weeks" in text for text in rendered(fired))
    assert await w.evaluate(store, NOW + DAY) == []  # not again for the same pain point

    later = await w.evaluate(store, NOW + 2 * DAY)  # the younger one reaches 14 days
    assert [f.firing.subject_id for f in later] == [young.id]


async def test_a_pain_without_department_reminds_the_facilitators(store: SqliteStore) -> None:
    w = await World((RuleTrigger.PAIN_WITHOUT_IDEA, 7)).save(store)
    await w.add(store, w.pain("Lost keys", NOW - 8 * DAY, department_id=None))
    fired = await w.evaluate(store, NOW)
    assert told(fired) == [("tg:9000", "rules.fired.pain_without_idea")]


# ------------------------------------------------------------- switched off, listed


async def test_a_switched_off_or_deleted_rule_does_not_fire(store: SqliteStore) -> None:
    w = await World((RuleTrigger.KPI_MISSES, 2), (RuleTrigger.KPI_MISSES, 3)).save(store)
    off, gone = w.rules
    async with store.write() as uow:
        off.enabled = False
        await uow.items.update(off)
        await uow.items.delete(gone)
    await w.add(store, *(w.reading(NOW - n * DAY, 1) for n in (1, 2, 3)))
    assert await w.evaluate(store, NOW) == []


async def test_the_summary_counts_firings_and_tells_the_last_one(store: SqliteStore) -> None:
    w = await World((RuleTrigger.KPI_MISSES, 2), (RuleTrigger.UNCONFIRMED, 2)).save(store)
    await w.add(store, w.reading(NOW - 2 * DAY, 1), w.reading(NOW - DAY, 2))
    await w.evaluate(store, NOW)
    await w.add(store, w.reading(NOW + DAY, 90), w.reading(NOW + 2 * DAY, 1))
    await w.add(store, w.reading(NOW + 3 * DAY, 1))
    await w.evaluate(store, NOW + 4 * DAY)
    async with store.read() as uow:
        found = await rules_flow.summaries(uow, w.b.id)
        firings = await uow.items.list(w.b.id, RuleFiring)
        members = await uow.items.list(w.b.id, Member)
    assert [(s.rule.trigger, s.fired, s.last) for s in found] == [
        (RuleTrigger.KPI_MISSES, 2, NOW + 4 * DAY),
        (RuleTrigger.UNCONFIRMED, 0, None),
    ]
    assert len(firings) == 2 and len(members) == 4
    line = rules_flow.summary_line("en", 1, found[0], w.b.workshop)
    assert "fired: 2, last on 05.06.2026" in line
    assert "has not fired yet" in rules_flow.summary_line("en", 2, found[1], w.b.workshop)


async def test_an_owner_out_of_reach_or_missing_is_the_facilitators_job(
    store: SqliteStore,
) -> None:
    w = World((RuleTrigger.KPI_MISSES, 2))
    w.b.people[1].unreachable = True  # Olga blocked the bot
    lone = w.b.touchpoint(w.stage, "Kiosk", confirmed=NOW, created_at=LONG_AGO)
    nobody = w.b.kpi(lone, "Kiosk uptime", target=99, created_at=LONG_AGO)
    await w.save(store)
    await w.add(
        store,
        *(
            KpiReading(workshop_id=w.b.id, kpi_id=k.id, value=1, at=NOW - n * DAY)
            for k in (w.kpi, nobody)
            for n in (1, 2)
        ),
    )
    fired = await w.evaluate(store, NOW)
    assert [f.asks for f in fired] == [[], []]
    assert told(fired) == [
        ("tg:9000", "rules.fired.kpi_misses.no_owner"),
        ("tg:9000", "rules.fired.kpi_misses.unreachable"),
    ]
    assert any("Olga cannot be reached" in text for text in rendered(fired))
