"""The setup summary the facilitator confirms, and the workshop it makes: title, product
("—" when skipped), the stages (a template's, translated, or typed ones), departments,
personas, cadence, time zone and reminder time."""

from __future__ import annotations

from datetime import time

from flows.conversation.player import Player
from flows.models import ALL_SECTIONS, Department, Invite, Persona, Role, Stage, StageTemplate
from storage.store import SqliteStore
from tests.flows.flowkit import SETUP, make_engine

CUSTOM = {
    "setup.title": ["Bank"],
    "setup.product": ["!skip"],
    "setup.template": ["=custom"],
    "setup.stages": ["Open account", "Use card", "!done"],
    "setup.departments": ["=sales", "!done"],  # sales off
    "setup.personas": ["Saver", "Spender", "!done"],
    "setup.cadence": ["=14"],
    "setup.timezone": ["=UTC"],
    "setup.time": ["=09:00"],
}


async def summary(store: SqliteStore, script: dict, pid: str) -> tuple[Player, dict]:  # type: ignore[type-arg]
    player = Player(make_engine(store), pid)
    player._keep(await player.engine.start_setup(pid, name="Gil", language="en"))
    out = await player.play(script, until="setup.confirm")
    assert player.step == "setup.confirm" and out.prompt is not None
    return player, out.prompt.params


async def test_a_template_workshop_is_summed_up_before_it_is_made(store: SqliteStore) -> None:
    player, params = await summary(store, SETUP, "t:fac")
    progress = player.last.prompt.progress  # type: ignore[union-attr]
    assert progress is not None and progress.key == "progress.question"
    assert progress.params["n"] == progress.params["total"]  # the last question of setup
    assert params == {
        "title": "Clinic journey",
        "product": "Dental clinic",
        "stages": "Awareness → Interest → Desire → Action",
        "departments": "Marketing, Sales, Support",
        "personas": "Anxious first-time patient",
        "cadence": 30,
        "timezone": "Europe/Warsaw",
        "time": "10:00",
    }


async def test_typed_stages_and_other_choices_are_summed_up_and_kept(store: SqliteStore) -> None:
    player, params = await summary(store, CUSTOM, "t:gil")
    assert params == {
        "title": "Bank",
        "product": "—",
        "stages": "Open account → Use card",
        "departments": "Marketing, Support",
        "personas": "Saver, Spender",
        "cadence": 14,
        "timezone": "UTC",
        "time": "09:00",
    }
    out = await player.press("create")
    assert out.workshop_id is not None
    async with store.read() as uow:
        workshop = await uow.workshops.get(out.workshop_id)
        stages = await uow.items.list(out.workshop_id, Stage)
        departments = await uow.items.list(out.workshop_id, Department)
        personas = await uow.items.list(out.workshop_id, Persona)
    assert workshop is not None
    assert (workshop.title, workshop.product, workshop.stage_template) == (
        "Bank",
        "",
        StageTemplate.CUSTOM,
    )
    assert (workshop.timezone, workshop.reminder_time, workshop.review_cadence_days) == (
        "UTC",
        time(9, 0),
        14,
    )
    assert [(s.order, s.name) for s in stages] == [(0, "Open account"), (1, "Use card")]
    assert sorted(d.key or d.name for d in departments) == ["marketing", "support"]
    assert [p.name for p in personas] == ["Saver", "Spender"]


