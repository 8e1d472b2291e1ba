"""Map versions: a frozen snapshot per version, and "what changed since vN" as message keys
with parameters (the transport translates them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flows.models import (
    Item,
    JourneyMap,
    MapVersion,
    Workshop,
)
from flows.ports import UnitOfWork
from flows.texts import t_plain
from flows.texts.numbers import amount
from flows.workshop.insights import kpi_status


@dataclass(frozen=True)
class Change:
    key: str
    params: dict[str, str | int | float] = field(default_factory=dict)


def _named(items: Sequence[Item], attr: str) -> dict[str, str]:
    return {i.id: str(getattr(i, attr)) for i in items}


def _added_removed(old: dict[str, str], new: dict[str, str], what: str) -> list[Change]:
    out = [Change(f"version.change.{what}_added", {"name": new[i]}) for i in new if i not in old]
    out += [Change(f"version.change.{what}_removed", {"name": old[i]}) for i in old if i not in new]
    return out


def diff_maps(old: JourneyMap | None, new: JourneyMap) -> list[Change]:
    """What changed from ``old`` to ``new``, the most useful lines first."""
    if old is None:
        return [Change("version.change.first", {"stages": len(new.stages)})]
    changes: list[Change] = []
    changes += _kpi_changes(old, new)
    changes += _added_removed(
        _named(old.touchpoints, "name"), _named(new.touchpoints, "name"), "touchpoint"
    )
    changes += _added_removed(
        _named(old.pains, "description"), _named(new.pains, "description"), "pain"
    )
    changes += _added_removed(
        _named(old.ideas, "description"), _named(new.ideas, "description"), "idea"
    )
    old_owner = {t.id: t.owner_id for t in old.touchpoints}
    for tp in new.touchpoints:
        if tp.id in old_owner and old_owner[tp.id] != tp.owner_id:
            changes.append(
                Change(
                    "version.change.owner",
                    {
                        "touchpoint": tp.name,
                        "owner": new.member_name(tp.owner_id) or "—",
                    },
                )
            )
    old_status = {i.id: i.status for i in old.ideas}
    for idea in new.ideas:
        if idea.id in old_status and old_status[idea.id] != idea.status:
            changes.append(
                Change(
                    "version.change.idea_status",
                    {
                        "name": idea.description,
                        "status": idea.status.value,
                    },
                )
            )
    return changes or [Change("version.change.none")]


def _kpi_changes(old: JourneyMap, new: JourneyMap) -> list[Change]:
    out = []
    for kpi in new.kpis:
        before = kpi_status(kpi, [r for r in old.readings if r.kpi_id == kpi.id]).latest
        after = kpi_status(kpi, [r for r in new.readings if r.kpi_id == kpi.id]).latest
        if after is not None and before != after:
            out.append(
                Change(
                    "version.change.kpi",
                    {
                        "name": kpi.name,
                        "before": "—" if before is None else f"{before:g}",
                        "after": f"{after:g}",
                        "unit": kpi.unit,
                    },
                )
            )
    return out


async def latest_version(uow: UnitOfWork, workshop_id: str) -> MapVersion | None:
    versions = await uow.items.list(workshop_id, MapVersion)
    return max(versions, key=lambda v: v.number, default=None)


async def save_version(
    uow: UnitOfWork, workshop: Workshop, now: datetime, author_id: str | None = None
) -> MapVersion:
    """Freeze the current map as the next version, with what changed since the last."""
    items = await uow.items.all_of_workshop(workshop.id)
    previous = await latest_version(uow, workshop.id)
    number = (previous.number if previous else 0) + 1
    workshop.published_at = now  # the map's header shows the version's own date
    await uow.workshops.update(workshop, actor=author_id)
    current = JourneyMap.from_items(workshop, items, version=number, at=now)
    old = JourneyMap.model_validate(previous.snapshot) if previous and previous.snapshot else None
    changes = diff_maps(old, current)
    version = MapVersion(
        workshop_id=workshop.id,
        number=number,
        author_id=author_id,
        changes=[_encode(c) for c in changes],
        snapshot=current.model_dump(mode="json"),
    )
    await uow.items.add(version, actor=author_id)
    return version


def _encode(change: Change) -> str:
    """Stored as ``key|name=value|...`` so a version's list can be shown in any language."""
    params = "|".join(f"{k}={str(v).replace('|', '/')}" for k, v in change.params.items())
    return change.key + ("|" + params if params else "")


def decode_change(text: str) -> Change:
    key, *pairs = text.split("|")
    params: dict[str, str | int | float] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        params[name] = value
    return Change(key, params)


def shown(change: Change, lang: str) -> dict[str, Any]:
    """A stored change's parameters as the reader of ``lang`` reads them: a status in
    words, a KPI's readings in its unit ("28 ₽ → 31,50 ₽", never "28 → 31.5 RUB")."""
    params: dict[str, Any] = dict(change.params)
    if "status" in params:  # stored as a code
        params["status"] = t_plain(lang, f"map.status.{params['status']}")
    if change.key == "version.change.kpi":
        unit = str(params.get("unit") or "")
        for side in ("before", "after"):
            try:
                params[side] = amount(lang, float(params.get(side, "")), unit)
            except ValueError:  # "—": no reading before
                continue
    return params


# ------------------------------------------------------------------ forgetting a person

OWNER_CHANGE = "version.change.owner"


def forget_member(member: dict[str, Any], label: str) -> dict[str, Any]:
    """A member's stored data without the person: the neutral ``label`` for a name, no
    Telegram account, position, time zone or absence."""
    erased = {
        "name": label,
        "person_id": None,
        "position": "",
        "timezone": None,
        "away_until": None,
    }
    return {**member, **{k: v for k, v in erased.items() if k in member}}


def forget_in_version(
    data: dict[str, Any], member_id: str, label: str, person_id: str
) -> dict[str, Any]:
    """A version (its item data or an audit entry of it) without a forgotten member: their
    entry of the frozen map named ``label``, the "new owner" lines of touchpoints they
    owned in that version saying ``label``, and the workshop no longer naming its creator."""
    snapshot = data.get("snapshot")
    if not isinstance(snapshot, dict) or not snapshot:
        return data
    out = dict(snapshot)
    out["members"] = [
        forget_member(m, label) if isinstance(m, dict) and m.get("id") == member_id else m
        for m in snapshot.get("members") or []
    ]
    workshop = snapshot.get("workshop")
    if isinstance(workshop, dict) and workshop.get("created_by") == person_id:
        out["workshop"] = {**workshop, "created_by": ""}
    owned = {
        str(tp.get("name")).replace("|", "/")  # as :func:`_encode` stored it
        for tp in snapshot.get("touchpoints") or []
        if isinstance(tp, dict) and tp.get("owner_id") == member_id
    }
    changes = [_forget_owner(str(c), owned, label) for c in data.get("changes") or []]
    return {**data, "snapshot": out, **({"changes": changes} if "changes" in data else {})}


def _forget_owner(text: str, owned: set[str], label: str) -> str:
    """A "new owner" line of a touchpoint the forgotten member owned then, saying ``label``."""
    change = decode_change(text)
    if change.key != OWNER_CHANGE or str(change.params.get("touchpoint")) not in owned:
        return text
    return _encode(Change(change.key, {**change.params, "owner": label}))
