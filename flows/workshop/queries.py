"""Reading a whole workshop as one JourneyMap: only the kinds of item the map holds (not
the reviews, rounds, invites or the version snapshots), in one read that leaves the event
loop free.

:func:`load_map_rows` reads the same items unparsed, as :class:`MapRows`, for the render
worker to parse: a map of thousands of items parsed in the bot's process is thousands of
objects, and the garbage collector's full pass over the process they bring about holds
every thread (the event loop's too) for tens of milliseconds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from flows.models import JourneyMap, MapVersion, Workshop, utcnow
from flows.ports import Store, UnitOfWork
from flows.workshop.personas import for_persona

MAP_KINDS = tuple(JourneyMap.FIELDS)


class UnknownWorkshop(LookupError):
    pass


@dataclass(frozen=True)
class MapRows:
    """A workshop's map as stored: its workshop, version and moment, and its items as
    (kind, stored JSON) in order, unparsed; with ``persona``, the map of that persona
    (:func:`flows.workshop.personas.for_persona`, applied where it is parsed)."""

    workshop: Workshop
    version: int
    generated_at: datetime
    rows: tuple[tuple[str, str], ...]
    persona: str | None = None

    @property
    def published_at(self) -> datetime | None:
        """When the map's version was published (None for a draft), as JourneyMap's."""
        return self.workshop.published_at if self.version else None

    def body(self) -> str:
        """The map's JSON without the moment it was read (the same map read twice is the
        same text): what :meth:`JourneyMap.from_items` would make of the items, stages in
        their order, written from the stored JSON as it is."""
        lists: dict[str, list[str]] = {name: [] for name in JourneyMap.FIELDS.values()}
        for kind, data in self.rows:
            name = JourneyMap.FIELDS.get(kind)
            if name is not None:
                lists[name].append(data)
        lists["stages"].sort(key=lambda data: json.loads(data)["order"])
        parts = [f'"workshop":{self.workshop.model_dump_json()}']
        parts += [f'"{name}":[{",".join(items)}]' for name, items in lists.items()]
        parts.append(f'"version":{self.version}')
        if self.persona is not None:
            parts.append(f'"{PERSONA_VIEW}":{json.dumps(self.persona)}')
        return "{" + ",".join(parts) + "}"

    def journey(self) -> JourneyMap:
        """The map itself (what the render worker makes of :meth:`body`)."""
        return parse_map(self.body(), self.generated_at.isoformat())


PERSONA_VIEW = "persona_view"  # in a MapRows body: whose map it is (not a JourneyMap field)


def parse_map(body: str, generated_at: str) -> JourneyMap:
    """The map a :meth:`MapRows.body` (or a map's JSON) describes, read at ``generated_at``."""
    data = json.loads(body)
    persona = data.pop(PERSONA_VIEW, None)
    data["generated_at"] = generated_at
    return for_persona(JourneyMap.model_validate(data), persona)


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


async def load_map_rows(
    store: Store, workshop_id: str, at: datetime | None = None, *, persona: str | None = None
) -> MapRows:
    """:func:`load_map`'s map unparsed (:class:`MapRows`); ``persona``: that persona's."""
    async with store.read() as uow:
        workshop = await uow.workshops.get(workshop_id)
        if workshop is None:
            raise UnknownWorkshop(workshop_id)
        rows = await uow.items.rows_of_kinds(workshop.id, MAP_KINDS)
        version = await uow.items.latest_number(workshop.id, MapVersion.kind)
    return MapRows(workshop, version, at or utcnow(), tuple(rows), persona)
