"""The terminal can do what Telegram does: typed numbers are answers where a number is
asked (``#N`` presses button N), ``/as`` names ignore case and spaces, and the review
cycle — a card with Up to date, Update KPI, Snooze, Hand over — plays without a token."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.terminal.console import run
from flows.conversation.spec import Kind
from flows.models import (
    Handover,
    HandoverStatus,
    KpiReading,
    Member,
    Person,
    Review,
    ReviewStatus,
    Role,
    Touchpoint,
    Workshop,
)
from storage.store import SqliteStore
from tests.builders import NOW, STALE, WorkshopBuilder
from tests.test_console import SETUP


async def _session(db: Path, lines: str, name: str | None = None) -> str:
    out = io.StringIO()
    assert await run(db, "en", name, io.StringIO(lines), out) == 0
    return out.getvalue()


async def _workshops(db: Path) -> list[Workshop]:
    store = await SqliteStore.open(db)
    try:
        async with store.read() as uow:
            return await uow.workshops.list_all()
    finally:
        await store.close()


async def test_a_typed_3_at_the_cadence_prompt_is_3_days(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    text = await _session(db, SETUP, "anna")
    assert "  #3) every 30 days" in text  # where digits are answers, buttons are "#N"
    assert "  1) " in text  # elsewhere a plain number presses a button
    (workshop,) = await _workshops(db)
    assert workshop.review_cadence_days == 3


async def test_a_hash_number_presses_the_button_where_numbers_are_answers(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    await _session(db, SETUP.replace("\n3\n1\n#2\n", "\n#3\n1\n#2\n"), "anna")
    (workshop,) = await _workshops(db)
    assert workshop.review_cadence_days == 30  # button 3 of 7 · 14 · 30 · 90


async def test_as_names_keep_their_spaces_and_ignore_case(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    text = await _session(db, "/as Anna Kowalska\n" + SETUP)
    assert "Now acting as Anna Kowalska." in text
    text = await _session(db, "/as anna   KOWALSKA\n/status\n")
    assert "Status of «Clinic»" in text  # the same person: the workshop's facilitator
    text = await _session(db, "/as Boris\n/status\n")
    assert "Status of «Clinic»" not in text
    store = await SqliteStore.open(db)
    try:
        async with store.read() as uow:
            (workshop,) = await uow.workshops.list_all()
            (member,) = await uow.items.list(workshop.id, Member)
            person = await uow.people.get(member.person_id or "")
    finally:
        await store.close()
    assert member.name == "Anna Kowalska" and person is not None
    assert person.id == "cli:annakowalska"


async def test_a_person_of_an_older_version_keeps_their_id(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    store = await SqliteStore.open(db)
    try:
        async with store.write() as uow:  # older versions kept the case: cli:Anna
            await uow.people.save(Person(id="cli:Anna", name="Anna", language="pl"))
    finally:
        await store.close()
    text = await _session(db, "/new\n", "Anna")
    assert "Jak nazywa się warsztat?" in text  # the stored person: her own language
    text = await _session(db, "/new\n", "anna")  # typed otherwise: cli:anna, a new person
    assert "Jak nazywa się warsztat?" not in text


async def test_invite_codes_from_invite_work_with_join(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    text = await _session(db, SETUP + "/invite\n", "anna")
    code = next(
        line.split(": ")[1]
        for line in text.split("Invite links", 1)[1].splitlines()
        if line.startswith("• Sales: ")
    )
    text = await _session(db, f"/join\n/join {code}\n", "boris")
    assert "Type /join followed by the invite code" in text
    assert "You are invited to the workshop «Clinic»" in text


async def _owned(db: Path, *, colleague: bool = False) -> WorkshopBuilder:
    """A published workshop whose touchpoint «Website» (KPI «Visits», target 50) belongs
    to the terminal person «Olga» and is due for review; «Fac» facilitates."""
    b = WorkshopBuilder("Dealership", status="published", review_cadence_days=30)
    stage = b.stage("Test drive")
    b.people.append(Person(id="cli:olga", name="Olga", language="en", current_workshop_id=b.id))
    olga = b.add(Member(workshop_id=b.id, person_id="cli:olga", name="Olga"))
    b.people.append(Person(id="cli:fac", name="Fac", language="en", current_workshop_id=b.id))
    b.add(Member(workshop_id=b.id, person_id="cli:fac", name="Fac", role=Role.FACILITATOR))
    if colleague:
        b.people.append(Person(id="cli:ivan", name="Ivan", language="en", current_workshop_id=b.id))
        b.add(Member(workshop_id=b.id, person_id="cli:ivan", name="Ivan"))
    tp = b.touchpoint(stage, "Website", owner=olga, author=olga, confirmed=STALE)
    b.kpi(tp, "Visits", target=50)
    store = await SqliteStore.open(db)
    try:
        await b.save(store, schedule=NOW)
    finally:
        await store.close()
    return b


async def _read(db: Path, wid: str, cls: type) -> list:  # type: ignore[type-arg]
    store = await SqliteStore.open(db)
    try:
        async with store.read() as uow:
            return await uow.items.list(wid, cls)
    finally:
        await store.close()


async def test_an_owner_plays_a_review_card_in_the_terminal(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    b = await _owned(db)
    text = await _session(db, "/review_me\n", "Olga")
    assert "Review: Website" in text and "Visits: no reading yet (target 50)" in text
    assert "1) ✅ Up to date" in text and "2) 📈 Update KPI" in text
    assert "5) 🤝 Hand over" in text

    # Update KPI: a typed "1" is the value 1, not a button
    text = await _session(db, "/review_me\n2\n1\n", "olga")
    assert "Send the current value of «Visits»" in text
    assert "Saved: Visits = 1" in text
    (reading,) = await _read(db, b.id, KpiReading)
    assert reading.value == 1
    statuses = sorted(r.status.value for r in await _read(db, b.id, Review))
    assert statuses == ["done", "scheduled"]  # answered; the next one is scheduled

    text = await _session(db, "/review_me\n", "olga")
    assert "No reviews are waiting for you in «Dealership»" in text


async def test_up_to_date_and_snooze_from_the_card(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    b = await _owned(db)
    text = await _session(db, "/review_me\n4\n", "olga")
    assert "Snoozed. I will ask about «Website» again on" in text
    reviews = await _read(db, b.id, Review)
    assert any(r.status is ReviewStatus.SCHEDULED for r in reviews)
    text = await _session(db, "/review_me\n", "olga")
    assert "No reviews are waiting" in text  # snoozed for a week


async def test_a_touchpoint_is_handed_over_and_accepted(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    b = await _owned(db, colleague=True)
    text = await _session(db, "/review_me\n5\n", "olga")
    assert "Whom do you hand «Website» over to?" in text
    ivan = text.split("Whom do you hand «Website» over to?", 1)[1]
    number = next(line.split(")")[0].strip() for line in ivan.splitlines() if "Ivan" in line)
    text = await _session(db, f"/review_me\n5\n{number}\n", "olga")
    assert "≫" in text and "Website" in text
    (offer,) = await _read(db, b.id, Handover)
    assert offer.status is HandoverStatus.PENDING
    text = await _session(db, "/review_me\n1\n", "ivan")
    assert "Website" in text
    (offer,) = await _read(db, b.id, Handover)
    assert offer.status is HandoverStatus.ACCEPTED
    (tp,) = await _read(db, b.id, Touchpoint)
    members = {m.id: m.name for m in await _read(db, b.id, Member)}
    assert members[tp.owner_id or ""] == "Ivan"


async def test_facilitator_and_owner_commands_in_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "c.db"
    b = await _owned(db)
    monkeypatch.chdir(tmp_path)
    text = await _session(db, "/review\n/merge\n/export\n4\n/language\n2\n/invite\n", "fac")
    assert "Review round 1 started: 1 touchpoints are due now" in text
    assert "No likely duplicates found" in text
    assert "4) 🧜 Mermaid journey" in text
    mermaid = tmp_path / "cjm-maps" / b.id / f"cjm-{b.id}.mmd"
    assert "Website" in mermaid.read_text(encoding="utf-8")
    assert "Gotowe — od teraz rozmawiam z tobą po polsku." in text
    assert "Linki zaproszeń" in text  # the person's new language from then on

    text = await _session(db, "/export json\n", "olga")  # the JSON export is facilitators'
    assert "Refused:" in text
    await _session(db, "/export html\n", "olga")  # the interactive map is everyone's
    page = (tmp_path / "cjm-maps" / b.id / f"cjm-{b.id}.html").read_text(encoding="utf-8")
    assert "Website" in page and "<script" in page
    back = (datetime.now(UTC) + timedelta(days=10)).strftime("%d.%m.%Y")
    lines = f"/away 24.12.2099\n/away {back}\n/timezone Europe/Warsaw\n/timezone Mars\n"
    text = await _session(db, lines, "olga")
    assert f"{back}" in text
    assert "«Mars» is not a time zone I know" in text
    assert "Done: your review reminders now follow Europe/Warsaw." in text
    members = {m.name: m for m in await _read(db, b.id, Member)}
    assert members["Olga"].timezone == "Europe/Warsaw"
    assert members["Olga"].away_until is not None
    assert members["Olga"].away_until.strftime("%d.%m.%Y") == back  # 2099 was refused


async def test_edit_in_the_terminal_takes_a_typed_number_as_the_new_text(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    b = await _owned(db)
    text = await _session(db, "/edit\n1\n1\n42\n", "olga")
    assert "What you added to «Dealership»" in text and "1. Touchpoint: Website" in text
    assert "Saved — Touchpoint: «42»" in text
    (tp,) = await _read(db, b.id, Touchpoint)
    assert tp.name == "42"


def test_numbers_are_answers_at_scales_and_dates_and_buttons_at_choices() -> None:
    from bot.terminal.session import Session
    from flows.conversation.outcome import Outcome, Reply

    session = Session.__new__(Session)
    session._kinds = {
        "emotions.score": Kind.SCALE,
        "ideas.due": Kind.DATE,
        "ideas.effort": Kind.CHOICE,
    }

    def asking(step: str) -> Outcome:
        return Outcome(replies=[Reply(key="k", kind="prompt", token="t", step=step)])

    assert session.typed_answers(asking("emotions.score"))
    assert session.typed_answers(asking("ideas.due"))
    assert not session.typed_answers(asking("ideas.effort"))
    assert not session.typed_answers(None)


async def test_a_facilitator_renews_codes_and_removes_a_member(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    text = await _session(db, SETUP + "/invite\n/revoke\n", "anna")
    old, new = (
        next(line.split(": ")[1] for line in part.splitlines() if line.startswith("• Sales: "))
        for part in text.split("<b>Invite links</b>")[1].split("no longer work", 1)
    )
    assert old != new
    text = await _session(db, f"/join {old}\n", "boris")
    assert "You are invited" not in text  # the old code stopped working
    await _session(db, f"/join {new}\n1\nBoris\nNurse\n", "boris")
    text = await _session(db, "/remove\n1\n2\n/remove\n1\n1\n", "anna")
    assert "Whom do you remove from «Clinic»?" in text
    assert "OK — nothing was changed." in text  # the first time: Cancel
    assert "Remove Boris from «Clinic»?" in text
    (workshop,) = await _workshops(db)
    members = {m.name for m in await _read(db, workshop.id, Member)}
    assert members == {"anna"}
