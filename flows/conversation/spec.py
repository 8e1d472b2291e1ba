"""Flows as data: the building blocks every conversation is made of.

A :class:`Flow` is an ordered tuple of :class:`Step` s, optionally run once per item of a
:class:`Loop` (per stage, per touchpoint, per pain point, ...). One pass over the steps for
one loop item is an *iteration*; at its end the flow's ``commit`` turns the answers (kept
in ``Position.draft`` under each step's ``field``) into stored items. A ``repeat`` flow
then asks its first step again for the same item ("add another touchpoint") until the
person presses the first step's exit button ("next stage"); other flows move to the next
item. When the items run out, ``finish`` says which flow comes next.

A step has a stable dotted id (``touchpoint.channel`` — ids are stored in positions, never
rename one), the message key of its question, an input kind, an optional extra validator,
the draft field its answer goes to, and ``when`` (asked only if true). Adding a question
means adding a step here; the engine does the rest (validation, back, skip, progress).

Button values are short codes or item ids (never names): the Telegram transport packs them
into 64-byte callback data. Values starting with ``!`` are engine commands (``!skip``,
``!next``, ``!back``, ``!done``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from flows.models import Member, Person, Position, Workshop

if TYPE_CHECKING:
    from flows.conversation.outcome import Request
    from flows.ports import UnitOfWork


class Kind(StrEnum):
    TEXT = "text"  # free text up to a limit; ``many`` collects a list until "done"
    NUMBER = "number"  # locale-tolerant decimal ("12,5", "12.5%", "1 200")
    CHOICE = "choice"  # one of the options (``allow_text``: or a typed custom value)
    MULTI = "multi"  # toggle options, then "done" (``allow_text``: typed values added)
    SCALE = "scale"  # an integer from ``low`` to ``high``, as buttons
    MEMBER = "member"  # a workshop member (options are member ids)
    YESNO = "yesno"  # "y" / "n"
    DATE = "date"  # a calendar date (ISO, DD.MM.YYYY, DD.MM)
    TIME = "time"  # a time of day HH:MM


SKIP, NEXT, DONE, BACK, CANCEL, RESUME = "!skip", "!next", "!done", "!back", "!cancel", "!resume"
REST = "!rest"  # "Nothing more in this section": the loop's remaining items are left out


class OnCancel(StrEnum):
    """What ``/cancel`` does inside a flow."""

    PAUSE = "pause"  # keep what was saved, discard the item in progress, pause there
    DROP = "drop"  # forget the position (a setup, a join not yet finished)
    RETURN = "return"  # a detour: finish it, back to where the person came from


@dataclass(frozen=True)
class Text:
    """A message key with its parameters; parameters are plain text (escaped on output)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Option:
    """One closed-set answer: a short ``value`` and a catalog label (or a literal one,
    e.g. a member's or stage's name, which the transport must escape)."""

    value: str
    key: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    label: str | None = None


@dataclass
class Ctx:
    """What a step's hooks see: the open unit of work and the person's situation."""

    uow: UnitOfWork
    now: datetime
    lang: str
    text_limit: int
    person: Person
    position: Position
    workshop: Workshop | None = None
    member: Member | None = None
    catalog: Catalog | None = None  # every flow by name (the engine's)
    defaults: Mapping[str, str] = field(default_factory=dict)  # e.g. the operator's time zone
    infos: list[Text] = field(default_factory=list)  # shown before the next prompt
    requests: list[Request] = field(default_factory=list)
    switch_to: str | None = None  # set by a finish hook: continue in this workshop
    invite_link: Callable[[str], str] = str  # how the transport shows an invite code
    dirty: bool = True  # False: nothing moved, keep the stored position (and its token)
    sealed: bool = False  # set by a commit: the position forgets this iteration (anonymous)
    # (ids, index, item) of the last ``item`` asked for: a loop over a department's
    # touchpoints lists hundreds of ids, and hooks ask for the item again and again
    _item_at: tuple[str, int, str] = field(default=("", -1, ""), repr=False, compare=False)

    @property
    def draft(self) -> dict[str, Any]:
        return self.position.draft

    @property
    def item(self) -> str:
        """The id of the current loop item ("" outside loops)."""
        raw = str(self.position.cursor.get("ids") or "")
        i = int(self.position.cursor.get("i") or 0)
        known, at, item = self._item_at
        if known is not raw or at != i:
            ids = raw.split(",")
            item = ids[i] if 0 <= i < len(ids) else ""
            self._item_at = (raw, i, item)
        return item

    def info(self, key: str, **params: Any) -> None:
        self.infos.append(Text(key, params))

    def seal(self) -> None:
        """The iteration being committed holds an anonymous answer: once stored, the
        position keeps nothing of it — no draft, no back-history, no item id — so nothing
        links the item to the person. (It cannot be edited afterwards.)"""
        self.sealed = True

    @property
    def flows(self) -> Catalog:
        if self.catalog is None:
            raise RuntimeError("a context outside the engine has no flow catalog")
        return self.catalog


