"""What ending a membership changes, as the audit and the people involved see it: the
removed member's touchpoints, ideas, open review and pending hand-overs are changed under
the facilitator who removed them (others' stay as they were), the person moves on to
their other workshop; a member's button label is cut at 40 characters; a facilitator who
left no longer counts as another facilitator."""

from __future__ import annotations

from flows.models import (
    Handover,
    HandoverStatus,
    Idea,
    Member,
    Review,
    ReviewStatus,
    Role,
    Touchpoint,
    WorkshopStatus,
)
from flows.ports import FixedClock
from flows.workshop import leaving
from flows.workshop.membership import last_facilitator, member_label
from storage.store import SqliteStore
from tests.builders import NOW, WorkshopBuilder

FAC, ZOFIA = "tg:9000", "tg:777"


async def test_a_removal_changes_only_the_members_things_under_the_facilitator(
    store: SqliteStore,
) -> None:
    b = WorkshopBuilder("Dealership", status=WorkshopStatus.PUBLISHED)
    fac = b.member("Fac", tg=9000, role=Role.FACILITATOR)
    zofia = b.member("Zofia", tg=777)
    bob = b.member("Bob", tg=9001)
    stage = b.stage("Test drive")
    hers = b.touchpoint(stage, "Showroom", owner=zofia)
    his = b.touchpoint(stage, "Website", owner=bob)
    pain = b.pain(stage, "Long wait")
    her_idea = b.idea(pain, "A queue app", owner_id=zofia.id)
    his_idea = b.idea(pain, "More staff", owner_id=bob.id)
    to_her = b.add(Handover(workshop_id=b.id, touchpoint_id=his.id, from_id=bob.id, to_id=zofia.id))
    to_fac = b.add(Handover(workshop_id=b.id, touchpoint_id=his.id, from_id=bob.id, to_id=fac.id))
    await b.save(store, schedule=NOW)
    other = WorkshopBuilder("Clinic")
    other.member("Zofia", tg=777)
    await other.save(store)
    async with store.write() as uow:
        person = await uow.people.get(ZOFIA)
        assert person is not None
        person.current_workshop_id = b.id
        await uow.people.save(person)

    await leaving.remove_member(store, FixedClock(NOW), FAC, b.id, zofia.id)

    async with store.read() as uow:
        reviews = {r.owner_id: r for r in await uow.items.list(b.id, Review)}
        ideas = {i.id: i for i in await uow.items.list(b.id, Idea)}
        offers = {h.id: h for h in await uow.items.list(b.id, Handover)}
        tps = {t.id: t for t in await uow.items.list(b.id, Touchpoint)}
        changed = [hers.id, her_idea.id, reviews[zofia.id].id, to_her.id, zofia.id]
        actors = [(await uow.items.history(i))[-1].actor for i in changed]
        person = await uow.people.get(ZOFIA)
        gone = await uow.items.get(Member, zofia.id)
    assert actors == [fac.id] * 5
    assert gone is not None and gone.deleted_at is not None
    assert tps[hers.id].owner_id is None and tps[his.id].owner_id == bob.id
    assert ideas[her_idea.id].owner_id is None and ideas[his_idea.id].owner_id == bob.id
    assert reviews[zofia.id].status is ReviewStatus.CANCELLED
    assert reviews[bob.id].status is not ReviewStatus.CANCELLED
    assert (offers[to_her.id].status, offers[to_her.id].answered_at) == (
        HandoverStatus.DECLINED,
        NOW,
    )
    assert offers[to_fac.id].status is HandoverStatus.PENDING
    assert person is not None and person.current_workshop_id == other.id


async def test_a_label_is_cut_at_forty_characters_and_a_departed_facilitator_does_not_count(
    store: SqliteStore,
) -> None:
    b = WorkshopBuilder("Dealership")
    sales = b.department("sales")
    fac = b.member("Fac", tg=9000, role=Role.FACILITATOR)
    forty = b.member("F" * 32, tg=1, department=sales)  # "FFF… · Sales": 40 characters
    longer = b.member("L" * 33, tg=2, department=sales)
    gone = b.member("Gone", tg=3, role=Role.FACILITATOR)
    invited = b.member("Invited", role=Role.FACILITATOR)
    b.delete(gone)
    await b.save(store)
    async with store.read() as uow:
        assert await member_label(uow, forty, "en") == "F" * 32 + " · Sales"
        assert await member_label(uow, longer, "en") == "L" * 33 + " · Sal…"
        members = await uow.items.list(b.id, Member, include_deleted=True)
    assert last_facilitator(fac, members)  # the departed one and the invited one do not count
    assert not last_facilitator(forty, members)  # not a facilitator at all
    gone.deleted_at = None
    assert not last_facilitator(fac, [*members, gone])
    assert invited.person_id is None
