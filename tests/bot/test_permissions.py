"""Who may do what, generated: every registered command and every callback action, run
by each of five people against one workshop ("Orchid Clinic"), compared with the table
below.

The people: a stranger who never joined; an outsider who facilitates a workshop of their
own ("Bakery Beta") and acts from there; a participant of the Orchid Clinic; the owner of
its touchpoint (with a review card delivered and a handover offer open to the
participant); and its facilitator. Buttons are forged as an attacker would: callback data
made with ``callback_data.encode`` from the Orchid Clinic's real ids, pressed on some
earlier message of the bot in the presser's own chat.

Each cell runs in a fresh bot (the real Application, the fake Bot API) and is checked
from the person's side: exactly one answer (one message, or for a button one callback
answer and at most one edited or new message), the answer the table expects (a refusal
says why, in the catalog's words — never the generic error, a raw key or a
``{placeholder}``), and a stranger or outsider receives nothing of the Orchid Clinic (its
title, its people's names, its items' texts). A refused cell changes nothing in the
Orchid Clinic.

A command or an action added without a row here fails
:func:`test_every_command_and_action_has_a_row`.
Rendering is stubbed (the real renderer is exercised in test_map_and_exports.py).
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import CommandHandler

from bot.telegram.callback_data import Action, ConfirmPress, HandoverReply, ReviewPress, encode
from bot.telegram.reminders import deliver_due, rebuild
from bot.telegram.render_pool import EXPORT_FORMATS, PhotoJob, RenderedMap
from flows.models import Handover, Role, WorkshopStatus
from flows.ports import FixedClock
from flows.texts import catalog
from flows.workshop.exports import ExportFormat
from flows.workshop.leaving import confirmation_stamp
from tests.bot.harness import BotHarness
from tests.builders import NOW, STALE, WorkshopBuilder, make_current

# ----------------------------------------------------------------------------- the world

TITLE = "Orchid Clinic"
OTHER_TITLE = "Bakery Beta"
GROUP = -100_321  # a group no workshop is bound to
GROUPS = {TITLE: -100_111, OTHER_TITLE: -100_222}  # announcements go there

ROLES = ("stranger", "outsider", "participant", "owner", "facilitator")
TG = {"stranger": 50, "outsider": 40, "participant": 30, "owner": 20, "facilitator": 10}
NAMES = {
    "stranger": "Sid Stranger",
    "outsider": "Otto Outsider",
    "participant": "Paula Part",
    "owner": "Oscar Owner",
    "facilitator": "Fiona Facil",
}
# what a stranger or an outsider must never see: the Orchid Clinic's title, people, items
SECRETS = (
    TITLE,
    "Orchid front desk",
    NAMES["participant"],
    NAMES["owner"],
    NAMES["facilitator"],
    "Walk-in lobby",
    "Zebra kiosk",
    "Queue minutes",
    "Mango queue",
    "Quince ticket",
)


@dataclass
class World:
    """The Orchid Clinic's ids, as an attacker would put them in callback data."""

    workshop: str
    review: str
    owner: str  # member ids
    participant: str
    facilitator: str
    kpi: str
    keep: str  # two touchpoints to merge
    drop: str
    offer: str  # the owner's pending handover offer to the participant
    token: str  # the facilitator's current question (the home menu)
    invite: str  # a live invite code


