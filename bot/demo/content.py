"""What a played workshop holds, item for item, without ids and times: stages, notes,
emotions, touchpoints with channel and owner, KPIs and readings, pain points, ideas,
persona fields and members. References are by name (a stage's key, a touchpoint's name,
a member's name), so two plays of the same script give equal content whatever the ids.
Used to check that asking fewer questions still stores the same map."""

from __future__ import annotations

from typing import Any

PERSONA_SKIP = {"id", "workshop_id", "author_id", "department_id", "created_at", "updated_at"}


def _by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in rows}


def content(export: dict[str, Any]) -> dict[str, list[Any]]:
    """The items of ``store.export_workshop(...)`` as comparable, sorted lists."""
    items = {
        kind: [r for r in rows if not r.get("deleted_at")] for kind, rows in export["items"].items()
    }
    depts = {d["id"]: d["key"] or d["name"] for d in items["department"]}
    stages = {s["id"]: s["key"] or s["name"] for s in items["stage"]}
    members = {m["id"]: m["name"] for m in items["member"]}
    tps = _by_id(items["touchpoint"])
    kpis = _by_id(items["kpi"])
    pains = _by_id(items["pain"])

    def dept(row: dict[str, Any]) -> str:
        return depts.get(row.get("department_id") or "", "")

    def tp_name(tp_id: str | None) -> str:
        return tps[tp_id]["name"] if tp_id in tps else ""

    found: dict[str, list[Any]] = {
        "stages": [[s["order"], stages[s["id"]]] for s in items["stage"]],
        "members": [[m["name"], m["position"], m["role"], dept(m)] for m in items["member"]],
        "personas": [
            {
                k: v
                for k, v in p.items()
                if k not in PERSONA_SKIP and k != "deleted_at" and v != []  # none differ
            }
            for p in items["persona"]
        ],
        "stage_notes": [
            [stages[n["stage_id"]], n["lane"], n["text"], dept(n)] for n in items["stage_note"]
        ],
        "emotions": [[stages[e["stage_id"]], e["score"], dept(e)] for e in items["emotion"]],
        "touchpoints": [
            [
                stages[t["stage_id"]],
                t["name"],
                t["channel"],
                t["online"],
                t["controllable"],
                members.get(t["owner_id"] or "", ""),
                t["description"],
                dept(t),
            ]
            for t in items["touchpoint"]
        ],
        "kpis": [
            [tp_name(k["touchpoint_id"]), k["name"], k["unit"], k["direction"], k["target"]]
            for k in items["kpi"]
        ],
        "readings": [
            [kpis[r["kpi_id"]]["name"], r["value"], r["source"]] for r in items["kpi_reading"]
        ],
        "pains": [
            [
                stages[p["stage_id"]],
                tp_name(p["touchpoint_id"]),
                p["description"],
                p["evidence_kind"],
                p["evidence"],
                p["severity"],
                p["anonymous"],
                p["author_id"] is None,
                dept(p),
            ]
            for p in items["pain"]
        ],
        "ideas": [
            [
                pains[i["pain_id"]]["description"],
                i["description"],
                i["quick_win"],
                i["effort"],
                members.get(i["owner_id"] or "", ""),
                i["due"],
            ]
            for i in items["idea"]
        ],
    }
    return {key: sorted(rows, key=repr) for key, rows in found.items()}
