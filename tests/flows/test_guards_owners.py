"""The owners section: every touchpoint still without an owner is offered in turn; the
person takes it ("me"), gives it to a colleague (named with their department), invites
someone by name (a member of the touchpoint's department, joining later) or skips."""

from __future__ import annotations

from flows.models import Department, Member, Stage, Touchpoint
from storage.store import SqliteStore
from tests.flows.flowkit import joined, make_engine, new_workshop


def labels(player) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(b.value, b.label or b.label_key) for row in player.last.prompt.buttons for b in row]


async def test_touchpoints_without_owner_get_one_each_way_or_are_skipped(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    await joined(engine, "t:sam", codes["sales"], name="Sam")
    pat = await joined(engine, "t:pat", codes["marketing"], name="Pat")
    async with store.write() as uow:
        depts = {d.key: d for d in await uow.items.list(ws, Department)}
        stage = (await uow.items.list(ws, Stage))[0]
        sam_member = await uow.items.member_of(ws, "t:sam")
        pat_member = await uow.items.member_of(ws, "t:pat")
        assert sam_member is not None and pat_member is not None
        owned = Touchpoint(workshop_id=ws, stage_id=stage.id, name="Owned", owner_id=sam_member.id)
        tps = [
            Touchpoint(workshop_id=ws, stage_id=stage.id, name=n, department_id=depts["support"].id)
            for n in ("Mine", "Sams", "Invited", "Skipped")
        ]
        for tp in (owned, *tps):
            await uow.items.add(tp)

    await pat.play({}, until="owners.owner")
    assert pat.last.prompt.params["item"] == "Mine (Awareness)"  # the owned one is not offered
    choices = labels(pat)
    assert choices[0] == ("me", "owners.me")
    assert (sam_member.id, "Sam (Sales)") in choices
    assert pat_member.id not in [value for value, _ in choices]  # "me" already
    assert ("invite", "owners.invite") in choices

    await pat.press("me")
    assert pat.last.prompt.params["item"] == "Sams (Awareness)"
    await pat.press(sam_member.id)
    await pat.press("invite")
    assert pat.step == "owners.invite_name"
    await pat.text("Vera Newcomer")
    assert pat.last.prompt.params["item"] == "Skipped (Awareness)"
    await pat.press("!skip")
    assert pat.step is not None and not pat.step.startswith("owners.")

    async with store.read() as uow:
        now = {t.name: t.owner_id for t in await uow.items.list(ws, Touchpoint)}
        invited = [m for m in await uow.items.list(ws, Member) if m.name == "Vera Newcomer"]
    (vera,) = invited
    assert vera.person_id is None and vera.department_id == depts["support"].id
    assert now == {
        "Owned": sam_member.id,
        "Mine": pat_member.id,
        "Sams": sam_member.id,
        "Invited": vera.id,
        "Skipped": None,
    }