async def build_world(bot: BotHarness) -> World:
    store = bot.services.store
    a = WorkshopBuilder(
        TITLE,
        group_chat_id=GROUPS[TITLE],
        status=WorkshopStatus.PUBLISHED,
        timezone="Europe/Warsaw",
        reminder_time=time(10, 0),
        review_cadence_days=30,
    )
    desk = a.department("sales", "Orchid front desk", sections=["touchpoints", "pains"])
    fac = a.member(NAMES["facilitator"], tg=TG["facilitator"], role=Role.FACILITATOR)
    owner = a.member(NAMES["owner"], tg=TG["owner"], department=desk)
    part = a.member(NAMES["participant"], tg=TG["participant"], department=desk)
    lobby = a.stage("Walk-in lobby")
    kiosk = a.touchpoint(lobby, "Zebra kiosk", owner=owner, confirmed=STALE)
    twin = a.touchpoint(lobby, "Zebra kiosk")  # a duplicate, for /merge
    kpi = a.kpi(kiosk, "Queue minutes", target=5)
    pain = a.pain(lobby, "Mango queue at the door", touchpoint=kiosk, author=part)
    a.idea(pain, "Quince ticket app")
    invite = a.invite(desk)
    offer = a.add(
        Handover(
            workshop_id=a.id,
            touchpoint_id=kiosk.id,
            from_id=owner.id,
            to_id=part.id,
            author_id=owner.id,
        )
    )
    for member in (fac, owner, part):
        a.position(member, "home", "home.menu")
    await a.save(store, schedule=NOW)

    b = WorkshopBuilder(OTHER_TITLE, group_chat_id=GROUPS[OTHER_TITLE])
    otto = b.member(NAMES["outsider"], tg=TG["outsider"], role=Role.FACILITATOR)
    b.position(otto, "home", "home.menu")
    await b.save(store)

    for role in ("facilitator", "owner", "participant"):
        await make_current(bot, f"tg:{TG[role]}", a.id)
    await make_current(bot, f"tg:{TG['outsider']}", b.id)
    await rebuild(bot.app)
    assert await deliver_due(bot.app, a.id) == 1  # the owner's review card
    review = a.reviews[0].id
    token = await bot.services.engine.current_token(f"tg:{TG['facilitator']}")
    assert token is not None
    return World(
        workshop=a.id,
        review=review,
        owner=owner.id,
        participant=part.id,
        facilitator=fac.id,
        kpi=kpi.id,
        keep=kiosk.id,
        drop=twin.id,
        offer=offer.id,
        token=token,
        invite=invite.code,
    )


# ------------------------------------------------------------------ expected outcomes


@dataclass(frozen=True)
class Allowed:
    """Done: the answer is the catalog text of ``key`` (any parameters); ``files``
    documents or photos follow."""

    key: str | None = None
    files: int = 0


@dataclass(frozen=True)
class Denied:
    """Refused, saying why: the catalog text of ``key``; nothing changes."""

    key: str


@dataclass(frozen=True)
class NotApplicable:
    """Nothing to act on for this person (the command is not for them or not here): the
    catalog text of ``key``; nothing changes."""

    key: str


Outcome = Allowed | Denied | NotApplicable
Press = Callable[[World], str]


@dataclass(frozen=True)
class Case:
    """One row: a command (``/name args``) or a forged button (``press``), with what each
    person gets."""

    key: str | Action  # the command's name, or the button's action
    expect: dict[str, Outcome]
    args: str = ""
    press: Press | None = None
    # where a command is sent: "private", "group" (no workshop is bound to it) or "bound"
    # (the Orchid Clinic's group)
    chat: str = "private"
    label: str = ""
    shows: tuple[str, ...] = ()  # what of the Orchid Clinic a stranger may see here

    @property
    def id(self) -> str:
        name = self.key.name.lower() if isinstance(self.key, Action) else f"/{self.key}"
        return name + (f"-{self.label}" if self.label else "")


NO_WORKSHOP = Denied("bot.error.no_workshop")
NOT_FACILITATOR = Denied("bot.error.not_facilitator")
NOTHING = NotApplicable("engine.nothing")  # in no conversation at all
MENU = Allowed("home.menu.ask")
CLOSED = Denied("bot.button.closed")
NOT_OWNER = Denied("review.error.not_owner")
UNKNOWN = Denied("review.error.unknown")
MAP = Allowed("bot.map.caption", files=1)
FILE = Allowed("bot.export.making", files=1)
INVITED = Allowed("join.confirm.ask")


def each(outcome: Outcome) -> dict[str, Outcome]:
    return dict.fromkeys(ROLES, outcome)


def members_only(outcome: Outcome, **others: Outcome) -> dict[str, Outcome]:
    """``outcome`` for the Orchid Clinic's members (and the outsider, who acts on their
    own workshop); a stranger is in no workshop. ``others`` overrides."""
    return each(outcome) | {"stranger": NO_WORKSHOP} | others


def facilitators_only(outcome: Outcome, **others: Outcome) -> dict[str, Outcome]:
    """``outcome`` for the facilitator (and the outsider, in their own workshop); refused
    to the participant and the owner; a stranger is in no workshop."""
    return members_only(outcome, participant=NOT_FACILITATOR, owner=NOT_FACILITATOR) | others


