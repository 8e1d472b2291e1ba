"""The owner's side of a review in chat, transport-neutral: pressing a card's "Up to date"
or "Snooze", and checking what "Update KPI" may update. (Typed answers — a KPI value, a
pain point — are flows on the engine: flows/review/kpi_value.py and pain.py; the
transactions around these are in flows/review/actions.py.)

Every function returns a :class:`~flows.workshop.messages.Result`-like message (key and
parameters) for the transport to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flows.models import Kpi, Member, Review, ReviewStatus, Touchpoint
from flows.ports import UnitOfWork
from flows.review import cycle as rv
from flows.texts.numbers import amount, label
from flows.workshop.messages import Result


@dataclass
class Said(Result):
    """What the owner is told; the review it leaves (``review``) is re-armed when it is
    scheduled again, and its round may have ended."""

    review: Review | None = None
    answered: str = ""  # the review this answer closed (its list shows what is left)

    def __post_init__(self) -> None:
        if self.review is not None:
            self.rounds_of = self.review.workshop_id
            if self.review.status == ReviewStatus.SCHEDULED:
                self.moved = [self.review]


async def member_for(uow: UnitOfWork, person_id: str, review_id: str) -> Member:
    found = await uow.items.get(Review, review_id)
    if found is None:
        raise rv.ReviewError("review.error.unknown")
    member = await uow.items.member_of(found.workshop_id, person_id)
    if member is None:
        raise rv.ReviewError("review.error.not_owner")
    return member


async def press(
    uow: UnitOfWork, person_id: str, action: str, review_id: str, now: datetime
) -> Said:
    """A card button: ok (up to date) or snz (snooze). Raises ReviewError."""
    member = await member_for(uow, person_id, review_id)
    ctx = await rv.load_review(uow, review_id, member)
    name = ctx.touchpoint.name
    zone = member.timezone or ctx.workshop.timezone
    if action == "ok":
        following = await rv.confirm(uow, review_id, member, now)
        return Said(
            "review.done",
            {"touchpoint": name, "next": _day(following, zone)},
            review=following,
            answered=review_id,
        )
    if action == "snz":
        snoozed = await rv.snooze(uow, review_id, member, now)
        return Said(
            "review.snoozed",
            {"touchpoint": name, "next": _day(snoozed, zone)},
            review=snoozed,
            answered=review_id,
        )
    raise rv.ReviewError("review.error.unknown")


async def kpis_to_update(
    uow: UnitOfWork, person_id: str, review_id: str, kpi_id: str = ""
) -> tuple[Member, rv.OpenReview, list[Kpi]]:
    """ "Update KPI": the owner, the open review and the KPIs of its touchpoint (only
    ``kpi_id`` when given). Raises ReviewError when there is nothing to update."""
    member = await member_for(uow, person_id, review_id)
    found = await rv.load_review(uow, review_id, member)
    kpis = [
        k
        for k in await uow.items.list(found.workshop.id, Kpi)
        if k.touchpoint_id == found.touchpoint.id and (not kpi_id or k.id == kpi_id)
    ]
    if not kpis:
        raise rv.ReviewError("review.error.unknown_kpi")
    return member, found, kpis


def kpi_question(kpi: Kpi | None, lang: str) -> dict[str, Any]:
    """The parameters of ``review.kpi.ask``: the KPI's name, unit and target, as the reader
    of ``lang`` writes them (", ₽" and "31,50 ₽"; never the stored code "RUB")."""
    if kpi is None:
        return {"kpi": "", "unit": "", "target": "—"}
    unit = label(lang, kpi.unit)
    return {"kpi": kpi.name, "unit": f", {unit}" if unit else "", "target": target(kpi, lang)}


def target(kpi: Kpi, lang: str) -> str:
    return "—" if kpi.target is None else amount(lang, kpi.target, kpi.unit)


def kpi_value(kpi: Kpi, value: float | None, lang: str) -> str:
    """A reading of ``kpi`` in its unit for the reader ("—" when there is none)."""
    return "—" if value is None else amount(lang, value, kpi.unit)


async def touchpoint_name(uow: UnitOfWork, touchpoint_id: str) -> str:
    found = await uow.items.get(Touchpoint, touchpoint_id)
    return found.name if found else ""


def _day(review: Review, zone: str) -> str:
    """When the review comes again, as the owner's calendar day."""
    return review.due_at.astimezone(ZoneInfo(zone)).strftime("%d.%m.%Y")
