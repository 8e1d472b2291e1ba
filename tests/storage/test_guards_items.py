"""The item store as the facilitator's audit and the anonymity promise rely on it: every
write leaves a dated record of who did what, deleted items vanish from the map but not
from history, and an anonymous answer keeps no trace of its author."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flows.models import Invite, Member, PainPoint, Touchpoint, Workshop
from storage.store import SqliteStore

W = "ws-1"


async def workshop(store: SqliteStore) -> None:
    async with store.write() as uow:
        await uow.workshops.add(Workshop(id=W, title="Shop"))


async def test_history_records_each_write_in_order_with_its_actor_and_content(
    store: SqliteStore,
) -> None:
    await workshop(store)
    before = datetime.now(UTC) - timedelta(seconds=1)
    tp = Touchpoint(workshop_id=W, stage_id="s", name="Web")
    async with store.write() as uow:
        await uow.items.add(tp, actor="m-1")
        tp.name = "Web shop"
        await uow.items.update(tp, actor="m-2")
        await uow.items.delete(tp)
    async with store.read() as uow:
        history = await uow.items.history(tp.id)
        assert await uow.items.list(W, Touchpoint) == []
        (kept,) = await uow.items.list(W, Touchpoint, include_deleted=True)
        assert [i.id for i in await uow.items.all_of_workshop(W)] == []
        assert [i.id for i in await uow.items.all_of_workshop(W, include_deleted=True)] == [tp.id]
    assert kept.deleted_at is not None and kept.name == "Web shop"
    assert [h.action for h in history] == ["create", "update", "delete"]
    assert [h.actor for h in history] == ["m-1", "m-2", None]
    assert [h.data["name"] for h in history] == ["Web", "Web shop", "Web shop"]
    assert {h.item_id for h in history} == {tp.id} and {h.kind for h in history} == {"touchpoint"}
    assert history[0].seq < history[1].seq < history[2].seq
    assert all(before <= h.at <= datetime.now(UTC) for h in history)


async def test_reads_cannot_write_and_a_missing_item_cannot_be_updated(store: SqliteStore) -> None:
    await workshop(store)
    with pytest.raises(RuntimeError, match="store.write"):
        async with store.read() as uow:
            await uow.items.add(Touchpoint(workshop_id=W, stage_id="s", name="Web"))
    with pytest.raises(KeyError):
        async with store.write() as uow:
            await uow.items.update(Touchpoint(workshop_id=W, stage_id="s", name="Ghost"))
    async with store.read() as uow:
        assert await uow.items.list(W, Touchpoint) == []


async def test_an_item_is_found_only_as_its_own_kind(store: SqliteStore) -> None:
    await workshop(store)
    tp = Touchpoint(workshop_id=W, stage_id="s", name="Web")
    async with store.write() as uow:
        await uow.items.add(tp)
    async with store.read() as uow:
        assert (await uow.items.get(Touchpoint, tp.id)) == tp
        assert await uow.items.get(Member, tp.id) is None


async def test_membership_is_the_first_live_member_of_a_person(store: SqliteStore) -> None:
    await workshop(store)
    async with store.write() as uow:
        await uow.workshops.add(Workshop(id="ws-2", title="Other"))
        gone = Member(workshop_id=W, person_id="tg:1", name="Old")
        first = Member(workshop_id=W, person_id="tg:1", name="Ann")
        second = Member(workshop_id=W, person_id="tg:1", name="Ann again")
        elsewhere = Member(workshop_id="ws-2", person_id="tg:1", name="Ann")
        stranger = Member(workshop_id=W, person_id="tg:2", name="Bob")
        for member in (gone, first, second, elsewhere, stranger):
            await uow.items.add(member)
        await uow.items.delete(gone)
    async with store.read() as uow:
        found = await uow.items.member_of(W, "tg:1")
        assert found is not None and found.id == first.id
        assert await uow.items.member_of(W, "tg:3") is None
        assert [m.id for m in await uow.items.memberships("tg:1")] == [
            first.id,
            second.id,
            elsewhere.id,
        ]


async def test_a_deleted_invite_code_no_longer_works(store: SqliteStore) -> None:
    await workshop(store)
    live, old = Invite(workshop_id=W), Invite(workshop_id=W)
    async with store.write() as uow:
        await uow.items.add(live)
        await uow.items.add(old)
        await uow.items.delete(old)
    async with store.read() as uow:
        found = await uow.items.find_invite(live.code)
        assert found is not None and found.id == live.id
        assert await uow.items.find_invite(old.code) is None
        assert await uow.items.find_invite("nonsense") is None


async def test_an_anonymous_pain_keeps_only_its_department_and_the_hour(
    store: SqliteStore,
) -> None:
    await workshop(store)
    at = datetime(2026, 6, 1, 10, 42, 17, tzinfo=UTC)
    pain = PainPoint(
        workshop_id=W,
        stage_id="s",
        description="Queues",
        anonymous=True,
        author_id="m-1",
        department_id="sales",
        created_at=at,
        updated_at=at,
    )
    async with store.write() as uow:
        await uow.items.add(pain, actor="m-1")
    async with store.read() as uow:
        stored = await uow.items.get(PainPoint, pain.id)
        (record,) = await uow.items.history(pain.id)
    assert stored is not None and stored.author_id is None
    assert stored.created_at == at.replace(minute=0, second=0)
    assert record.actor == "anonymous:sales" and record.data["author_id"] is None
    assert (record.at.minute, record.at.second, record.at.microsecond) == (0, 0, 0)


async def test_a_pain_made_anonymous_later_forgets_its_author_in_history(
    store: SqliteStore,
) -> None:
    await workshop(store)
    pain = PainPoint(workshop_id=W, stage_id="s", description="Queues", author_id="m-1")
    async with store.write() as uow:
        await uow.items.add(pain, actor="m-1")
    async with store.read() as uow:
        assert [h.actor for h in await uow.items.history(pain.id)] == ["m-1"]
    pain.anonymous = True
    async with store.write() as uow:
        await uow.items.update(pain, actor="m-1")
    async with store.read() as uow:
        history = await uow.items.history(pain.id)
    assert [h.actor for h in history] == ["anonymous:", "anonymous:"]
    assert all(h.data["author_id"] is None for h in history)
    assert all(h.at.minute == 0 and h.at.second == 0 for h in history)
    assert all(datetime.fromisoformat(h.data["created_at"]).minute == 0 for h in history)