def in_flow(outcome: Outcome) -> dict[str, Outcome]:
    """A flow command: the stranger is in no conversation; everyone else rests on their
    workshop's menu."""
    return each(outcome) | {"stranger": NOTHING}


def owner_only(outcome: Outcome, **others: Outcome) -> dict[str, Outcome]:
    """A review card's button: only the touchpoint's owner may press it."""
    return each(NOT_OWNER) | {"owner": outcome} | others


def review(press: ReviewPress, *fields: Callable[[World], str]) -> Press:
    """A review card's button for the Orchid Clinic's ids ``fields``."""
    return lambda w: encode(Action.REVIEW, press, *(f(w) for f in fields))


# A new command or button needs a row: what each of the five people gets. A failing cell
# prints what the person got, which shows the row to write (or the hole to fix).
TABLE: list[Case] = [
    # -- commands -------------------------------------------------------------------
    Case("start", each(MENU) | {"stranger": Allowed("bot.start.welcome")}),
    Case(
        "start",
        # the facilitator has no department yet: the link gives them one
        each(INVITED) | dict.fromkeys(("participant", "owner"), NotApplicable("join.already")),
        args="{w.invite}",
        label="invite",
        shows=(TITLE, "Orchid front desk"),  # the link's holder may see what it invites to
    ),
    Case("new", each(Allowed("setup.title.ask"))),
    Case("back", in_flow(NotApplicable("engine.back.none"))),
    Case("skip", in_flow(NotApplicable("engine.error.no_skip"))),
    Case("done", in_flow(NotApplicable("engine.error.no_skip"))),
    Case("cancel", in_flow(NotApplicable("home.menu.ask"))),
    Case("continue", in_flow(MENU)),
    Case("my", in_flow(Allowed("bot.my.title")) | {"stranger": NotApplicable("bot.my.none")}),
    Case("language", each(Allowed("bot.language.ask"))),
    Case("help", each(Allowed("bot.help"))),
    Case("away", members_only(Allowed("review.away.set")), args="10.06.2026"),
    Case("timezone", members_only(Allowed("bot.timezone.set")), args="Asia/Almaty"),
    Case("map", members_only(MAP)),
    Case("map", members_only(MAP, outsider=NO_WORKSHOP), chat="bound", label="group"),
    Case("export", members_only(Allowed("bot.export.ask"))),
    Case("invite", facilitators_only(Allowed("bot.invite.links"))),
    Case("revoke", facilitators_only(Allowed("bot.invite.revoked"))),
    Case("nudge", facilitators_only(Allowed("bot.nudge.sent"))),
    Case(
        "review",
        facilitators_only(
            Allowed("review.round.started"),
            outsider=NotApplicable("review.round.not_published"),
        ),
    ),
    Case("status", facilitators_only(Allowed("status.progress"))),
    Case("rules", facilitators_only(Allowed("rules.pick.ask"))),
    Case("members", facilitators_only(Allowed("bot.members.title"))),
    Case(
        "merge",
        facilitators_only(Allowed("bot.merge.ask"), outsider=NotApplicable("bot.merge.none")),
    ),
    Case("publish", facilitators_only(Allowed("bot.publish.done"))),
    Case("close", facilitators_only(Allowed("bot.close.done"))),
    Case(
        "review_me",
        members_only(NotApplicable("review.none_waiting"), owner=Allowed("review.card")),
    ),
    Case(
        "kpi",
        members_only(NotApplicable("kpi_reading.none"), owner=Allowed("kpi_reading.kpi.ask")),
    ),
    Case(
        "edit",  # the participant wrote the pain point; nobody else has anything of theirs
        members_only(NotApplicable("edit.none"), participant=Allowed("edit.pick.ask")),
    ),
    Case(
        "leave",
        members_only(
            Allowed("people.leave.ask"),
            facilitator=Allowed("people.leave.heir"),  # the only one: picks a successor first
            outsider=NotApplicable("people.leave.alone"),  # the only one, nobody to take over
        ),
    ),
    Case(
        "remove",
        facilitators_only(
            Allowed("people.remove.choose"), outsider=NotApplicable("people.remove.nobody")
        ),
    ),
    Case("forget_me", each(Allowed("people.forget.ask"))),
    Case("bind", each(NotApplicable("bot.group.bind_in_group"))),
    Case("bind", facilitators_only(Allowed("bot.group.bound")), chat="group", label="group"),
    # -- buttons, forged with the Orchid Clinic's ids ---------------------------------
    Case(
        Action.ANSWER,
        in_flow(CLOSED) | {"facilitator": Allowed("status.progress")},
        press=lambda w: encode(Action.ANSWER, w.token, "status"),  # the facilitator's menu
        label="status",
    ),
    Case(
        Action.REVIEW,
        owner_only(Allowed("review.done")),
        press=review(ReviewPress.OK, lambda w: w.review),
        label="ok",
    ),
    Case(
        Action.REVIEW,
        owner_only(Allowed("review.kpi.ask")),
        press=review(ReviewPress.KPI, lambda w: w.review),
        label="kpi",
    ),
    Case(
        Action.REVIEW,
        owner_only(Allowed("review.kpi.ask")),
        press=review(ReviewPress.KPI_CHOSEN, lambda w: w.review, lambda w: w.kpi),
        label="kpi_chosen",
    ),
    Case(
        Action.REVIEW,
        owner_only(Allowed("pains.description.ask"), outsider=UNKNOWN),
        press=review(ReviewPress.PAIN, lambda w: w.review),
        label="pain",
    ),
    Case(
        Action.REVIEW,
        owner_only(Allowed("review.snoozed")),
        press=review(ReviewPress.SNOOZE, lambda w: w.review),
        label="snooze",
    ),
    Case(
        Action.REVIEW,
        owner_only(Allowed("review.handover.choose")),
        press=review(ReviewPress.HAND, lambda w: w.review),
        label="hand",
    ),
    Case(
        Action.REVIEW,
        owner_only(Allowed("review.handover.sent")),
        press=review(ReviewPress.HAND_TO, lambda w: w.review, lambda w: w.participant),
        label="hand_to",
    ),
    Case(
        Action.REVIEW,
        owner_only(Allowed("review.card")),
        press=review(ReviewPress.OPEN, lambda w: w.review),
        label="open",
    ),
    Case(
        Action.REVIEW,
        owner_only(Allowed("review.all_done")),
        press=review(ReviewPress.ALL, lambda w: w.owner),
        label="all",
    ),
    Case(
        Action.HANDOVER,
        each(UNKNOWN) | {"participant": Allowed("review.handover.you_accepted")},
        press=lambda w: encode(Action.HANDOVER, HandoverReply.ACCEPT, w.offer),
        label="accept",
    ),
    Case(
        Action.HANDOVER,
        each(UNKNOWN) | {"participant": Allowed("review.handover.you_declined")},
        press=lambda w: encode(Action.HANDOVER, HandoverReply.DECLINE, w.offer),
        label="decline",
    ),
    *(
        Case(
            Action.EXPORT,
            members_only(FILE),
            press=lambda w, f=f: encode(Action.EXPORT, f),
            label=f,
        )
        for f in ExportFormat
        if f is not ExportFormat.JSON
    ),
    Case(
        Action.EXPORT,
        members_only(
            FILE,
            participant=Denied("facilitator.export.json_only"),
            owner=Denied("facilitator.export.json_only"),
        ),
        press=lambda w: encode(Action.EXPORT, ExportFormat.JSON),
        label=ExportFormat.JSON,
    ),
    Case(
        Action.MAP,  # one persona's map: a persona of no workshop of theirs is refused
        members_only(CLOSED),
        press=lambda w: encode(Action.MAP, "nopersona01"),
    ),
    Case(
        Action.SWITCH,
        members_only(MENU, stranger=NOTHING, outsider=Denied("access.not_member")),
        press=lambda w: encode(Action.SWITCH, w.workshop),
    ),
    Case(
        Action.LANGUAGE,
        each(Allowed("bot.language.set")),
        press=lambda w: encode(Action.LANGUAGE, "en"),
    ),
    Case(
        Action.LEAVE,  # the participant's membership: only the participant may end it
        each(Denied("people.closed")) | {"participant": Allowed("people.leave.done")},
        press=lambda w: encode(Action.LEAVE, ConfirmPress.YES, w.workshop, w.participant),
        label="yes",
    ),
    Case(
        Action.REMOVE,  # removing the participant: the workshop's facilitators only
        facilitators_only(
            Allowed("people.remove.done"),
            stranger=Denied("access.not_member"),
            outsider=Denied("access.not_member"),
            participant=Denied("access.not_facilitator"),
            owner=Denied("access.not_facilitator"),
        ),
        press=lambda w: encode(Action.REMOVE, ConfirmPress.YES, w.workshop, w.participant),
        label="yes",
    ),
    Case(
        Action.FORGET,  # erases whoever pressed, nobody else
        each(Allowed("people.forget.done")),
        press=lambda w: encode(Action.FORGET, ConfirmPress.YES, confirmation_stamp(NOW)),
        label="yes",
    ),
    Case(
        Action.RULE_PAIN,  # a rule asked the touchpoint's owner for a pain point
        each(Denied("rules.pain.not_owner")) | {"owner": Allowed("pains.description.ask")},
        press=lambda w: encode(Action.RULE_PAIN, w.keep),
    ),
    Case(
        Action.MERGE,
        facilitators_only(Allowed("bot.merge.done"), outsider=Denied("facilitator.merge.mismatch")),
        press=lambda w: encode(Action.MERGE, w.keep, w.drop),
    ),
]


