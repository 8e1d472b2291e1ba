"""What the group reads when a new map version is posted: "what changed since vN" —
KPI values first, then touchpoints, pain points and ideas added or removed, new owners
and idea statuses; "no changes" when nothing did; the first version counts its stages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flows.models import (
    Idea,
    IdeaStatus,
    JourneyMap,
    Kpi,
    KpiReading,
    Member,
    PainPoint,
    Stage,
    Touchpoint,
    Workshop,
)
from flows.workshop.versions import Change, decode_change, diff_maps, save_version
from storage.store import SqliteStore

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
W = Workshop(id="ws", title="Shop")


def journey(**items: object) -> JourneyMap:
    return JourneyMap(workshop=W, **items)  # type: ignore[arg-type]


def test_the_first_version_counts_its_stages_and_an_unchanged_map_says_so() -> None:
    stages = [Stage(workshop_id="ws", order=i, name=f"S{i}") for i in (1, 2, 3)]
    assert diff_maps(None, journey(stages=stages)) == [
        Change("version.change.first", {"stages": 3})
    ]
    same = journey(stages=stages)
    assert diff_maps(same, same) == [Change("version.change.none")]


def test_every_kind_of_change_is_listed_kpis_first() -> None:
    ann = Member(workshop_id="ws", name="Ann")
    kept = Touchpoint(workshop_id="ws", stage_id="s", name="Web")
    gone = Touchpoint(workshop_id="ws", stage_id="s", name="Fax")
    new_tp = Touchpoint(workshop_id="ws", stage_id="s", name="App")
    pain_gone = PainPoint(workshop_id="ws", stage_id="s", description="Slow")
    pain_new = PainPoint(workshop_id="ws", stage_id="s", description="Rude")
    idea = Idea(workshop_id="ws", pain_id="p", description="Chat bot")
    idea_gone = Idea(workshop_id="ws", pain_id="p", description="Fax line")
    idea_new = Idea(workshop_id="ws", pain_id="p", description="FAQ")
    nps = Kpi(workshop_id="ws", touchpoint_id=kept.id, name="NPS", unit="pts")
    fresh = Kpi(workshop_id="ws", touchpoint_id=kept.id, name="Visits", unit="")
    quiet = Kpi(workshop_id="ws", touchpoint_id=kept.id, name="Quiet")
    old_reading = KpiReading(workshop_id="ws", kpi_id=nps.id, value=40, at=T0)
    old = journey(
        members=[ann],
        touchpoints=[kept, gone],
        pains=[pain_gone],
        ideas=[idea, idea_gone],
        kpis=[nps, fresh, quiet],
        readings=[old_reading],
    )
    moved = kept.model_copy(update={"owner_id": ann.id})
    done = idea.model_copy(update={"status": IdeaStatus.DONE})
    new = journey(
        members=[ann],
        touchpoints=[moved, new_tp],
        pains=[pain_new],
        ideas=[done, idea_new],
        kpis=[nps, fresh, quiet],
        readings=[
            old_reading,
            KpiReading(workshop_id="ws", kpi_id=nps.id, value=47.5, at=T0 + timedelta(days=1)),
            KpiReading(workshop_id="ws", kpi_id=fresh.id, value=1200, at=T0),
        ],
    )
    assert diff_maps(old, new) == [
        Change(
            "version.change.kpi", {"name": "NPS", "before": "40", "after": "47.5", "unit": "pts"}
        ),
        Change(
            "version.change.kpi", {"name": "Visits", "before": "—", "after": "1200", "unit": ""}
        ),
        Change("version.change.touchpoint_added", {"name": "App"}),
        Change("version.change.touchpoint_removed", {"name": "Fax"}),
        Change("version.change.pain_added", {"name": "Rude"}),
        Change("version.change.pain_removed", {"name": "Slow"}),
        Change("version.change.idea_added", {"name": "FAQ"}),
        Change("version.change.idea_removed", {"name": "Fax line"}),
        Change("version.change.owner", {"touchpoint": "Web", "owner": "Ann"}),
        Change("version.change.idea_status", {"name": "Chat bot", "status": "done"}),
    ]


def test_an_owner_taken_away_shows_a_dash() -> None:
    ann = Member(workshop_id="ws", name="Ann")
    tp = Touchpoint(workshop_id="ws", stage_id="s", name="Web", owner_id=ann.id)
    old = journey(members=[ann], touchpoints=[tp])
    new = journey(members=[ann], touchpoints=[tp.model_copy(update={"owner_id": None})])
    assert diff_maps(old, new) == [
        Change("version.change.owner", {"touchpoint": "Web", "owner": "—"})
    ]


async def test_versions_are_numbered_and_remember_what_changed(store: SqliteStore) -> None:
    async with store.write() as uow:
        await uow.workshops.add(W)
        await uow.items.add(Stage(workshop_id="ws", order=1, name="Visit"))
        first = await save_version(uow, W, T0, author_id="m-1")
        await uow.items.add(Touchpoint(workshop_id="ws", stage_id="s", name="A | B"))
        second = await save_version(uow, W, T0 + timedelta(days=1))
        third = await save_version(uow, W, T0 + timedelta(days=2))
    assert (first.number, second.number, third.number) == (1, 2, 3)
    assert first.author_id == "m-1" and second.author_id is None
    assert first.changes == ["version.change.first|stages=1"]
    assert [decode_change(c) for c in second.changes] == [
        Change("version.change.touchpoint_added", {"name": "A / B"})
    ]
    assert third.changes == ["version.change.none"]
    assert second.snapshot["version"] == 2
    assert JourneyMap.model_validate(second.snapshot).touchpoints[0].name == "A | B"