async def test_the_choices_offered_and_what_creating_says(store: SqliteStore) -> None:
    engine = make_engine(store, defaults={"timezone": "Asia/Almaty"})
    player = Player(engine, "t:ops")
    player._keep(await engine.start_setup("t:ops", name="Ops", language="en"))

    def offered() -> list[tuple[str, str | None, dict]]:  # type: ignore[type-arg]
        assert player.last is not None and player.last.prompt is not None
        return [
            (b.value, b.label or b.label_key, b.label_params)
            for row in player.last.prompt.buttons
            for b in row
            if not b.value.startswith("!")
        ]

    script = {**CUSTOM, "setup.departments": ["Legal", "!done"]}
    script.pop("setup.timezone")
    await player.play(script, until="setup.cadence")
    assert offered() == [(str(d), "setup.cadence.days", {"days": d}) for d in (7, 14, 30, 90)]
    await player.play(script, until="setup.timezone")
    zones = [value for value, _, _ in offered()]
    assert zones[0] == "Asia/Almaty" and zones.count("Asia/Almaty") == 1 and "UTC" in zones
    await player.press("Europe/Warsaw")
    assert offered() == [(t, t, {}) for t in ("09:00", "10:00", "11:00", "14:00")]
    out = await player.play(script, until="setup.confirm")
    assert offered() == [("create", "setup.confirm.create", {})]
    assert out.prompt is not None
    assert out.prompt.params["departments"] == "Marketing, Sales, Support, Legal"
    out = await player.press("create")
    created = next(r for r in out.replies if r.key == "setup.created")
    async with store.read() as uow:
        depts = {d.name or d.key: d for d in await uow.items.list(out.workshop_id, Department)}
        workshop = await uow.workshops.get(out.workshop_id)  # type: ignore[arg-type]
    assert workshop is not None and workshop.timezone == "Europe/Warsaw"
    assert set(depts) == {"marketing", "sales", "support", "Legal"}
    (request,) = [r for r in out.requests if r.kind == "workshop_created"]
    invites = request.params["invites"]
    assert request.params["title"] == "Bank"
    assert [i["department"] for i in invites] == ["Marketing", "Sales", "Support", "Legal"]
    assert created.params["title"] == "Bank"
    assert created.params["invites"] == "\n".join(
        f"• {i['department']}: {i['code']}" for i in invites
    )
    assert [i["key"] for i in invites] == ["marketing", "sales", "support", ""]
    assert [i["department_id"] for i in invites] == [
        depts[k].id for k in ("marketing", "sales", "support", "Legal")
    ]
    legal = depts["Legal"]
    assert legal.key is None and legal.sections == sorted(legal.sections, key=ALL_SECTIONS.index)
    async with store.read() as uow:
        facilitator = await uow.items.member_of(out.workshop_id, "t:ops")  # type: ignore[arg-type]
        (persona, *_) = await uow.items.list(out.workshop_id, Persona)  # type: ignore[arg-type]
        invite = (await uow.items.list(out.workshop_id, Invite))[0]  # type: ignore[arg-type]
        assert facilitator is not None
        actors = {
            "member": (await uow.items.history(facilitator.id))[0].actor,
            "department": (await uow.items.history(legal.id))[0].actor,
            "invite": (await uow.items.history(invite.id))[0].actor,
            "persona": (await uow.items.history(persona.id))[0].actor,
        }
    assert facilitator.name == "Ops" and facilitator.role is Role.FACILITATOR
    assert facilitator.author_id is None
    assert actors == {
        "member": "t:ops",
        "department": "t:ops",
        "invite": "t:ops",
        "persona": facilitator.id,
    }


async def test_a_stage_typed_twice_is_refused_and_the_list_kept(store: SqliteStore) -> None:
    player = Player(make_engine(store), "t:gil")
    player._keep(await player.engine.start_setup("t:gil", name="Gil", language="en"))
    await player.play(
        {k: v for k, v in CUSTOM.items() if k != "setup.stages"}, until="setup.stages"
    )
    await player.text("Delivery")
    await player.text("Instagram ads")
    for twin, kept in (("  delivery ", "Delivery"), ("instagram ad", "Instagram ads")):
        out = await player.text(twin)
        assert out.keys == ["engine.error.list_twice", "setup.stages.ask"]
        assert out.replies[0].params == {"item": kept, "items": "Delivery; Instagram ads"}
    await player.text("Glass")  # "ss" is not a plural
    await player.text("Glas")
    out = await player.play({**CUSTOM, "setup.stages": ["!done"]}, until="setup.confirm")
    assert out.prompt is not None
    assert out.prompt.params["stages"] == "Delivery → Instagram ads → Glass → Glas"
