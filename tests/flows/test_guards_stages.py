"""The stages section: per stage the goal, actions and thoughts in one message (the goal
first, "Actions: …" and "Thoughts: …" lines); each line becomes a note with its lane,
author and department, and the next colleague sees them (lane, text, department) with
"✓ Agree", "Add" and "Nothing to add"."""

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
    out = await pat.play({}, until="stages.notes")
    assert out.keys == ["progress.section", "busy.stages.notes.ask"]  # nobody wrote yet
    out = await pat.text("Find a dentist\nThoughts: Will it hurt?\nthoughts: Is it expensive?")
    assert out.prompt is not None and out.prompt.params["item"] == "Interest"  # one message
    async with store.read() as uow:
        first, second, *_ = await uow.items.list(ws, Stage)
        notes = await uow.items.list(ws, StageNote)
        me = await uow.items.member_of(ws, "t:pat")
    assert me is not None
    assert [(n.lane, n.text, n.stage_id) for n in notes] == [
        (NoteLane.GOAL, "Find a dentist", first.id),
        (NoteLane.THOUGHTS, "Will it hurt?", first.id),
        (NoteLane.THOUGHTS, "Is it expensive?", first.id),
    ]
    assert all(n.author_id == me.id and n.department_id == me.department_id for n in notes)
    out = await pat.press("!next")  # Nothing to add for «Interest»
    assert out.prompt is not None and out.prompt.params["item"] == "Desire"
    await pat.press("!rest")  # nothing more in this section
    assert pat.step is not None and not pat.step.startswith("stages.")

    out = await sam.play({}, until="stages.seen")
    assert out.keys == ["progress.section", "stages.colleagues", "busy.stages.seen.ask"]
    goal, thoughts = (
        t_plain("en", f"stages.lane.{lane.value}") for lane in (NoteLane.GOAL, NoteLane.THOUGHTS)
    )
    assert (
        out.replies[1]
        .params["items"]
        .startswith(
            f"• {goal}: Find a dentist (Marketing)\n• {thoughts}: Will it hurt? (Marketing)"
        )
    )
    buttons = [b.value for row in out.prompt.buttons for b in row]  # type: ignore[union-attr]
    assert buttons[:2] == ["agree", "add"] and "!next" in buttons
    await sam.press("agree")  # one tap: the next stage, nothing stored
    await sam.text("Actions: books online")  # «Interest»: nobody wrote, so asked at once
    async with store.read() as uow:
        notes = await uow.items.list(ws, StageNote)
    assert [(n.lane, n.text, n.stage_id) for n in notes][3:] == [
        (NoteLane.ACTIONS, "books online", second.id)
    ]
