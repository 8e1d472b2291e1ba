"""One persona's map: with several personas, ``/map`` asks which one, and the map holds
that persona's card and the stage notes, emotions and pain points given for it — beside
everything given for all personas (``persona_id`` None)."""

from __future__ import annotations

from flows.models import JourneyMap, Persona
from flows.ports import Store


async def personas_of(store: Store, workshop_id: str) -> list[Persona]:
    async with store.read() as uow:
        return await uow.items.list(workshop_id, Persona)


def for_persona(journey: JourneyMap, persona_id: str | None) -> JourneyMap:
    """The map of one persona; an unknown (or no) persona leaves the map as it is."""
    if persona_id is None or persona_id not in {p.id for p in journey.personas}:
        return journey

    def shown(persona: str | None) -> bool:
        return persona is None or persona == persona_id

    pains = [p for p in journey.pains if shown(p.persona_id)]
    kept = {p.id for p in pains}
    return journey.model_copy(
        update={
            "personas": [p for p in journey.personas if p.id == persona_id],
            "notes": [n for n in journey.notes if shown(n.persona_id)],
            "emotions": [e for e in journey.emotions if shown(e.persona_id)],
            "pains": pains,
            "ideas": [i for i in journey.ideas if i.pain_id in kept],
        }
    )
