"""Reading a whole workshop as one JourneyMap: only the kinds of item the map holds (not
the reviews, rounds, invites or the version snapshots), in one read that leaves the event
loop free."""

from __future__ import annotations

from datetime import datetime

from flows.models import JourneyMap, MapVersion, Workshop
from flows.ports import Store, UnitOfWork

MAP_KINDS = tuple(JourneyMap.FIELDS)


class UnknownWorkshop(LookupError):
    pass


async def read_map(uow: UnitOfWork, workshop: Workshop, at: datetime | None = None) -> JourneyMap:
    """The live map of ``workshop``; its version is the latest published one (0 if none)."""
    items = await uow.items.of_kinds(workshop.id, MAP_KINDS)
    version = await uow.items.latest_number(workshop.id, MapVersion.kind)
    return JourneyMap.from_items(workshop, items, version=version, at=at)


async def load_map(store: Store, workshop_id: str, at: datetime | None = None) -> JourneyMap:
    """The live map of a workshop; its version is the latest published one (0 if none)."""
    async with store.read() as uow:
        workshop = await uow.workshops.get(workshop_id)
        if workshop is None:
            raise UnknownWorkshop(workshop_id)
        return await read_map(uow, workshop, at)
