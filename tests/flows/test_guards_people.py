"""A person's own settings as they read them: /away (a date in their own time zone, today
up to a year ahead, "off" in any case) and /timezone (the current zone, a long wrong name
cut short, the zone kept on the person) move the reminders of every workshop they are in;
a blocked person is reachable again once they unblock; /workshops knows their current
one; a language the bot does not speak is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flows.ports import FixedClock
from flows.texts import t_plain
from flows.workshop import people
from flows.workshop.messages import Result
from storage.store import SqliteStore
from tests.builders import NOW, WorkshopBuilder, review_workshop

OWNER = "tg:100"


def said(result: Result) -> str:
    return t_plain("en", result.key, **result.params)


async def two_workshops(store: SqliteStore) -> tuple[WorkshopBuilder, WorkshopBuilder]:
    first = await review_workshop(store, owners=1, confirmed=NOW, schedule=NOW)
    second = await review_workshop(store, owners=1, confirmed=NOW, schedule=NOW)
    return first, second


async def test_away_moves_the_reviews_of_every_workshop_and_says_until_when(
    store: SqliteStore,
) -> None:
    first, second = await two_workshops(store)
    clock = FixedClock(NOW)
    asked = await people.set_away(store, clock, OWNER, first.id, "  ")
    assert said(asked).startswith("Until which date are you away?")

    back = (NOW + timedelta(days=45)).date()
    result = await people.set_away(store, clock, OWNER, first.id, back.strftime("%d.%m.%Y"))
    assert said(result) == f"Got it: reminders wait until {back:%d.%m.%Y}."
    assert {r.workshop_id for r in result.moved} == {first.id, second.id}

    off = await people.set_away(store, clock, OWNER, first.id, "OFF")
    assert said(off) == "Welcome back: reminders are on again."
    async with store.read() as uow:
        memberships = await uow.items.memberships(OWNER)
    assert [m.away_until for m in memberships] == [None, None]


async def test_away_counts_days_in_the_persons_own_time_zone_from_today_to_a_year(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=1, schedule=NOW)  # Europe/Warsaw
    late = FixedClock(datetime(2026, 6, 1, 22, 30, tzinfo=UTC))  # 2 June, 00:30 in Warsaw
    yesterday = await people.set_away(store, late, OWNER, built.id, "01.06.2026")
    assert yesterday.key == "review.away.bad_date"
    today = await people.set_away(store, late, OWNER, built.id, "02.06.2026")
    assert said(today) == "Got it: reminders wait until 02.06.2026."
    last = (datetime(2026, 6, 2) + timedelta(days=people.MAX_AWAY_DAYS)).strftime("%d.%m.%Y")
    assert (await people.set_away(store, late, OWNER, built.id, last)).key == "review.away.set"


async def test_timezone_shows_the_current_one_cuts_a_long_wrong_name_and_keeps_the_new_one(
    store: SqliteStore,
) -> None:
    first, second = await two_workshops(store)
    clock = FixedClock(NOW)
    shown = await people.set_timezone(store, clock, OWNER, first.id, "")
    assert said(shown).startswith("Reminders follow the time zone Europe/Warsaw.")

    wrong = "Mars/" + "x" * 35  # 40 characters: shown whole
    assert said(await people.set_timezone(store, clock, OWNER, first.id, wrong)).startswith(
        f"«{wrong}» is not"
    )
    longer = wrong + "y"
    assert said(await people.set_timezone(store, clock, OWNER, first.id, longer)).startswith(
        f"«{wrong}…» is not"
    )

    result = await people.set_timezone(store, clock, OWNER, first.id, "Asia/Almaty")
    assert said(result) == "Done: your review reminders now follow Asia/Almaty."
    assert {r.workshop_id for r in result.moved} == {first.id, second.id}
    again = await people.set_timezone(store, clock, OWNER, first.id, "")
    assert said(again).startswith("Reminders follow the time zone Asia/Almaty.")
    person = await people.person(store, OWNER)
    assert person is not None and person.timezone == "Asia/Almaty"


async def test_an_unblocked_person_is_reachable_again_in_every_workshop(
    store: SqliteStore,
) -> None:
    await two_workshops(store)
    assert await people.mark_unreachable(store, OWNER, "en") != []
    await people.mark_reachable(store, OWNER)
    person = await people.person(store, OWNER)
    assert person is not None and not person.unreachable
    async with store.read() as uow:
        assert [m.unreachable for m in await uow.items.memberships(OWNER)] == [False, False]


async def test_my_workshops_knows_the_current_one_and_a_strange_language_is_refused(
    store: SqliteStore,
) -> None:
    first, second = await two_workshops(store)
    async with store.write() as uow:
        person = await uow.people.get(OWNER)
        assert person is not None
        person.current_workshop_id = second.id
        await uow.people.save(person)
    current, pairs = await people.my_workshops(store, OWNER)
    assert current == second.id
    assert [w.id for _, w in pairs] == [first.id, second.id]

    assert await people.set_language(store, OWNER, "xx") is False
    assert await people.set_language(store, OWNER, "pl") is True
    person = await people.person(store, OWNER)
    assert person is not None and person.language == "pl"
