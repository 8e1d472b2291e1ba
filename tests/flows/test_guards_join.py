"""Joining with an invite code: the workshop, product and department are shown to confirm,
the Telegram name is suggested, and the person is welcomed and announced; a wrong,
revoked or closed workshop's code lets nobody in — even when revoked half-way."""

from __future__ import annotations

from flows.conversation.player import Player
from flows.models import Invite, Member
from flows.workshop import facilitator
from storage.store import SqliteStore
from tests.flows.flowkit import make_engine, new_workshop


def said(out) -> list[tuple[str, dict]]:  # type: ignore[no-untyped-def,type-arg]
    return [(r.key, r.params) for r in out.replies]


async def test_a_colleague_joins_is_welcomed_and_announced(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    jo = Player(engine, "t:jo")
    out = jo._keep(await engine.join("t:jo", f"  {codes['sales']} ", name="Jo", language="en"))
    ((key, params),) = said(out)
    assert key == "join.confirm.ask_time"
    place = {"title": "Clinic journey", "product": "Dental clinic", "department": "Sales"}
    assert {k: params[k] for k in place} == place
    # the whole contribution: 20 seconds a question, rounded up to minutes
    assert params["minutes"] == -(-params["questions"] * 20 // 60) and params["questions"] > 10
    out = await jo.press("yes")
    assert said(out) == [("join.name.ask", {})]
    assert out.prompt is not None
    (use,), *_ = out.prompt.buttons
    assert (use.label_key, use.label_params) == ("join.name.use", {"name": "Jo"})
    await jo.text("Joanna")  # another name than Telegram's
    out = await jo.text("Clerk")
    welcome = {"name": "Joanna", "department": "Sales", "title": "Clinic journey"}
    assert said(out)[0] == ("join.welcome", welcome)
    assert [(r.kind, r.key, r.params) for r in out.requests] == [
        ("notify_facilitators", "join.notify.joined", welcome),
        ("notify_group", "join.notify.joined", welcome),
    ]
    async with store.read() as uow:
        member = await uow.items.member_of(ws, "t:jo")
        person = await uow.people.get("t:jo")
    assert member is not None and (member.name, member.position) == ("Joanna", "Clerk")
    assert member.author_id == member.id
    async with store.read() as uow:
        (joined_record,) = await uow.items.history(member.id)
    assert joined_record.actor == member.id and joined_record.action == "create"
    assert person is not None and person.name == "Jo"  # Telegram's name stays the person's

    again = jo._keep(await engine.join("t:jo", codes["sales"], name="Jo", language="en"))
    assert said(again)[0] == ("join.already", {"title": "Clinic journey"})
    assert again.requests == []


async def test_without_a_name_nothing_is_suggested(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, _, codes = await new_workshop(engine)
    anon = Player(engine, "t:anon")
    anon._keep(await engine.join("t:anon", codes["support"], name="", language="en"))
    out = await anon.press("yes")
    assert said(out) == [("join.name.ask", {})]
    assert out.prompt is not None
    assert [b.value for row in out.prompt.buttons for b in row] == ["!back"]  # nothing to offer


async def test_one_tap_takes_the_telegram_name(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    ann = Player(engine, "t:ann")
    ann._keep(await engine.join("t:ann", codes["sales"], name="Anna Kowalska", language="en"))
    await ann.press("yes")
    await ann.press("~tg")
    await ann.press("!skip")  # no position
    async with store.read() as uow:
        member = await uow.items.member_of(ws, "t:ann")
    assert member is not None and member.name == "Anna Kowalska"


async def test_wrong_revoked_and_closed_codes_let_nobody_in(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    for code in ("nope", "", "x" * 65):
        out = await engine.join("t:k", code, name="K", language="en")
        assert said(out) == [("join.invite.unknown", {})]

    late = Player(engine, "t:late")
    late._keep(await engine.join("t:late", codes["support"], name="Late", language="en"))
    await late.press("yes")
    async with store.read() as uow:
        invite = next(i for i in await uow.items.list(ws, Invite) if i.code == codes["support"])
    await facilitator.revoke_invite(store, engine.clock, "t:fac", ws, invite.id)
    await late.text("Late")
    out = await late.text("Clerk")
    assert "join.invite.unknown" in out.keys and out.requests == []
    async with store.read() as uow:
        assert await uow.items.member_of(ws, "t:late") is None
        assert (await uow.people.get("t:late")).current_workshop_id is None  # type: ignore[union-attr]
        assert await uow.positions.get("t:late", ws) is None
    out = await engine.join("t:late2", codes["support"], name="L", language="en")
    assert said(out) == [("join.invite.unknown", {})]

    await facilitator.close(store, "t:fac", ws)
    out = await engine.join("t:new", codes["sales"], name="N", language="en")
    assert said(out) == [("join.closed", {})]
    async with store.read() as uow:
        assert [m.name for m in await uow.items.list(ws, Member) if m.person_id == "t:new"] == []
