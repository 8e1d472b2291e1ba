"""Who may take which export of a workshop (least privilege): every member gets the map
and the spreadsheets — PDF, XLSX, CSV, Mermaid, the interactive HTML map (the PNG map is
``/map``); the JSON
export, the whole workshop's content and history (re-importable), is for its
facilitators only.

The check is here, not in a transport: :func:`prepare_export` refuses a format the person
may not have (a forged button too) with :class:`AccessDenied`, and only a facilitator's
JSON export ever reads the workshop's full export.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from flows.models import JourneyMap, Member, Role
from flows.ports import Store, UnitOfWork
from flows.workshop.facilitator import AccessDenied, require_member
from flows.workshop.queries import read_map

__all__ = [
    "AccessDenied",
    "ExportFormat",
    "ExportSource",
    "export_format",
    "formats_for",
    "item_history",
    "map_revision",
    "offered_formats",
    "prepare_export",
]


class ExportFormat(StrEnum):
    """An export a member can ask for (the value travels in buttons: never change one)."""

    XLSX = "xlsx"
    CSV = "csv"
    JSON = "json"
    MERMAID = "mermaid"
    PDF = "pdf"
    HTML = "html"


FACILITATORS_ONLY = frozenset({ExportFormat.JSON})
REFUSED = "facilitator.export.json_only"


def export_format(value: str) -> ExportFormat | None:
    """The format a button names; None for one this version does not know."""
    return ExportFormat._value2member_map_.get(value)  # type: ignore[return-value]


def formats_for(member: Member) -> list[ExportFormat]:
    """The formats ``member`` may take, in the order they are offered."""
    if member.role is Role.FACILITATOR:
        return list(ExportFormat)
    return [f for f in ExportFormat if f not in FACILITATORS_ONLY]


async def offered_formats(store: Store, person_id: str, workshop_id: str) -> list[ExportFormat]:
    """What ``/export`` offers the person (members only)."""
    async with store.read() as uow:
        _, member = await require_member(uow, person_id, workshop_id)
    return formats_for(member)


@dataclass(frozen=True)
class ExportSource:
    """What one export is made from: the map, and for JSON the workshop's full export (for
    HTML: ``{"history": item_history(...)}``, the history its cards open)."""

    journey: JourneyMap
    format: ExportFormat
    content: dict[str, Any] | None = None


async def prepare_export(
    store: Store, person_id: str, workshop_id: str, fmt: ExportFormat, at: datetime
) -> ExportSource:
    """The live map for one export, for a member allowed ``fmt``; raises
    :class:`AccessDenied` ("access.not_member", or the JSON export asked by someone who
    is not a facilitator)."""
    async with store.read() as uow:
        workshop, member = await require_member(uow, person_id, workshop_id)
        if fmt not in formats_for(member):
            raise AccessDenied(REFUSED)
        journey = await read_map(uow, workshop, at)
        history = await item_history(uow, journey) if fmt is ExportFormat.HTML else None
    content = await store.export_workshop(workshop_id) if fmt is ExportFormat.JSON else None
    if history is not None:
        content = {"history": history}
    return ExportSource(journey, fmt, content)


async def item_history(uow: UnitOfWork, journey: JourneyMap) -> dict[str, list[list[str]]]:
    """Each card's history, for the interactive map: ``item id -> [[ISO time, action,
    who]]``. "who" is the member's name, or "" — always "" for an anonymous item (its
    audit names only its department) and for the system's own changes."""
    names: dict[str, str] = {}
    for member in journey.members:
        names[member.id] = member.name
        if member.person_id:
            names[member.person_id] = member.name
    out: dict[str, list[list[str]]] = {}
    for group in (journey.touchpoints, journey.kpis, journey.pains, journey.ideas):
        for item in group:
            anonymous = getattr(item, "anonymous", False) is True
            out[item.id] = [
                [e.at.isoformat(), e.action, "" if anonymous else names.get(e.actor or "", "")]
                for e in await uow.items.history(item.id)
            ]
    return out


async def map_revision(store: Store, person_id: str, workshop_id: str) -> str:
    """A short fingerprint of everything the map shows, for a member: it changes whenever
    an item of the workshop (or the workshop) is added, changed or removed. Raises
    :class:`AccessDenied` for someone who is not a member."""
    async with store.read() as uow:
        workshop, _ = await require_member(uow, person_id, workshop_id)
        items = await uow.items.all_of_workshop(workshop_id, include_deleted=True)
    digest = hashlib.sha256(workshop.updated_at.isoformat().encode())
    for item in sorted(items, key=lambda i: i.id):
        digest.update(f"{item.id}|{item.updated_at.isoformat()}|{item.deleted_at}".encode())
    return digest.hexdigest()[:16]
