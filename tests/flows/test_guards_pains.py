"""The pain points section per stage: colleagues' pain points first (severity and
department), several in one message (evidence after a dash), the touchpoint asked only
where the stage has some, the evidence kind only for evidence given, severity 1–3, and an
anonymous one keeps its department but no author."""

from __future__ import annotations

from flows.models import Department, EvidenceKind, PainPoint, Stage, Touchpoint
from storage.store import SqliteStore
from tests.flows.flowkit import joined, make_engine, new_workshop


def buttons(player) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[b.value for b in row] for row in player.last.prompt.buttons]


async def test_pain_points_with_and_without_evidence_named_or_anonymous(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"])
    async with store.write() as uow:
        first, second = (await uow.items.list(ws, Stage))[:2]
        depts = {d.key: d for d in await uow.items.list(ws, Department)}
        web = Touchpoint(workshop_id=ws, stage_id=first.id, name="Web")
        await uow.items.add(web)
        await uow.items.add(Touchpoint(workshop_id=ws, stage_id=second.id, name="Elsewhere"))
        await uow.items.add(
            PainPoint(
                workshop_id=ws,
                stage_id=first.id,
                description="Old pain",
                severity=3,
                department_id=depts["sales"].id,
            )
        )
        await uow.items.add(PainPoint(workshop_id=ws, stage_id=first.id, description="No dept"))
        me = await uow.items.member_of(ws, "t:pat")
    assert me is not None

    out = await pat.play({}, until="pains.description")
    assert out.keys == ["progress.section", "pains.colleagues", "busy.pains.description.ask"]
    assert out.replies[1].params == {
        "stage": "Awareness",
        "items": "• Old pain [3] (Sales)\n• No dept [2] (—)",
    }
    await pat.text("Slow page — GA report\nRude staff")  # two in one message
    assert buttons(pat) == [[web.id], ["!back", "!skip"]]  # only this stage's touchpoints
    assert pat.last.prompt.params["name"] == "Slow page"
    await pat.press(web.id)
    assert buttons(pat)[0] == ["analytics", "support_tickets"]  # evidence came: its kind?
    await pat.press("analytics")
    assert buttons(pat) == [["1", "2", "3"], ["!back"]]
    await pat.press("3")
    out = await pat.press("n")
    assert out.keys[0] == "pains.saved" and pat.step == "pains.touchpoint"
    assert pat.last.prompt.params["name"] == "Rude staff"
    await pat.press("!skip")  # no touchpoint
    assert pat.step == "pains.severity"  # no evidence after a dash: no kind asked
    await pat.press("1")
    out = await pat.press("y")
    assert out.keys[-1] == "busy.pains.description.ask"  # the list done: the next stage
    assert out.prompt is not None and out.prompt.params == {"item": "Interest"}
    assert pat.last.prompt.progress.params["i"] == 2  # type: ignore[union-attr]
    async with store.read() as uow:  # the anonymous one came in a list: no trace of it
        position = await uow.positions.get("t:pat", ws)
    assert position is not None and "Rude staff" not in position.model_dump_json()

    async with store.read() as uow:
        pains = {p.description: p for p in await uow.items.list(ws, PainPoint)}
    slow, rude = pains["Slow page"], pains["Rude staff"]
    assert (slow.touchpoint_id, slow.evidence_kind, slow.evidence) == (
        web.id,
        EvidenceKind.ANALYTICS,
        "GA report",
    )
    assert (slow.severity, slow.anonymous, slow.author_id) == (3, False, me.id)
    assert slow.department_id == me.department_id
    assert (rude.touchpoint_id, rude.evidence_kind, rude.evidence) == (None, None, "")
    assert (rude.severity, rude.anonymous, rude.author_id) == (1, True, None)
    assert rude.department_id == me.department_id
