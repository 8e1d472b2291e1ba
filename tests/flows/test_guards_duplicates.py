"""Likely duplicates the facilitator is offered to merge: same kind, same place, same text
once case, spacing and punctuation are ignored; the older one is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flows.models import Idea, JourneyMap, Kpi, NoteLane, PainPoint, StageNote, Touchpoint, Workshop
from flows.workshop.duplicates import duplicates, norm

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
W = "ws"


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def journey(**items: object) -> JourneyMap:
    return JourneyMap(workshop=Workshop(id=W, title="Shop"), **items)  # type: ignore[arg-type]


def test_case_spacing_and_punctuation_do_not_matter_but_words_do() -> None:
    assert norm("  Slow   DELIVERY!!! ") == "slow delivery"
    assert norm("slow_delivery") == "slow delivery"
    assert norm("Slow delivery") != norm("Slow deliveries")
    assert norm("?!…") == ""


def test_the_older_touchpoint_is_kept_and_the_newer_ones_dropped() -> None:
    newest = Touchpoint(workshop_id=W, stage_id="s1", name="Web shop!", created_at=at(9))
    oldest = Touchpoint(workshop_id=W, stage_id="s1", name="web  shop", created_at=at(1))
    middle = Touchpoint(workshop_id=W, stage_id="s1", name="WEB SHOP", created_at=at(5))
    other = Touchpoint(workshop_id=W, stage_id="s1", name="Call centre", created_at=at(0))
    pairs = duplicates(journey(touchpoints=[newest, other, oldest, middle]))
    assert pairs == [(oldest, middle), (oldest, newest)]


def test_the_same_text_in_another_place_is_no_duplicate() -> None:
    a = Touchpoint(workshop_id=W, stage_id="s1", name="App", created_at=at(1))
    b = Touchpoint(workshop_id=W, stage_id="s2", name="App", created_at=at(2))
    assert duplicates(journey(touchpoints=[a, b])) == []


def test_texts_that_are_only_punctuation_are_never_paired() -> None:
    a = PainPoint(workshop_id=W, stage_id="s1", description="???", created_at=at(1))
    b = PainPoint(workshop_id=W, stage_id="s1", description="!!!", created_at=at(2))
    assert duplicates(journey(pains=[a, b])) == []


def test_every_kind_is_compared_by_its_own_place_and_text() -> None:
    pains = [
        PainPoint(workshop_id=W, stage_id="s1", description="Slow", created_at=at(1)),
        PainPoint(workshop_id=W, stage_id="s1", description="slow.", created_at=at(2)),
    ]
    kpis = [
        Kpi(workshop_id=W, touchpoint_id="t1", name="NPS", created_at=at(1)),
        Kpi(workshop_id=W, touchpoint_id="t1", name="nps", created_at=at(2)),
        Kpi(workshop_id=W, touchpoint_id="t2", name="NPS", created_at=at(3)),
    ]
    ideas = [
        Idea(workshop_id=W, pain_id="p1", description="Chat bot", created_at=at(1)),
        Idea(workshop_id=W, pain_id="p1", description="chat-bot", created_at=at(2)),
        Idea(workshop_id=W, pain_id="p2", description="Chat bot", created_at=at(3)),
    ]
    notes = [
        StageNote(
            workshop_id=W, stage_id="s1", lane=NoteLane.THOUGHTS, text="Why?", created_at=at(1)
        ),
        StageNote(
            workshop_id=W, stage_id="s1", lane=NoteLane.THOUGHTS, text="why", created_at=at(2)
        ),
        StageNote(
            workshop_id=W, stage_id="s2", lane=NoteLane.THOUGHTS, text="why", created_at=at(3)
        ),
    ]
    pairs = duplicates(journey(pains=pains, kpis=kpis, ideas=ideas, notes=notes))
    assert pairs == [
        (pains[0], pains[1]),
        (kpis[0], kpis[1]),
        (ideas[0], ideas[1]),
        (notes[0], notes[1]),
    ]
