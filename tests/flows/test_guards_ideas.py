"""The ideas section: per open pain point in stage order (a long one shortened in the
label), the person's ideas in one message — effort (a quick win is a small one), owner
("me" or a colleague) and a due date two weeks, a month or three months on; colleagues'
ideas shown first."""

from __future__ import annotations

from datetime import date

from flows.models import Effort, Idea, PainPoint, PainStatus, Stage
from storage.store import SqliteStore
from tests.flows.flowkit import joined, make_engine, new_workshop


def buttons(player) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(b.value, b.label or b.label_key) for row in player.last.prompt.buttons for b in row]


async def test_ideas_per_open_pain_point_with_effort_owner_and_due_date(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)  # today is 2025-03-03
    _, ws, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"])
    async with store.write() as uow:
        first, second = (await uow.items.list(ws, Stage))[:2]
        later = PainPoint(workshop_id=ws, stage_id=second.id, description="Second stage pain")
        long = PainPoint(workshop_id=ws, stage_id=first.id, description="x" * 81)
        solved = PainPoint(
            workshop_id=ws, stage_id=first.id, description="Solved", status=PainStatus.RESOLVED
        )
        for pain in (later, long, solved):
            await uow.items.add(pain)
        await uow.items.add(Idea(workshop_id=ws, pain_id=later.id, description="Existing idea"))
        me = await uow.items.member_of(ws, "t:pat")
        fay = await uow.items.member_of(ws, "t:fac")
    assert me is not None and fay is not None

    out = await pat.play({}, until="ideas.description")
    assert out.keys == ["progress.section", "busy.ideas.description.ask"]
    assert out.prompt is not None and out.prompt.params == {"item": "x" * 80 + "… (Awareness)"}
    assert out.prompt.progress is not None and out.prompt.progress.params["items"] == 2

    await pat.text("Shorter form\nSecond idea")  # two ideas in one message
    assert pat.last.prompt.params["name"] == "Shorter form"  # type: ignore[union-attr]
    rows = [[b.value for b in row] for row in pat.last.prompt.buttons]
    assert rows == [["qS", "S"], ["M", "L"], ["!back"]]  # two per row; no skip: it is needed
    await pat.press("L")
    assert buttons(pat)[:2] == [("me", "owners.me"), (fay.id, "Fay")]
    rows = [[b.value for b in row] for row in pat.last.prompt.buttons]
    assert rows == [["me"], [fay.id], ["!back", "!skip"]]  # people one per row
    await pat.press("me")
    assert buttons(pat)[:3] == [
        ("2025-03-17", "ideas.due.2w"),
        ("2025-04-02", "ideas.due.1m"),
        ("2025-06-02", "ideas.due.3m"),
    ]
    out = await pat.press("2025-04-02")
    assert out.keys[0] == "ideas.saved" and pat.step == "ideas.effort"
    assert pat.last.prompt.params["name"] == "Second idea"  # type: ignore[union-attr]
    await pat.press("qS")  # a quick win, small effort
    await pat.press(fay.id)
    out = await pat.press("!skip")
    assert out.keys[-2:] == ["ideas.colleagues", "busy.ideas.description.ask"]
    assert out.replies[-2].params == {"items": "• Existing idea"}
    assert out.prompt is not None and out.prompt.params == {"item": "Second stage pain (Interest)"}

    async with store.read() as uow:
        ideas = {i.description: i for i in await uow.items.list(ws, Idea)}
    shorter, other = ideas["Shorter form"], ideas["Second idea"]
    assert (shorter.pain_id, shorter.quick_win, shorter.effort) == (long.id, False, Effort.L)
    assert (shorter.owner_id, shorter.due) == (me.id, date(2025, 4, 2))
    assert (other.pain_id, other.quick_win, other.effort) == (long.id, True, Effort.S)
    assert (other.owner_id, other.due) == (fay.id, None)


async def test_a_due_date_in_the_past_is_refused_and_the_idea_kept(store: SqliteStore) -> None:
    engine = make_engine(store)  # today is 2025-03-03
    _, ws, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"])
    async with store.write() as uow:
        (first, *_) = await uow.items.list(ws, Stage)
        await uow.items.add(PainPoint(workshop_id=ws, stage_id=first.id, description="Queue"))
    await pat.play({}, until="ideas.description")
    await pat.text("Second till")
    await pat.press("qS")
    await pat.press("me")

    out = await pat.text("01.01.2020")
    assert out.keys == ["ideas.due.past", "ideas.due.ask"]
    assert out.replies[0].params == {"today": "03.03.2025"}
    out = await pat.text("03.03.2025")  # today is fine
    assert out.keys[0] == "ideas.saved"
    async with store.read() as uow:
        (idea,) = await uow.items.list(ws, Idea)
    assert (idea.description, idea.quick_win, idea.due) == ("Second till", True, date(2025, 3, 3))
