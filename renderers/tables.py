"""Item tables for the spreadsheet and CSV exports: one list of rows per item kind."""

from __future__ import annotations

from typing import Any

from flows.models import JourneyMap
from flows.texts import has, t_plain
from flows.texts.numbers import amount, label
from flows.workshop import insights

CSV_COLUMNS = (
    "kind",
    "id",
    "stage_order",
    "stage",
    "lane",
    "text",
    "department",
    "author",
    "touchpoint",
    "channel",
    "online",
    "controllable",
    "owner",
    "kpi",
    "unit",
    "direction",
    "target",
    "value",
    "rag",
    "trend",
    "at",
    "severity",
    "evidence_kind",
    "evidence",
    "status",
    "quick_win",
    "effort",
    "due",
    "stale_days",
    "field",
)

# a persona's fields, in the order the map's card lists them
PERSONA_FIELDS = (
    "segment",
    "age",
    "gender",
    "occupation",
    "family",
    "geography",
    "income",
    "interests",
    "goals",
    "frustrations",
    "social_networks",
    "buying_habits",
    "technology",
    "opinion_leaders",
    "brands",
    "sources",
)


class _Names:
    def __init__(self, jm: JourneyMap, lang: str) -> None:
        self.lang = lang
        self.stage = {s.id: (s.order, insights.stage_label(s, lang)) for s in jm.stages}
        self.dept = {d.id: insights.department_label(d, lang) for d in jm.departments}
        self.member = {m.id: m.name for m in jm.members}
        self.tp = {tp.id: tp for tp in jm.touchpoints}
        self.kpi = {k.id: k for k in jm.kpis}
        self.pain = {p.id: p for p in jm.pains}
        self.readings: dict[str, list[Any]] = {}
        for reading in jm.readings:
            self.readings.setdefault(reading.kpi_id, []).append(reading)

    def t(self, key: str) -> str:
        return t_plain(self.lang, "map." + key)

    def label(self, key: str, fallback: str) -> str:
        """The catalog's text for ``key``, or ``fallback`` when it has none."""
        return t_plain(self.lang, key) if has(key, self.lang) else fallback

    def yes(self, flag: bool) -> str:
        return self.t("yes" if flag else "no")

    def stage_of(self, stage_id: str | None) -> tuple[int | None, str]:
        return self.stage.get(stage_id or "", (None, ""))


def _rows(jm: JourneyMap, n: _Names) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {
        k: []
        for k in (
            "notes",
            "emotions",
            "touchpoints",
            "kpis",
            "readings",
            "pains",
            "ideas",
            "personas",
        )
    }
    for note in jm.notes:
        order, stage = n.stage_of(note.stage_id)
        out["notes"].append(
            {
                "kind": "note",
                "id": note.id,
                "stage_order": order,
                "stage": stage,
                "lane": note.lane.value,
                "text": note.text,
                "department": n.dept.get(note.department_id or "", ""),
                "author": n.member.get(note.author_id or "", ""),
            }
        )
    for e in jm.emotions:
        order, stage = n.stage_of(e.stage_id)
        out["emotions"].append(
            {
                "kind": "emotion",
                "id": e.id,
                "stage_order": order,
                "stage": stage,
                "value": e.score,
                "department": n.dept.get(e.department_id or "", ""),
                "author": n.member.get(e.author_id or "", ""),
            }
        )
    for tp in jm.touchpoints:
        order, stage = n.stage_of(tp.stage_id)
        out["touchpoints"].append(
            {
                "kind": "touchpoint",
                "id": tp.id,
                "stage_order": order,
                "stage": stage,
                "text": tp.name,
                "channel": tp.channel,
                "online": tp.online,
                "department": n.dept.get(tp.department_id or "", ""),
                "owner": n.member.get(tp.owner_id or "", ""),
                "evidence": tp.description,
                "stale_days": insights.touchpoint_staleness(jm, tp).days,
                "controllable": tp.controllable,
            }
        )
    for k in jm.kpis:
        of = n.tp.get(k.touchpoint_id or "")
        order, stage = n.stage_of(k.stage_id or (of.stage_id if of else None))
        own = n.readings.get(k.id, [])
        status = insights.kpi_status(k, own)
        out["kpis"].append(
            {
                "kind": "kpi",
                "id": k.id,
                "stage_order": order,
                "stage": stage,
                "kpi": k.name,
                "touchpoint": of.name if of else "",
                "unit": k.unit,
                "direction": k.direction.value,
                "target": k.target,
                "value": status.latest,
                "rag": status.rag,
                "trend": status.trend or "",
                "stale_days": insights.kpi_staleness(jm, k, touchpoints=n.tp, readings=own).days,
            }
        )
    for r in sorted(jm.readings, key=lambda r: r.at):
        kpi = n.kpi.get(r.kpi_id)
        out["readings"].append(
            {
                "kind": "kpi_reading",
                "id": r.id,
                "kpi": kpi.name if kpi else "",
                "unit": kpi.unit if kpi else "",
                "value": r.value,
                "at": r.at.date().isoformat(),
                "evidence": r.source,
                "author": n.member.get(r.author_id or "", ""),
            }
        )
    for p in jm.pains:
        order, stage = n.stage_of(p.stage_id)
        at = n.tp.get(p.touchpoint_id or "")
        out["pains"].append(
            {
                "kind": "pain",
                "id": p.id,
                "stage_order": order,
                "stage": stage,
                "text": p.description,
                "touchpoint": at.name if at else "",
                "severity": p.severity,
                "evidence_kind": p.evidence_kind.value if p.evidence_kind else "",
                "evidence": p.evidence,
                "status": p.status.value,
                "department": n.dept.get(p.department_id or "", ""),
                "author": n.t("anonymous") if p.anonymous else n.member.get(p.author_id or "", ""),
            }
        )
    for i in jm.ideas:
        pain = n.pain.get(i.pain_id)
        order, stage = n.stage_of(pain.stage_id if pain else None)
        out["ideas"].append(
            {
                "kind": "idea",
                "id": i.id,
                "stage_order": order,
                "stage": stage,
                "text": i.description,
                "evidence": pain.description if pain else "",
                "quick_win": i.quick_win,
                "effort": i.effort.value,
                "status": i.status.value,
                "due": i.due.isoformat() if i.due else "",
                "owner": n.member.get(i.owner_id or "", ""),
            }
        )
    for persona in jm.personas:
        fields = [("name", persona.name), ("basis", persona.basis.value)]
        fields += [(f, getattr(persona, f)) for f in PERSONA_FIELDS if getattr(persona, f)]
        out["personas"] += [
            {"kind": "persona", "id": persona.id, "field": f, "text": v} for f, v in fields
        ]
    return out