# ------------------------------------------------------------------------- the checks


class StubRenderer:
    """The map as a tiny PNG, an export as a line naming its workshop (the permission is
    under test, not the drawing)."""

    def __init__(self, folder: Path) -> None:
        self.folder = self.cache_dir = folder

    async def render(self, journey: Any, lang: str) -> RenderedMap:
        self.folder.mkdir(parents=True, exist_ok=True)
        png = self.folder / "map.png"
        png.write_bytes(_tiny_png())
        return RenderedMap(png, png)

    async def photo(self, journey: Any, lang: str) -> PhotoJob:
        rendered = await self.render(journey, lang)
        return PhotoJob(rendered.preview, rendered.full, None)

    async def export(
        self, journey: Any, export_json: str, fmt: str, lang: str, target: Path
    ) -> Path:
        target.write_text(export_json if fmt == "json" else f"{fmt} of {journey.workshop.title}")
        return target

    def close(self) -> None:
        pass


def _tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@dataclass
class Seen:
    """What the person got for one update."""

    messages: list[str] = field(default_factory=list)  # new text messages
    edits: list[str] = field(default_factory=list)
    answers: list[str | None] = field(default_factory=list)  # callback answers
    files: list[str] = field(default_factory=list)  # captions and file names
    buttons: list[str] = field(default_factory=list)
    contents: list[str] = field(default_factory=list)  # what the files hold

    @property
    def texts(self) -> list[str]:
        return [*self.messages, *self.edits, *(a for a in self.answers if a), *self.files]


