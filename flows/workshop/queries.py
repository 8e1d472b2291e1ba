"""Reading a whole workshop as one JourneyMap."""

from __future__ import annotations

from datetime import datetime

from flows.models import JourneyMap, MapVersion
from flows.ports import Store


class UnknownWorkshop(LookupError):
    pass


async def load_map(store: Store, workshop_id: str, at: datetime | None = None) -> JourneyMap:
    """The live map of a workshop; its version is the latest published one (0 if none)."""
    async with store.read() as uow:
        workshop = await uow.workshops.get(workshop_id)
        if workshop is None:
            raise UnknownWorkshop(workshop_id)
        items = await uow.items.all_of_workshop(workshop_id)
    versions = [i.number for i in items if isinstance(i, MapVersion)]
    return JourneyMap.from_items(workshop, items, version=max(versions, default=0), at=at)
