"""The facilitator's tools around people: invite codes (new, revoked, all renewed — the old
links stop working, each department keeps one), and nudges — to whom, how often, and the
scheduled ones only in the last days before the deadline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from flows.models import Invite, Member, Role, WorkshopStatus
from flows.ports import FixedClock
from flows.workshop import facilitator
from flows.workshop.facilitator import (
    NUDGE_BEFORE_DEADLINE,
    AccessDenied,
    NotFound,
    deadline_nudges,
    nudge,
)
from storage.store import SqliteStore
from tests.builders import NOW, WorkshopBuilder

FAC = "tg:1"


async def build(store: SqliteStore, **fields: object) -> WorkshopBuilder:
    b = WorkshopBuilder("Shop", status=WorkshopStatus.COLLECTING, **fields)
    sales, support = b.department("sales"), b.department("support")
    b.member("Fac", tg=1, role=Role.FACILITATOR)
    b.member("Ann", tg=2, department=sales, language="pl")
    b.member("Bob", tg=3, department=sales, finished_at=NOW)
    b.member("Cid", tg=4, department=support, unreachable=True)
    b.member("Dan", tg=5, department=support, last_nudged_at=NOW - timedelta(hours=2))
    b.member("Eve", tg=6, department=support, last_nudged_at=NOW - timedelta(days=2))
    b.member("Invited", department=support)
    b.invite(sales)
    b.invite(support)
    return await b.save(store)


async def test_renewing_invites_revokes_the_old_codes_and_gives_each_department_one(
    store: SqliteStore,
) -> None:
    b = await build(store)
    clock = FixedClock(NOW)
    async with store.read() as uow:
        old = await uow.items.list(b.id, Invite)
    revoked = await facilitator.revoke_invite(store, clock, FAC, b.id, old[1].id)
    assert revoked.revoked_at == NOW
    assert await facilitator.renew_invites(store, clock, FAC, b.id) == 1  # only the live one
    live = await facilitator.live_invites(store, FAC, b.id)
    assert [(i.department_id, d.key if d else None) for i, d in live] == [
        (old[0].department_id, "sales")
    ]
    (fresh, _) = live[0]
    assert fresh.code not in {i.code for i in old} and fresh.revoked_at is None
    async with store.read() as uow:
        assert await uow.items.find_invite(old[0].code) is not None  # kept, but revoked
        gone = await uow.items.get(Invite, old[0].id)
    assert gone is not None and gone.revoked_at == NOW
    extra = await facilitator.new_invite(store, FAC, b.id, old[1].department_id or "")
    assert extra.department_id == old[1].department_id
    assert len(await facilitator.live_invites(store, FAC, b.id)) == 2
    with pytest.raises(NotFound):
        await facilitator.revoke_invite(store, clock, FAC, b.id, "no-such-invite")
    with pytest.raises(AccessDenied):
        await facilitator.renew_invites(store, clock, "tg:2", b.id)


async def test_a_nudge_reaches_unfinished_reachable_participants_once_a_day(
    store: SqliteStore,
) -> None:
    b = await build(store)
    first = await nudge(store, FixedClock(NOW), FAC, b.id, "en")
    assert sorted(m.name for m in first.members) == ["Ann", "Eve"]
    assert sorted((n.to.id, n.lang, n.key) for n in first.notices) == [
        ("tg:2", "pl", "review.nudge"),
        ("tg:6", "en", "review.nudge"),
    ]
    assert all(n.params == {"workshop": "Shop"} for n in first.notices)
    async with store.read() as uow:
        marked = {m.name: m.last_nudged_at for m in await uow.items.list(b.id, Member)}
    assert marked["Ann"] == NOW and marked["Eve"] == NOW and marked["Bob"] is None
    again = await nudge(store, FixedClock(NOW + timedelta(hours=23)), FAC, b.id)
    assert [m.name for m in again.members] == ["Dan"]  # his day is over, the others' not
    dry = await nudge(store, FixedClock(NOW + timedelta(days=1)), FAC, b.id, mark=False)
    assert sorted(m.name for m in dry.members) == ["Ann", "Eve"]
    assert sorted(
        m.name for m in (await nudge(store, FixedClock(NOW + timedelta(days=1)), FAC, b.id)).members
    ) == ["Ann", "Eve"]


async def test_scheduled_nudges_come_only_in_the_last_days_before_the_deadline(
    store: SqliteStore,
) -> None:
    deadline = date(2026, 6, 10)
    b = await build(store, deadline=deadline)
    too_early = NOW.replace(day=10) - NUDGE_BEFORE_DEADLINE - timedelta(days=1)
    assert (await deadline_nudges(store, FixedClock(too_early), b.id)).members == []
    after = NOW.replace(day=11)
    assert (await deadline_nudges(store, FixedClock(after), b.id)).members == []
    first_day = NOW.replace(day=7)  # three days before
    nudged = await deadline_nudges(store, FixedClock(first_day), b.id)
    assert sorted(m.name for m in nudged.members) == ["Ann", "Dan", "Eve"]
    on_the_day = NOW.replace(day=10)
    nudged = await deadline_nudges(store, FixedClock(on_the_day), b.id)
    assert sorted(m.name for m in nudged.members) == ["Ann", "Dan", "Eve"]
    assert (await deadline_nudges(store, FixedClock(on_the_day), "no-such-workshop")).members == []


async def test_no_scheduled_nudges_without_a_deadline_or_after_collecting(
    store: SqliteStore,
) -> None:
    b = await build(store)
    assert (await deadline_nudges(store, FixedClock(NOW), b.id)).members == []
    published = await build(store, deadline=NOW.date())
    async with store.write() as uow:
        workshop = await uow.workshops.get(published.id)
        assert workshop is not None
        workshop.status = WorkshopStatus.PUBLISHED
        await uow.workshops.update(workshop)
    assert (await nudge(store, FixedClock(NOW), FAC, published.id)).members == []


async def test_invite_changes_are_audited_under_the_facilitator_and_renewal_keeps_the_role(
    store: SqliteStore,
) -> None:
    b = await build(store)
    fac = b.facilitator
    assert fac is not None
    clock = FixedClock(NOW)
    async with store.write() as uow:
        host = Invite(workshop_id=b.id, role=Role.FACILITATOR)
        await uow.items.add(host)
    extra = await facilitator.new_invite(store, FAC, b.id, "")
    assert extra.author_id == fac.id
    await facilitator.revoke_invite(store, clock, FAC, b.id, extra.id)
    with pytest.raises(NotFound, match="facilitator.invite.unknown"):
        await facilitator.revoke_invite(store, clock, FAC, b.id, "no-such-invite")
    assert await facilitator.renew_invites(store, clock, FAC, b.id) == 3  # sales, support, host
    async with store.read() as uow:
        invites = await uow.items.list(b.id, Invite)
        actors = {
            h.actor for i in invites for h in await uow.items.history(i.id) if i.id != host.id
        }
        renewed_host = [h.actor for h in await uow.items.history(host.id)]
    fresh = [i for i in invites if i.revoked_at is None]
    assert sorted(i.role for i in fresh) == [Role.FACILITATOR, Role.PARTICIPANT, Role.PARTICIPANT]
    assert {i.author_id for i in fresh} == {fac.id}
    assert actors == {fac.id} and renewed_host == [None, fac.id]


async def test_a_merge_repoints_every_reference_and_the_audit_names_the_facilitator(
    store: SqliteStore,
) -> None:
    b = WorkshopBuilder("Shop", status=WorkshopStatus.COLLECTING)
    fac = b.member("Fac", tg=1, role=Role.FACILITATOR)
    stage = b.stage("Visit")
    keep, drop = b.touchpoint(stage, "Web shop"), b.touchpoint(stage, "Webshop")
    pains = [b.pain(stage, f"Slow {i}", touchpoint=drop) for i in range(2)]
    kpi = b.kpi(drop, "Conversion")
    await b.save(store)
    assert await facilitator.merge(store, FAC, b.id, keep.id, drop.id) == 3
    async with store.read() as uow:
        last = {i.id: (await uow.items.history(i.id))[-1] for i in (*pains, kpi, drop)}
    assert {h.actor for h in last.values()} == {fac.id}
    assert last[drop.id].action == "delete"
    assert {last[p.id].data["touchpoint_id"] for p in pains} == {keep.id}


async def test_a_nudge_and_closing_are_recorded_under_whoever_did_them(
    store: SqliteStore,
) -> None:
    b = await build(store)
    looked = await facilitator.nudge_list(store, FixedClock(NOW), FAC, b.id, mark=False)
    assert sorted(m.name for m in looked) == ["Ann", "Eve"]  # only looked: nobody marked
    nudged = await facilitator.nudge_list(store, FixedClock(NOW), FAC, b.id)
    assert sorted(m.name for m in nudged) == ["Ann", "Eve"]
    assert await facilitator.nudge_list(store, FixedClock(NOW), FAC, b.id) == []  # marked
    ann = next(m for m in b.members if m.name == "Ann")
    await facilitator.close(store, FAC, b.id)
    async with store.read() as uow:
        nudge_actor = (await uow.items.history(ann.id))[-1].actor
        closed = (await uow.items.history(b.id))[-1]
    assert nudge_actor == FAC
    assert (closed.actor, closed.data["status"]) == (FAC, WorkshopStatus.CLOSED.value)


async def test_the_live_map_carries_the_number_of_the_last_published_version(
    store: SqliteStore,
) -> None:
    b = await build(store)
    assert (await facilitator.load_map(store, FAC, b.id)).version == 0
    await facilitator.publish(store, FixedClock(NOW), FAC, b.id)
    assert (await facilitator.load_map(store, "tg:2", b.id)).version == 1
