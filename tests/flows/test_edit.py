"""/edit: a person lists their own items of the workshop (a page at a time), changes a
text or deletes one after a confirmation, and is put back where they were. Anonymous pain
points and colleagues' items are never listed; changes are audited with the person as
the actor."""

from __future__ import annotations

from flows.conversation.player import Player
from flows.models import Idea, Kpi, Member, PainPoint, Person, Role, Stage, Touchpoint
from flows.workshop import edit
from storage.store import SqliteStore
from tests.builders import WorkshopBuilder
from tests.flows.flowkit import joined, make_engine, new_workshop

PAT = "tg:1"


async def _workshop(store: SqliteStore) -> tuple[WorkshopBuilder, Member, list[Touchpoint]]:
    b = WorkshopBuilder("Clinic")
    desk = b.department("sales", "Front desk")
    b.member("Fay", tg=9, role=Role.FACILITATOR)
    pat = b.member("Pat", tg=1, department=desk)
    sue = b.member("Sue", tg=2, department=desk)
    lobby = b.stage("Lobby")
    mine = [b.touchpoint(lobby, f"Kiosk {n}", author=pat) for n in range(7)]
    b.touchpoint(lobby, "Sue's desk", author=sue)
    b.pain(lobby, "Secret queue", anonymous=True, department=desk)  # nobody's own
    pain = b.pain(lobby, "Long queue", author=pat)
    b.add(Idea(workshop_id=b.id, pain_id=pain.id, description="Tickets", author_id=pat.id))
    b.position(pat, "home", "home.menu")
    await b.save(store)
    async with store.write() as uow:
        person = await uow.people.get(PAT)
        assert person is not None
        person.current_workshop_id = b.id
        await uow.people.save(person)
    return b, pat, mine


def _labels(out) -> list[str]:  # type: ignore[no-untyped-def]
    prompt = out.prompt
    return [b.label or b.label_key for row in prompt.buttons for b in row]


async def test_one_lists_pages_of_ones_own_items_only(store: SqliteStore) -> None:
    b, _, mine = await _workshop(store)
    engine = make_engine(store)
    player = Player(engine, PAT)
    first = player._keep(await engine.start(PAT, edit.begin, workshop_id=b.id))
    assert first.prompt is not None and first.prompt.step == "edit.pick"
    assert first.prompt.params["page"] == 1 and first.prompt.params["pages"] == 2
    assert _labels(first) == [
        *(f"{n + 1}. Kiosk {n}" for n in range(6)),
        "edit.pick.more",
        "edit.pick.close",
    ]
    second = await player.press(edit.MORE)
    assert second.prompt is not None and second.prompt.params["page"] == 2
    assert _labels(second) == [
        "7. Kiosk 6",
        "8. Long queue",
        "9. Tickets",
        "edit.pick.prev",
        "edit.pick.close",
    ]
    shown = second.prompt.params["items"]
    assert "Secret queue" not in shown and "Sue's desk" not in shown
    assert "Pain point: Long queue" in shown and "Idea: Tickets" in shown
    back = await player.press(edit.PREV)
    assert back.prompt is not None and back.prompt.params["page"] == 1
    assert all(len(v) <= 24 for v in (b.value for row in back.prompt.buttons for b in row))
    assert mine[0].id in {b.value for row in back.prompt.buttons for b in row}


