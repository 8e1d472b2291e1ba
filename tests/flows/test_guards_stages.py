"""The stages section: per stage the goal, actions and thoughts; each answer becomes a
note with its lane, author and department, and the next colleague sees them (lane,
text, department) before the questions."""

from __future__ import annotations

from flows.models import NoteLane, Stage, StageNote
from flows.texts import t_plain
from storage.store import SqliteStore
from tests.flows.flowkit import joined, make_engine, new_workshop


async def test_stage_notes_per_lane_are_kept_and_shown_to_colleagues(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"])
    sam = await joined(engine, "t:sam", codes["sales"], name="Sam")
    out = await pat.play({}, until="stages.goal")
    assert out.keys == ["stages.goal.ask"]  # nobody wrote anything yet
    await pat.text("Find a dentist")
    await pat.press("!skip")  # no actions
    await pat.text("Will it hurt?")
    async with store.read() as uow:
        first = (await uow.items.list(ws, Stage))[0]
        notes = await uow.items.list(ws, StageNote)
        me = await uow.items.member_of(ws, "t:pat")
    assert me is not None
    assert [(n.lane, n.text, n.stage_id) for n in notes] == [
        (NoteLane.GOAL, "Find a dentist", first.id),
        (NoteLane.THOUGHTS, "Will it hurt?", first.id),
    ]
    assert all(n.author_id == me.id and n.department_id == me.department_id for n in notes)

    out = await sam.play({}, until="stages.goal")
    assert out.keys == ["stages.colleagues", "stages.goal.ask"]
    goal, thoughts = (
        t_plain("en", f"stages.lane.{lane.value}") for lane in (NoteLane.GOAL, NoteLane.THOUGHTS)
    )
    assert out.replies[0].params == {
        "stage": "Awareness",
        "items": f"• {goal}: Find a dentist (Marketing)\n• {thoughts}: Will it hurt? (Marketing)",
    }