Hook = Callable[[Ctx], Awaitable[Any]]
Options = Callable[[Ctx], Awaitable[Sequence[Option]]]
Check = Callable[[Any, Ctx], Text | None]


@dataclass(frozen=True)
class Step:
    id: str
    kind: Kind
    ask: str = ""  # message key; default "<id>.ask"
    field: str = ""  # draft key; default: the part of the id after the last dot
    options: Options | None = None
    allow_text: bool = False
    many: bool = False
    optional: bool = False
    limit: int | None = None  # text limit; default the engine's
    low: float | None = None
    high: float | None = None
    when: Callable[[Ctx], bool] | None = None
    params: Hook | None = None  # extra prompt parameters (dict)
    check: Check | None = None
    default: Callable[[Ctx], Any] | None = None  # MULTI preselection
    exit_key: str = ""  # label of a "!next" button ending the iteration (e.g. "next stage")
    # several items in one message: each line of a typed answer is one item (the first
    # step of a ``repeat`` flow); the steps after it are asked per item, then the loop
    # moves to its next item (see ``runner.end_iteration``)
    lines: bool = False

    @property
    def ask_key(self) -> str:
        return self.ask or f"{self.id}.ask"

    @property
    def field_name(self) -> str:
        return self.field or self.id.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Loop:
    """What one iteration is about: ``items`` lists the ids at flow start, ``label`` names
    one for prompts, ``progress`` is the message key of the progress line."""

    items: Hook
    label: Callable[[Ctx, str], Awaitable[str]]
    progress: str = "progress.item"


@dataclass(frozen=True)
class Flow:
    name: str  # also the message-key prefix and, for sections, the Section value
    steps: tuple[Step, ...]
    loop: Loop | None = None
    repeat: bool = False
    intro: Hook | None = None  # infos at the start of each loop item (colleagues' entries)
    commit: Hook | None = None  # store the iteration's answers; returns {name: item id}
    finish: Hook | None = None  # after the last item; returns the next flow name or None
    # the flows ``finish`` can go to, in the order it tries them (data for the chart of
    # flows.conversation.graph; the workshop's tests check it against the hooks)
    leads_to: tuple[str, ...] = ()
    title: str = ""  # message key of the section name; default "<name>.title"
    show_progress: bool = True
    guests: bool = False  # open to a person who is not (yet) a member (join)
    on_cancel: OnCancel = OnCancel.PAUSE  # DROP on a guests flow applies to guests only
    carry_answers: bool = False  # its answers stay in the draft for the flows after it
    # honest progress: "question n of N". N is ``questions`` (a hook returning the count,
    # e.g. setup across its three flows) or ``per_item`` questions per loop item (default:
    # the steps asked unconditionally); ``shared_count`` continues the previous flow's n;
    # ``announce`` says the section's length when it starts ("6 questions, about 2 min")
    questions: Callable[[Ctx], Awaitable[int]] | None = None
    per_item: int = 0
    shared_count: bool = False
    announce: bool = False
    rest_key: str = ""  # label of a "!rest" button beside the exit button (loop flows)

    @property
    def title_key(self) -> str:
        return self.title or f"{self.name}.title"

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def index(self, step_id: str) -> int:
        return next((i for i, s in enumerate(self.steps) if s.id == step_id), -1)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(s.field_name for s in self.steps)

    @property
    def cancelled_key(self) -> str:
        return f"{self.name.split('_')[0]}.cancelled"


class Catalog(Mapping[str, Flow]):
    """Every flow the engine runs, by name, and the one a person rests in between flows."""

    def __init__(self, flows: Sequence[Flow], home: str) -> None:
        self._flows = {flow.name: flow for flow in flows}
        if len(self._flows) != len(flows):
            raise ValueError("two flows share a name")
        if home not in self._flows:
            raise ValueError(f"the home flow {home!r} is not in the catalog")
        self.home = home

    def __getitem__(self, name: str) -> Flow:
        return self._flows[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._flows)

    def __len__(self) -> int:
        return len(self._flows)

    def flow_at(self, name: str) -> Flow:
        """The flow of a stored position; an unknown or empty name is the home flow."""
        return self._flows.get(name) or self._flows[self.home]