def seen(bot: BotHarness, chat_id: int, since: int) -> Seen:
    out = Seen()
    for call in bot.telegram.calls[since:]:
        params = call.params
        if call.method == "answerCallbackQuery":
            out.answers.append(params.get("text"))
            continue
        if str(params.get("chat_id")) != str(chat_id):
            continue
        markup = params.get("reply_markup")
        if markup:
            out.buttons += [label for label, _ in bot.telegram.buttons({"reply_markup": markup})]
        if call.method == "sendMessage":
            out.messages.append(str(params["text"]))
        elif call.method == "editMessageText":
            out.edits.append(str(params["text"]))
        elif call.method in ("sendPhoto", "sendDocument"):
            out.files.append(f"{params.get('caption') or ''} {' '.join(call.names.values())}")
            out.contents += [data.decode("utf-8", "replace") for data in call.files.values()]
    return out


async def content(bot: BotHarness, workshop_id: str, person_id: str) -> list[str | None]:
    """The Orchid Clinic as stored, and the workshop the person acts in (to tell that a
    refusal changed nothing)."""
    async with bot.services.store.read() as uow:
        workshop = await uow.workshops.get(workshop_id)
        items = await uow.items.all_of_workshop(workshop_id)
        person = await uow.people.get(person_id)
    assert workshop is not None
    current = person.current_workshop_id if person else None
    return [current, workshop.model_dump_json(), *sorted(i.model_dump_json() for i in items)]