async def test_a_text_is_changed_and_an_item_deleted_with_the_person_as_actor(
    store: SqliteStore,
) -> None:
    b, pat, mine = await _workshop(store)
    engine = make_engine(store)
    player = Player(engine, PAT)
    player._keep(await engine.start(PAT, edit.begin, workshop_id=b.id))
    await player.press(mine[0].id)
    assert player.step == "edit.action"
    await player.press(edit.EDIT)
    assert player.step == "edit.text"
    saved = await player.text("Self-service kiosk")
    assert "edit.saved" in saved.keys and player.step == "edit.pick"  # the list again

    await player.press(mine[1].id)
    await player.press(edit.DELETE)
    assert player.step == "edit.confirm"
    kept = await player.press(edit.NO)
    assert "edit.deleted" not in kept.keys and player.step == "edit.pick"
    await player.press(mine[1].id)
    await player.press(edit.DELETE)
    deleted = await player.press(edit.YES)
    assert "edit.deleted" in deleted.keys
    async with store.read() as uow:
        renamed = await uow.items.get(Touchpoint, mine[0].id)
        gone = await uow.items.get(Touchpoint, mine[1].id)
        live = {t.id for t in await uow.items.list(b.id, Touchpoint)}
        renamed_by = [e.actor for e in await uow.items.history(mine[0].id)]
        deleted_by = [e.actor for e in await uow.items.history(mine[1].id)]
    assert renamed is not None and renamed.name == "Self-service kiosk"
    assert mine[1].id not in live and gone is not None and gone.deleted_at is not None
    assert renamed_by[-1] == pat.id and deleted_by[-1] == pat.id
    assert _labels(deleted)[:2] == ["1. Self-service kiosk", "2. Kiosk 2"]  # Kiosk 1 is gone

    closed = await player.press("!next")
    assert closed.prompt is not None and closed.prompt.step == "home.menu"


async def test_the_anonymous_pain_stays_unlinked_and_unlisted(store: SqliteStore) -> None:
    b, _, _ = await _workshop(store)
    engine = make_engine(store)
    player = Player(engine, PAT)
    player._keep(await engine.start(PAT, edit.begin, workshop_id=b.id))
    await player.press(edit.MORE)
    async with store.read() as uow:
        pains = await uow.items.list(b.id, PainPoint)
        position = await uow.positions.get(PAT, b.id)
    secret = next(p for p in pains if p.anonymous)
    assert secret.author_id is None
    assert position is not None and secret.id not in position.model_dump_json()


async def test_nothing_of_ones_own_says_so_and_stays_put(store: SqliteStore) -> None:
    b, _, _ = await _workshop(store)
    engine = make_engine(store)
    async with store.write() as uow:
        await uow.people.save(Person(id="tg:2", name="Sue", current_workshop_id=b.id))
    out = await engine.start("tg:2", edit.begin, workshop_id=b.id)  # Sue's one touchpoint
    assert out.prompt is not None and out.prompt.step == "edit.pick"
    stranger = await engine.start("tg:77", edit.begin, workshop_id=b.id)
    assert "access.not_member" in stranger.keys


async def test_edit_in_the_middle_of_a_section_comes_back_to_the_same_question(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    _, wid, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"], name="Pat")
    where = pat.step
    nothing = await engine.start("t:pat", edit.begin, workshop_id=wid)
    assert "edit.none" in nothing.keys
    async with store.write() as uow:
        me = await uow.items.member_of(wid, "t:pat")
        assert me is not None
        stage = (await uow.items.list(wid, Stage))[0]
        await uow.items.add(
            Touchpoint(workshop_id=wid, stage_id=stage.id, name="Website", author_id=me.id)
        )
    pat._keep(await engine.start("t:pat", edit.begin, workshop_id=wid))
    assert pat.step == "edit.pick"
    back = await pat.press("!next")
    assert back.prompt is not None and back.prompt.step == where


async def test_an_item_others_hang_on_is_not_deleted(store: SqliteStore) -> None:
    b, pat, mine = await _workshop(store)
    async with store.write() as uow:  # a colleague's KPI on Pat's first kiosk
        await uow.items.add(Kpi(workshop_id=b.id, touchpoint_id=mine[0].id, name="Wait"))
        (pain,) = [
            p for p in await uow.items.list(b.id, PainPoint) if p.description == "Long queue"
        ]
    engine = make_engine(store)
    player = Player(engine, PAT)
    player._keep(await engine.start(PAT, edit.begin, workshop_id=b.id))
    for item_id in (mine[0].id, pain.id):  # the kiosk has a KPI, the pain point an idea
        if item_id == pain.id:
            await player.press(edit.MORE)
        await player.press(item_id)
        await player.press(edit.DELETE)
        out = await player.press(edit.YES)
        assert "edit.delete.held" in out.keys and "edit.deleted" not in out.keys
        assert out.replies[0].params["count"] == 1 and player.step == "edit.pick"
    async with store.read() as uow:
        live = {t.id for t in await uow.items.list(b.id, Touchpoint)}
        pains = {p.id for p in await uow.items.list(b.id, PainPoint)}
    assert mine[0].id in live and pain.id in pains
