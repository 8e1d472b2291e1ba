"""The home menu between flows: everyone can have the map sent and go through a section
of theirs again; only facilitators see the status and the invite codes (revoked ones
left out)."""

from __future__ import annotations

from flows.models import Invite
from storage.store import SqliteStore
from tests.flows.flowkit import joined, make_engine, new_workshop


def menu(player) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.value for row in player.last.prompt.buttons for b in row]


async def test_a_facilitator_gets_the_invites_the_map_and_the_status(store: SqliteStore) -> None:
    engine = make_engine(store)
    fac, ws, codes = await new_workshop(engine)
    assert fac.step == "home.menu"
    assert menu(fac) == ["map", "status", "invites"]
    async with store.write() as uow:
        (revoked,) = [i for i in await uow.items.list(ws, Invite) if i.code == codes["sales"]]
        revoked.revoked_at = revoked.created_at
        await uow.items.update(revoked)

    out = await fac.press("invites")
    assert out.keys == ["home.invites", "home.menu.ask"]
    assert out.replies[0].params == {
        "invites": f"• Marketing: {codes['marketing']}\n• Support: {codes['support']}"
    }
    assert out.requests == []

    out = await fac.press("map")
    assert out.keys == ["home.map.sent", "home.menu.ask"]
    assert [(r.kind, r.workshop_id) for r in out.requests] == [("send_map", ws)]

    out = await fac.press("status")
    assert out.keys == ["status.progress", "status.gaps", "status.radar", "home.menu.ask"]
    assert out.replies[0].params["title"] == "Clinic journey"
    assert fac.step == "home.menu"


async def test_a_participant_may_go_through_a_section_again_but_sees_no_codes(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"])
    await pat.play({})
    assert pat.step == "home.menu"
    choices = menu(pat)
    assert "status" not in choices and "invites" not in choices
    assert choices[:2] == ["persona", "stages"] and "map" in choices
    out = await pat.press("map")
    assert [(r.kind, r.workshop_id) for r in out.requests] == [("send_map", ws)]
    out = await pat.press("pains")
    assert pat.step is not None and pat.step.startswith("pains.")
    assert out.requests == []


async def test_an_invite_without_a_department_is_listed_without_a_name(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    fac, ws, codes = await new_workshop(engine)
    async with store.write() as uow:
        host = Invite(workshop_id=ws)
        await uow.items.add(host)
    out = await fac.press("invites")
    lines = str(out.replies[0].params["invites"]).split("\n")
    assert lines[-1] == f"• : {host.code}"
    assert len(lines) == len(codes) + 1