def csv_rows(jm: JourneyMap, lang: str) -> list[dict[str, Any]]:
    return [row for rows in _rows(jm, _Names(jm, lang)).values() for row in rows]


# sheet -> (column key in the row, catalog key of its header)
SHEETS: dict[str, tuple[tuple[str, str], ...]] = {
    "touchpoints": (
        ("stage", "stage"),
        ("text", "name"),
        ("channel", "channel"),
        ("online", "online"),
        ("controllable", "controllable"),
        ("department", "department"),
        ("owner", "owner"),
        ("evidence", "description"),
        ("stale_days", "stale_days"),
    ),
    "kpis": (
        ("stage", "stage"),
        ("kpi", "name"),
        ("touchpoint", "touchpoint"),
        ("unit", "unit"),
        ("direction", "direction"),
        ("target", "target"),
        ("value", "latest"),
        ("rag", "rag"),
        ("trend", "trend"),
        ("stale_days", "stale_days"),
    ),
    "readings": (
        ("kpi", "kpi"),
        ("value", "value"),
        ("unit", "unit"),
        ("at", "date"),
        ("evidence", "source"),
        ("author", "author"),
    ),
    "pains": (
        ("stage", "stage"),
        ("text", "description"),
        ("touchpoint", "touchpoint"),
        ("severity", "severity"),
        ("evidence_kind", "evidence_kind"),
        ("evidence", "evidence"),
        ("status", "status"),
        ("department", "department"),
        ("author", "author"),
    ),
    "ideas": (
        ("stage", "stage"),
        ("text", "description"),
        ("evidence", "pain"),
        ("quick_win", "quick_win"),
        ("effort", "effort"),
        ("status", "status"),
        ("due", "due"),
        ("owner", "owner"),
    ),
    "notes": (
        ("stage", "stage"),
        ("lane", "lane"),
        ("text", "text"),
        ("department", "department"),
        ("author", "author"),
    ),
    "emotions": (
        ("stage", "stage"),
        ("value", "score"),
        ("department", "department"),
        ("author", "author"),
    ),
}


def _cell(n: _Names, key: str, value: Any, kind: str = "", unit: str = "") -> Any:
    """A value as the spreadsheet shows it: words in the workshop's language, not codes;
    a KPI's unit as its reader writes it ("₽", "min", "/5") and its target and readings in
    it ("31,50 ₽", "3,2 %")."""
    if isinstance(value, bool):
        return n.yes(value)
    if kind in ("kpi", "kpi_reading"):
        if key == "unit":
            return label(n.lang, value or "")
        if key in ("target", "value") and isinstance(value, int | float):
            return amount(n.lang, value, unit)
    if not value or not isinstance(value, str):
        return value
    if key == "direction":
        return n.t("direction." + value)
    if key == "rag":
        return n.t("rag." + value)
    if key == "lane":
        return n.t("lane." + value)
    if key == "channel":
        return n.label("map.channel." + value, value.replace("_", " "))
    if key == "evidence_kind":
        return n.label("map.evidence." + value, value.replace("_", " "))
    if key == "trend":
        return n.label("exports.trend." + value, value)
    if key == "status":
        prefix = "exports.pain_status." if kind == "pain" else "map.status."
        return n.label(prefix + value, value)
    return value


def personas(jm: JourneyMap, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each persona's name and its filled-in fields, labelled in ``lang``."""
    n = _Names(jm, lang)
    out = []
    for persona in jm.personas:
        rows = [(n.t("persona.title"), n.t("basis." + persona.basis.value))]
        rows += [
            (n.t("persona." + f), getattr(persona, f))
            for f in PERSONA_FIELDS
            if getattr(persona, f)
        ]
        out.append((persona.name, rows))
    return out


def sheets(jm: JourneyMap, lang: str) -> list[tuple[str, list[str], list[list[Any]]]]:
    n = _Names(jm, lang)
    rows = _rows(jm, n)
    out = []
    for sheet, columns in SHEETS.items():
        header = [n.t("col." + label) for _, label in columns]
        body = [
            [_cell(n, key, row.get(key), row["kind"], row.get("unit") or "") for key, _ in columns]
            for row in rows[sheet]
        ]
        out.append((sheet, header, body))
    return out
