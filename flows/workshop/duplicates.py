"""Likely duplicates for the facilitator to merge: items of one kind in the same place
whose text is the same once case, spacing and punctuation are ignored."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from flows.conversation.validation import name_key
from flows.models import Item, JourneyMap

_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def norm(text: str) -> str:
    return _NOISE.sub(" ", text.casefold()).strip()


def key(text: str) -> str:
    """What a new name shares with one already there when they name the same thing:
    case, spacing and punctuation aside, and singular or plural ("Instagram ads" is
    "instagram ad")."""
    return name_key(text)


def twin(name: str, known: dict[str, str]) -> str | None:
    """The id, in ``known`` ({id: name}), of the item ``name`` near-duplicates, or None."""
    wanted = key(name)
    return next((i for i, n in known.items() if wanted and key(n) == wanted), None)


def _pairs(items: Iterable[Item], place: str, text: str) -> list[tuple[Item, Item]]:
    groups: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        key = norm(str(getattr(item, text)))
        if key:
            groups[(str(getattr(item, place)), key)].append(item)
    out = []
    for group in groups.values():
        first, *rest = sorted(group, key=lambda i: i.created_at)
        out += [(first, other) for other in rest]
    return out


def duplicates(journey: JourneyMap) -> list[tuple[Item, Item]]:
    """(keep, drop) pairs: the older item is kept."""
    return (
        _pairs(journey.touchpoints, "stage_id", "name")
        + _pairs(journey.pains, "stage_id", "description")
        + _pairs(journey.kpis, "touchpoint_id", "name")
        + _pairs(journey.ideas, "pain_id", "description")
        + _pairs(journey.notes, "stage_id", "text")
    )
