"""The emotions section: per stage a score from −2 to +2 with its labels; one score per
person and stage — going through the section again changes it, a colleague's stays."""

from __future__ import annotations

from flows.models import EmotionScore, Stage
from storage.store import SqliteStore
from tests.flows.flowkit import joined, make_engine, new_workshop


async def test_one_score_per_person_and_stage_updated_when_answered_again(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"])
    sue = await joined(engine, "t:sue", codes["marketing"], name="Sue")
    await pat.play({}, until="emotions.score")
    scale = [(b.value, b.label_key) for row in pat.last.prompt.buttons for b in row][:5]
    assert scale == [
        ("-2", "emotions.score.m2"),
        ("-1", "emotions.score.m1"),
        ("0", "emotions.score.0"),
        ("1", "emotions.score.p1"),
        ("2", "emotions.score.p2"),
    ]
    rows = [[b.value for b in row] for row in pat.last.prompt.buttons]
    assert rows == [["-2", "-1", "0", "1", "2"], ["!back", "!skip"]]  # one row of five
    progress = pat.last.prompt.progress
    assert progress is not None and progress.key == "progress.stage.q"
    assert progress.params == {"section": "Emotions", "i": 1, "items": 4, "n": 1, "total": 4}
    await pat.press("-2")
    progress = pat.last.prompt.progress
    assert progress is not None and progress.params["i"] == 2 and progress.params["n"] == 2
    await pat.press("1")
    await pat.press("!skip")
    await sue.play({"emotions.score": ["=2"]}, until="touchpoints.name")
    await pat.play({})
    async with store.read() as uow:
        stages = [s.id for s in await uow.items.list(ws, Stage)]
        pat_member = await uow.items.member_of(ws, "t:pat")
    assert pat_member is not None

    async def scores() -> dict[tuple[str | None, int], int]:
        async with store.read() as uow:
            found = await uow.items.list(ws, EmotionScore)
        return {(e.author_id, stages.index(e.stage_id)): e.score for e in found}

    before = await scores()
    assert before[(pat_member.id, 0)] == -2 and before[(pat_member.id, 1)] == 1
    assert (pat_member.id, 2) not in before  # skipped

    await pat.press("emotions")
    await pat.press("2")
    after = await scores()
    assert after[(pat_member.id, 0)] == 2
    assert len(after) == len(before)  # changed, not added
    assert {k: v for k, v in after.items() if k[0] != pat_member.id} == {
        k: v for k, v in before.items() if k[0] != pat_member.id
    }
