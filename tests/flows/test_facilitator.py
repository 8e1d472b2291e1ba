"""Facilitator tools: access checks, status, nudge list, merge, publish, close."""

from __future__ import annotations

import pytest

from flows.models import Idea, MapVersion, Member, PainPoint, Touchpoint, WorkshopStatus
from flows.workshop import facilitator
from flows.workshop.facilitator import AccessDenied, NotFound
from tests.flows.flowkit import joined, make_engine, new_workshop


async def _workshop(store):  # type: ignore[no-untyped-def]
    engine = make_engine(store)
    _, wid, codes = await new_workshop(engine)
    done = await joined(engine, "t:a", codes["marketing"], "Ann")
    await done.play(
        {
            "touchpoints.name": ["Site", "Shop", "!next"],
            "touchpoints.channel": ["=website", "=store_office_showroom"],
            "pains.description": ["Slow site", "!next"],
        }
    )
    busy = await joined(engine, "t:b", codes["sales"], "Bob")
    await busy.play({}, until="emotions.score")
    return engine, wid


async def test_only_members_see_and_only_facilitators_manage(store) -> None:
    engine, wid = await _workshop(store)
    with pytest.raises(AccessDenied) as denied:
        await facilitator.load_map(store, "t:stranger", wid)
    assert denied.value.key == "access.not_member"
    assert (await facilitator.load_map(store, "t:a", wid)).workshop.id == wid
    for call in (
        facilitator.status(store, "t:a", wid),
        facilitator.publish(store, engine.clock, "t:a", wid),
        facilitator.close(store, "t:b", wid),
        facilitator.members(store, "t:stranger", wid),
    ):
        with pytest.raises(AccessDenied):
            await call


async def test_status_progress_gaps_and_nudge_list(store) -> None:
    engine, wid = await _workshop(store)
    status = await facilitator.status(store, "t:fac", wid)
    people = {p.name: p for p in status.people}
    assert people["Ann"].finished and not people["Bob"].finished
    assert people["Bob"].section == "emotions"
    assert {d.name: (d.joined, d.finished) for d in status.departments}["Marketing"] == (1, 1)
    assert status.gaps.touchpoints_without_kpi
    report = await facilitator.status_report(store, "t:fac", wid)
    # staleness is listed once the map is published and owners review it
    assert [r.key for r in report] == ["status.progress", "status.gaps", "status.radar"]
    nudge = await facilitator.nudge_list(store, engine.clock, "t:fac", wid)
    assert [m.name for m in nudge] == ["Bob"]
    assert await facilitator.nudge_list(store, engine.clock, "t:fac", wid) == []


async def test_merge_repoints_references_and_keeps_history(store) -> None:
    engine, wid = await _workshop(store)
    async with store.read() as uow:
        site, shop = await uow.items.list(wid, Touchpoint)
        (pain,) = await uow.items.list(wid, PainPoint)
    async with store.write() as uow:
        pain.touchpoint_id = shop.id
        await uow.items.update(pain)
    moved = await facilitator.merge(store, "t:fac", wid, site.id, shop.id)
    assert moved == 1
    async with store.read() as uow:
        assert [t.id for t in await uow.items.list(wid, Touchpoint)] == [site.id]
        assert (await uow.items.get(PainPoint, pain.id)).touchpoint_id == site.id
        assert [h.action for h in await uow.items.history(shop.id)][-1] == "delete"
    with pytest.raises(NotFound):
        await facilitator.merge(store, "t:fac", wid, site.id, pain.id)


async def test_publish_freezes_a_version_and_close_stops_joining(store) -> None:
    engine, wid = await _workshop(store)
    version = await facilitator.publish(store, engine.clock, "t:fac", wid)
    assert version.number == 1 and version.snapshot["touchpoints"]
    async with store.read() as uow:
        assert (await uow.workshops.get(wid)).status is WorkshopStatus.PUBLISHED
        assert len(await uow.items.list(wid, MapVersion)) == 1
    await facilitator.close(store, "t:fac", wid)
    from flows.models import Invite

    async with store.read() as uow:
        code = (await uow.items.list(wid, Invite))[0].code
    out = await engine.join("t:late", code)
    assert out.keys == ["join.closed"]
    assert Idea and Member
