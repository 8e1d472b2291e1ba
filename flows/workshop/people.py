"""A person's own things, transport-neutral: who they are and where they sit (their current
workshop and membership), their chat being reachable or not, their workshops, language,
absence and time zone.

Each use case checks access itself (a person acts only in workshops they are a member of)
and answers with plain data (:class:`~flows.workshop.messages.Result`).
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flows.conversation.validation import Invalid, check_timezone, parse_date
from flows.models import Member, Person, Review, Role, Workshop
from flows.ports import Clock, Store, UnitOfWork
from flows.review import cycle as rv
from flows.texts import languages, normalize_language
from flows.workshop.facilitator import require_member
from flows.workshop.messages import Notice, Result, notice

OFF_WORDS = ("off", "no", "нет", "стоп", "nie", "koniec")
MAX_AWAY_DAYS = 366


async def person(store: Store, person_id: str) -> Person | None:
    async with store.read() as uow:
        return await uow.people.get(person_id)


async def seat(
    store: Store, person_id: str, workshop_id: str | None, *, group_chat_id: int | None = None
) -> tuple[Workshop, Member] | None:
    """The workshop a person acts in and their membership: ``workshop_id`` (their current
    one), or in a group chat the workshop bound to it; None when they are not a member."""
    async with store.read() as uow:
        if group_chat_id is not None:
            bound = [w for w in await uow.workshops.list_all() if w.group_chat_id == group_chat_id]
            workshop_id = bound[0].id if bound else None
        workshop = await uow.workshops.get(workshop_id) if workshop_id else None
        member = await uow.items.member_of(workshop.id, person_id) if workshop else None
    return (workshop, member) if workshop is not None and member is not None else None


async def _set_reachable(uow: UnitOfWork, person: Person, reachable: bool) -> list[Member]:
    """The one place where "unreachable" changes: on the person and on every membership
    (facilitators see it in /members and the digest; nudges and reminders skip them)."""
    person.unreachable = not reachable
    await uow.people.save(person)
    members = await uow.items.memberships(person.id)
    for member in members:
        if member.unreachable is reachable:
            member.unreachable = not reachable
            await uow.items.update(member)
    return members


async def remember_chat(
    store: Store,
    person_id: str,
    *,
    name: str,
    chat_id: int,
    language_code: str | None,
    default_lang: str,
) -> Person:
    """Someone wrote in their private chat: remember it (reminders need it), they can be
    reached again, and a first-timer gets their Telegram language. Writes only on change."""
    known = await person(store, person_id)
    if known is not None and known.chat_id == chat_id and not known.unreachable:
        return known
    async with store.write() as uow:
        found = await uow.people.get(person_id) or Person(id=person_id, name=name)
        found.chat_id = chat_id
        if not found.language and language_code:
            found.language = normalize_language(language_code, default_lang)
        if found.unreachable:
            await _set_reachable(uow, found, True)
        else:
            await uow.people.save(found)
    return found


async def mark_reachable(store: Store, person_id: str) -> None:
    """The person unblocked the bot."""
    async with store.write() as uow:
        found = await uow.people.get(person_id)
        if found is not None and found.unreachable:
            await _set_reachable(uow, found, True)


async def mark_unreachable(store: Store, person_id: str, default_lang: str) -> list[Notice]:
    """The person blocked the bot: remember it, and tell the facilitators of each of their
    workshops (once: nothing when they were marked already)."""
    async with store.write() as uow:
        found = await uow.people.get(person_id)
        if found is None or found.unreachable:
            return []
        members = await _set_reachable(uow, found, False)
    notices = []
    async with store.read() as uow:
        for member in members:
            for other in await uow.items.list(member.workshop_id, Member):
                if other.role is not Role.FACILITATOR or other.person_id in (None, person_id):
                    continue
                fac = await uow.people.get(other.person_id or "")
                if fac is not None:
                    name = member.name or found.name
                    notices.append(notice(fac, default_lang, "bot.unreachable.notice", name=name))
    return notices


async def my_workshops(
    store: Store, person_id: str
) -> tuple[str | None, list[tuple[Member, Workshop]]]:
    """The person's current workshop id and every workshop they are a member of."""
    async with store.read() as uow:
        found = await uow.people.get(person_id)
        memberships = await uow.items.memberships(person_id)
        workshops = [await uow.workshops.get(m.workshop_id) for m in memberships]
    pairs = [(m, w) for m, w in zip(memberships, workshops, strict=True) if w is not None]
    return (found.current_workshop_id if found else None), pairs


async def set_language(store: Store, person_id: str, code: str) -> bool:
    """The person's language from now on; False for a language the bot does not speak."""
    if code not in languages():
        return False
    async with store.write() as uow:
        found = await uow.people.get(person_id)
        if found is not None:
            found.language = code
            await uow.people.save(found)
    return True


def _away_until(arg: str, today: date) -> date | None:
    """The last day away; raises Invalid when it is no date within a year from today."""
    until = parse_date(arg, today)
    if not today <= until <= today + timedelta(days=MAX_AWAY_DAYS):
        raise Invalid("review.away.bad_date")
    return until


async def set_away(
    store: Store, clock: Clock, person_id: str, workshop_id: str, arg: str
) -> Result:
    """/away DATE: an absence in all the person's workshops (reminders wait until after
    it); /away off ends it; /away alone asks for the date."""
    now = clock.now()
    async with store.read() as uow:
        workshop, member = await require_member(uow, person_id, workshop_id)
    arg = arg.strip()
    if not arg:
        return Result("review.away.ask")
    until = None
    if arg.lower() not in OFF_WORDS:
        try:
            until = _away_until(
                arg, now.astimezone(ZoneInfo(member.timezone or workshop.timezone)).date()
            )
        except Invalid:
            return Result("review.away.bad_date")
    moved: list[Review] = []
    async with store.write() as uow:
        for each in await uow.items.memberships(person_id):
            moved += await rv.set_away(uow, each, until, now)
    if until is None:
        return Result("review.away.off", {"date": ""}, moved=moved)
    return Result("review.away.set", {"date": until.strftime("%d.%m.%Y")}, moved=moved)


async def set_timezone(
    store: Store, clock: Clock, person_id: str, workshop_id: str, zone: str
) -> Result:
    """/timezone Europe/Warsaw: reminders in all the person's workshops follow their own
    time zone; /timezone alone shows the current one."""
    async with store.read() as uow:
        workshop, member = await require_member(uow, person_id, workshop_id)
    zone = zone.strip()
    if not zone:
        return Result("bot.timezone.ask", {"zone": member.timezone or workshop.timezone})
    try:
        zone = check_timezone(zone)  # any length and content: a name, or a clear refusal
    except Invalid:
        shown = zone if len(zone) <= 40 else zone[:40] + "…"
        return Result("bot.timezone.bad", {"zone": shown})
    now = clock.now()
    moved: list[Review] = []
    async with store.write() as uow:
        found = await uow.people.get(person_id)
        if found is not None:
            found.timezone = zone
            await uow.people.save(found)
        for each in await uow.items.memberships(person_id):
            moved += await rv.set_timezone(uow, each, zone, now)
    return Result("bot.timezone.set", {"zone": zone}, moved=moved)
