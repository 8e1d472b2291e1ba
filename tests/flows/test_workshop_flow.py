"""Whole workshops through the engine on real SQLite: a facilitator sets up, marketing,
sales and support complete their sections; the store holds every answer with its
author and department."""

from __future__ import annotations

from collections import Counter

from bot.demo.play import play
from flows.models import (
    Department,
    Invite,
    Member,
    Persona,
    Role,
    Stage,
    WorkshopStatus,
)
from flows.ports import FixedClock
from flows.workshop.queries import load_map
from tests.flows.flowkit import SETUP, T0, make_engine, new_workshop


async def _demo(store, lang: str = "en"):  # type: ignore[no-untyped-def]
    clock = FixedClock(T0)
    engine = make_engine(store, clock)
    _, wid = await play(engine, clock, lang)
    return engine, wid, await load_map(store, wid)


async def test_setup_creates_workshop_stages_departments_invites_and_facilitator(store) -> None:
    engine = make_engine(store)
    player, wid, codes = await new_workshop(engine)
    assert set(codes) == {"marketing", "sales", "support"}
    async with store.read() as uow:
        workshop = await uow.workshops.get(wid)
        stages = await uow.items.list(wid, Stage)
        depts = await uow.items.list(wid, Department)
        invites = await uow.items.list(wid, Invite)
        members = await uow.items.list(wid, Member)
        personas = await uow.items.list(wid, Persona)
    assert workshop.status is WorkshopStatus.COLLECTING and workshop.timezone == "Europe/Warsaw"
    assert [s.key for s in sorted(stages, key=lambda s: s.order)] == [
        "awareness",
        "interest",
        "desire",
        "action",
    ]
    assert {d.key for d in depts} == {"marketing", "sales", "support"}
    assert {i.department_id for i in invites} == {d.id for d in depts}
    assert all(len(i.code) >= 22 for i in invites)
    assert [(m.role, m.person_id) for m in members] == [(Role.FACILITATOR, "t:fac")]
    assert [p.name for p in personas] == ["Anxious first-time patient"]
    assert player.step == "home.menu"


async def test_custom_stages_custom_department_and_section_assignment(store) -> None:
    engine = make_engine(store)
    script = {
        "setup.title": ["Custom"],
        "setup.template": ["=custom"],
        "setup.stages": ["Need", "Visit", "Aftercare", "!done"],
        "setup.departments": ["=sales", "=support", "Front desk", "!done"],
        "setup.sections": ["!done", "=persona", "=emotions", "!done"],
        "setup.personas": ["P", "!done"],
        "setup.confirm": ["=create"],
    }
    _, wid, codes = await new_workshop(engine, script=script)
    async with store.read() as uow:
        stages = sorted(await uow.items.list(wid, Stage), key=lambda s: s.order)
        depts = await uow.items.list(wid, Department)
    assert [s.name for s in stages] == ["Need", "Visit", "Aftercare"]
    assert [(d.key, d.name) for d in depts] == [("marketing", ""), (None, "Front desk")]
    front = depts[1]
    assert "persona" not in front.sections and "emotions" not in front.sections
    assert "Front desk" in codes


async def test_three_departments_complete_every_section(store) -> None:
    engine, wid, journey = await _demo(store)
    members = {m.id: m for m in journey.members}
    depts = {d.id: d.key for d in journey.departments}
    by_dept = Counter(depts.get(tp.department_id) for tp in journey.touchpoints)
    assert by_dept == {"marketing": 4, "sales": 2, "support": 2}
    for item in [
        *journey.notes,
        *journey.emotions,
        *journey.touchpoints,
        *journey.kpis,
        *journey.ideas,
    ]:
        assert item.author_id in members, item
        assert members[item.author_id].department_id == item.department_id
    assert {m.name for m in journey.members if m.finished_at} == {"Maria", "Ivan", "Svetlana"}
    assert len(journey.emotions) == 15 and len(journey.stages) == 5
    assert {n.lane.value for n in journey.notes} == {"goal", "actions", "thoughts"}
    persona = journey.personas[0]
    assert persona.basis.value == "data" and persona.sources.startswith("CRM")


async def test_kpis_readings_owners_anonymous_pains_and_ideas_are_stored(store) -> None:
    _, wid, journey = await _demo(store)
    kpis = {k.name: k for k in journey.kpis}
    assert kpis["Click-through rate"].target == 5.0
    assert kpis["Conversion rate"].unit == "%"
    custom = kpis["Loan approval time"]
    assert (custom.unit, custom.direction.value, custom.target) == ("minutes", "lower", 60.0)
    values = sorted(r.value for r in journey.readings)
    assert 7.5 in values and 3.2 in values and 95.0 in values
    assert all(tp.owner_id for tp in journey.touchpoints)
    invited = [m for m in journey.members if m.person_id is None]
    assert [m.name for m in invited] == ["Dmitry Orlov (bank partner)"]
    anonymous = [p for p in journey.pains if p.anonymous]
    assert len(anonymous) == 2
    assert all(p.author_id is None and p.department_id for p in anonymous)
    assert any(p.is_hypothesis for p in anonymous)
    assert {i.quick_win for i in journey.ideas} == {True, False}
    assert any(i.due is not None for i in journey.ideas)
    credit = next(tp for tp in journey.touchpoints if tp.channel == "Partner bank desk")
    assert credit.online is False and credit.controllable is False


async def test_demo_has_a_disagreement_and_is_published(store) -> None:
    from flows.workshop.insights import disagreements

    _, wid, journey = await _demo(store)
    assert any(d.kind == "emotion" for d in disagreements(journey))
    assert journey.workshop.status is WorkshopStatus.PUBLISHED and journey.version == 1


async def test_russian_demo_runs_through_the_same_engine(store) -> None:
    _, _, journey = await _demo(store, "ru")
    assert journey.workshop.language == "ru"
    assert len(journey.touchpoints) == 8 and len(journey.ideas) == 4


async def test_join_and_finish_notify_facilitators_and_group(store) -> None:
    from flows.conversation.player import Player

    engine = make_engine(store)
    _, wid, codes = await new_workshop(engine)
    player = Player(engine, "t:p")
    player._keep(await engine.join("t:p", codes["support"], name="Sam"))
    await player.play({"join.confirm": ["=yes"], "join.name": ["Sam"]})
    requests = [r for o in player.seen for r in o.requests]
    keys = [(r.kind, r.key) for r in requests]
    assert ("notify_facilitators", "join.notify.joined") in keys
    assert ("notify_group", "sections.notify.department_done") in keys
    assert all(r.workshop_id == wid for r in requests)


async def test_the_operators_time_zone_is_offered_first(store) -> None:
    engine = make_engine(store, defaults={"timezone": "Asia/Almaty"})
    player, wid, _ = await new_workshop(
        engine, script={**SETUP, "setup.timezone": ["=Asia/Almaty"]}
    )
    zone_prompts = [
        r
        for o in player.seen
        for r in o.replies
        if r.kind == "prompt" and r.step == "setup.timezone"
    ]
    assert zone_prompts and zone_prompts[0].buttons[0][0].value == "Asia/Almaty"
    async with store.read() as uow:
        workshop = await uow.workshops.get(wid)
    assert workshop is not None and workshop.timezone == "Asia/Almaty"