async def run(tmp_path: Path, case: Case, role: str) -> tuple[Seen, bool]:
    """One cell: what the person got, and whether the Orchid Clinic (and where the person
    acts) stayed as it was."""
    async with BotHarness(tmp_path, FixedClock(NOW)) as bot:
        bot.services.renderer = StubRenderer(tmp_path / "stub")
        world = await build_world(bot)
        uid = TG[role]
        bot.telegram.user(uid, NAMES[role], "en")
        before = await content(bot, world.workshop, f"tg:{uid}")
        chat = {"private": uid, "group": GROUP, "bound": GROUPS[TITLE]}[case.chat]
        if case.press is None:
            text = f"/{case.key} {case.args.format(w=world)}".strip()
            update = bot.telegram.text_update(uid, text, chat_id=chat)
        else:
            bait = bot.telegram.api_sendMessage({"chat_id": uid, "text": "An earlier message"}, {})
            update = bot.telegram.press(uid, bait["message_id"], case.press(world))
        since = len(bot.telegram.calls)
        await bot.feed(update)
        got = seen(bot, chat, since)
        unchanged = await content(bot, world.workshop, f"tg:{uid}") == before
    return got, unchanged


PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
DOTTED = re.compile(r"[a-z_]+(?:\.[a-z_]+)+")


def template(lang: str, key: str) -> re.Pattern[str]:
    """The catalog text of ``key``, with any parameters."""
    pieces = PLACEHOLDER.split(catalog(lang)[key])
    return re.compile(".*?".join(re.escape(p) for p in pieces), re.DOTALL)


def check(case: Case, role: str, got: Seen, unchanged: bool) -> None:
    outcome = case.expect[role]
    where = f"{case.id} as {role}: {got}"
    files = outcome.files if isinstance(outcome, Allowed) else 0
    assert len(got.files) == files, where
    if case.press is None:  # one message (the map may come as its file alone)
        assert len(got.messages) == 1 or (files and not got.messages), where
        assert not got.edits and not got.answers, where
    else:  # the button stops spinning, once; at most one message changes or comes
        assert len(got.answers) == 1, where
        assert len(got.messages) + len(got.edits) <= 1, where
        assert got.texts, where
    keys, generic = set(catalog("en")), template("en", "bot.error.generic")
    for text in got.texts:
        assert not PLACEHOLDER.search(text), f"a placeholder — {where}"
        assert not keys & set(DOTTED.findall(text)), f"a message key — {where}"
        assert not generic.search(text), f"the generic error — {where}"
    if outcome.key is not None:
        expected = template("en", outcome.key)
        assert any(expected.search(text) for text in got.texts), f"{outcome.key} — {where}"
    if not isinstance(outcome, Allowed):
        assert unchanged, f"a refusal changed the Orchid Clinic — {where}"
    if role in ("stranger", "outsider"):
        everything = " ".join(got.texts + got.buttons + got.contents)
        leaked = [s for s in SECRETS if s in everything and s not in case.shows]
        assert not leaked, f"{leaked} leaked — {where}"


# ---------------------------------------------------------------------------- the tests


def registered_commands(tmp_path: Path) -> set[str]:
    bot = BotHarness(tmp_path)
    return {
        command
        for handlers in bot.app.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }


def same(rows: set[Any], known: set[Any], what: str) -> None:
    """The table's rows and what the bot has, compared both ways."""
    assert not known - rows, f"{what} without a row in TABLE: {sorted(known - rows)}"
    assert not rows - known, f"rows in TABLE for no such {what}: {sorted(rows - known)}"


def test_every_command_and_action_has_a_row(tmp_path: Path) -> None:
    rows = {c.key for c in TABLE}
    same({k for k in rows if not isinstance(k, Action)}, registered_commands(tmp_path), "commands")
    same({k for k in rows if isinstance(k, Action)}, set(Action), "callback actions")
    labels = {key: {c.label for c in TABLE if c.key == key} for key in Action}
    same(labels[Action.REVIEW], {p.name.lower() for p in ReviewPress}, "review card buttons")
    same(labels[Action.HANDOVER], {r.name.lower() for r in HandoverReply}, "handover replies")
    same(labels[Action.EXPORT], set(ExportFormat), "export formats")
    assert set(ExportFormat) == set(EXPORT_FORMATS)  # the renderer makes every one
    for case in TABLE:
        assert set(case.expect) == set(ROLES), case.id
    assert len({c.id for c in TABLE}) == len(TABLE)  # each row named once


CELLS = [pytest.param(case, role, id=f"{case.id}-{role}") for case in TABLE for role in ROLES]


@pytest.mark.parametrize(("case", "role"), CELLS)
async def test_permission(tmp_path: Path, case: Case, role: str) -> None:
    got, unchanged = await run(tmp_path, case, role)
    check(case, role, got, unchanged)
