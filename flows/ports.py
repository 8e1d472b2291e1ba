"""The ports the core needs from the outside world. Storage implements them (mypy checks
``storage.store`` against them); tests use the real SQLite repositories.

Every write goes through a unit of work: ``async with store.write() as uow:`` opens one
``BEGIN IMMEDIATE`` transaction, and everything done through ``uow``'s repositories is
committed together when the block ends without an exception (rolled back otherwise).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from flows.models import Invite, Item, Member, Person, Position, Review, Workshop

T = TypeVar("T", bound=Item)


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock tests move by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.at = self.at + timedelta(**delta)


class AuditEntry(Protocol):
    """One change of an item: who (``actor``; ``anonymous:<department>`` for anonymous
    items), what and when. Read-only."""

    @property
    def seq(self) -> int: ...
    @property
    def item_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def data(self) -> dict[str, Any]: ...
    @property
    def actor(self) -> str | None: ...
    @property
    def at(self) -> datetime: ...


class WorkshopRepo(Protocol):
    async def add(self, workshop: Workshop) -> None: ...
    async def get(self, workshop_id: str) -> Workshop | None: ...
    async def update(self, workshop: Workshop, actor: str | None = None) -> None: ...
    async def list_all(self) -> builtins.list[Workshop]: ...


class ItemRepo(Protocol):
    async def add(self, item: Item, actor: str | None = None) -> None: ...
    async def update(self, item: Item, actor: str | None = None) -> None: ...
    async def delete(self, item: Item, actor: str | None = None) -> None: ...
    async def get(self, cls: type[T], item_id: str) -> T | None: ...
    async def list(
        self, workshop_id: str, cls: type[T], *, include_deleted: bool = False
    ) -> builtins.list[T]: ...
    async def list_where(
        self, workshop_id: str, cls: type[T], field: str, value: str, *, limit: int = -1
    ) -> builtins.list[T]:
        """The live items of ``cls`` whose ``field`` is ``value`` (a stage's touchpoints, a
        touchpoint's KPIs), in order; only those are read (the first ``limit``, -1: all)."""
        ...

    async def all_of_workshop(
        self, workshop_id: str, *, include_deleted: bool = False
    ) -> builtins.list[Item]: ...
    async def open_reviews(
        self, workshop_id: str, owner_id: str | None = None
    ) -> builtins.list[Review]:
        """Scheduled or sent reviews of a workshop (of one owner), read through the index."""
        ...

    async def due_reviews(
        self,
        now: datetime,
        *,
        stuck_before: datetime | None = None,
        workshop_id: str | None = None,
        owners: int | None = None,
        except_owners: Collection[str] = (),
    ) -> builtins.list[Review]:
        """Reviews of published workshops to send now (scheduled and due, or claimed before
        ``stuck_before`` and never delivered), in due order; with ``owners``, all those of
        the first so many owners only, leaving out ``except_owners``."""
        ...

    async def next_review_due(self) -> datetime | None:
        """When the earliest scheduled review of a published workshop falls due."""
        ...

    async def hand_over(self, review_ids: Collection[str], claim: str) -> int:
        """Mark reviews handed to Telegram if still claimed by ``claim`` and not marked yet;
        how many were marked."""
        ...

    async def open_claims(self, keep: str | None = None) -> builtins.list[tuple[Review, bool]]:
        """Claimed reviews not settled as delivered, of every pass but ``keep``'s, each with
        whether it was handed to Telegram."""
        ...

    async def unscheduled_workshops(self) -> builtins.list[str]:
        """Published workshops whose open reviews do not match their owned touchpoints."""
        ...

    async def of_kinds(self, workshop_id: str, kinds: Collection[str]) -> builtins.list[Item]:
        """The live items of these kinds, in order (a large read: the loop keeps running)."""
        ...

    async def rows_of_kinds(
        self, workshop_id: str, kinds: Collection[str]
    ) -> builtins.list[tuple[str, str]]:
        """(kind, stored JSON) of the live items of these kinds, in order, unparsed: what
        a render worker parses itself (the bot's process makes no objects of them)."""
        ...

    async def latest_number(self, workshop_id: str, kind: str) -> int:
        """The largest ``number`` among the live items of ``kind``; 0 if none."""
        ...

    async def member_of(self, workshop_id: str, person_id: str) -> Member | None: ...
    async def memberships(
        self, person_id: str, *, include_deleted: bool = False
    ) -> builtins.list[Member]: ...
    async def find_invite(self, code: str) -> Invite | None:
        """The live invite with this code, in any workshop."""
        ...

    async def history(self, item_id: str) -> Sequence[AuditEntry]: ...
    async def rewrite_history(
        self, item_id: str, change: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> int:
        """Replace the data of every audit entry of an item by ``change(data)`` (to erase a
        person who asked to be forgotten); returns how many entries changed."""
        ...

    async def rename_actor(self, old: str, new: str | None, workshop_id: str | None = None) -> int:
        """Audit entries whose actor is ``old`` (in one workshop, or anywhere) name ``new``."""
        ...


class PersonRepo(Protocol):
    async def get(self, person_id: str) -> Person | None: ...
    async def save(self, person: Person) -> None: ...
    async def delete(self, person_id: str) -> None: ...
    async def live_prompt(self, person_id: str) -> int | None:
        """The message holding the person's live question (with buttons), if any."""
        ...

    async def swap_live_prompt(self, person_id: str, message_id: int | None) -> int | None:
        """``message_id`` holds the live question now (None: none is); the one before."""
        ...

    async def forget_live_prompt(self, person_id: str, message_id: int) -> None:
        """``message_id`` is no question any more (if it was the live one)."""
        ...


class PositionRepo(Protocol):
    async def get(self, person_id: str, workshop_id: str) -> Position | None: ...
    async def save(self, position: Position) -> None: ...
    async def delete(self, person_id: str, workshop_id: str) -> None: ...
    async def of_workshop(self, workshop_id: str) -> builtins.list[Position]: ...
    async def delete_all(self, person_id: str) -> int:
        """Every position of a person (all workshops); returns how many there were."""
        ...


class UpdateLog(Protocol):
    async def first_time(self, key: str) -> bool:
        """Record an incoming update key; False when it was already processed."""
        ...

    async def recorded(self, key: str) -> bool:
        """Whether the update key's record is committed (a read; records nothing)."""
        ...

    async def forget_before(self, when: datetime) -> int: ...


class UnitOfWork(Protocol):
    workshops: WorkshopRepo
    items: ItemRepo
    people: PersonRepo
    positions: PositionRepo
    updates: UpdateLog

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class Store(Protocol):
    def write(self) -> UnitOfWork: ...
    def read(self) -> UnitOfWork: ...
    async def export_workshop(self, workshop_id: str) -> dict[str, Any]: ...
    async def import_workshop(self, data: dict[str, Any]) -> str: ...
