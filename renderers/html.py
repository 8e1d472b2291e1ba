"""The interactive map: one self-contained HTML page (style, script and data inline; no
request leaves it) made of the same content as the image (:mod:`renderers.content`).

- ``page_data(map, lang, history)`` — what the page shows, as JSON-ready data: stages,
  lanes, every card with the details a tap opens (full text, department, evidence,
  severity, owner, staleness, a KPI's readings and target, history, related items)
- ``render_html(map, lang, history)`` — the exported file (the data inside)
- ``webapp_shell(lang, config)`` — the same page without data, for the Telegram Mini App,
  which fetches the data itself (``bot.telegram.webapp``)

The page's own words come from the catalogs (``web.*`` keys) and are passed into it.
Anonymous pain points carry only their department; no member id or person id is written.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from flows.models import Idea, JourneyMap, Kpi, KpiReading, PainPoint, StageNote, Touchpoint
from flows.texts import catalog, t_plain
from flows.texts.numbers import amount
from flows.workshop import insights
from renderers import style
from renderers.content import Content, Entry, build

# one history entry of an item: (ISO time, action, who — "" when nobody is to be named)
HistoryEntry = Sequence[str]
History = Mapping[str, Sequence[HistoryEntry]]

_URL = re.compile(r"https?://[^\s<>\"']+")
_NOTE_LANES = ("goal", "actions", "thoughts")


@cache
def _asset(name: str) -> str:
    return (resources.files("renderers") / "web" / name).read_text(encoding="utf-8")


def ui_strings(lang: str) -> dict[str, str]:
    """The page's own words (``web.*`` keys, without the prefix) in ``lang``."""
    keys = [k for k in catalog("en") if k.startswith("web.")]
    return {k[4:]: t_plain(lang, k) for k in keys}


class _Page:
    def __init__(self, journey: JourneyMap, lang: str, history: History | None) -> None:
        self.j = journey
        self.lang = lang
        self.history = history or {}
        self.content: Content = build(journey, lang)
        self.dept_index = {d.id: i for i, d in enumerate(journey.departments)}
        self.dept_names = [name for name, _ in self.content.departments]
        self.members = {m.id: m for m in journey.members}
        self.items: dict[str, Any] = {}
        for group in (journey.touchpoints, journey.kpis, journey.pains, journey.ideas):
            for item in group:
                self.items[item.id] = item
        for note in journey.notes:
            self.items[note.id] = note
        self.stage_index = {s.id: i for i, s in enumerate(journey.stages)}
        self.ref: dict[str, int] = {}  # item id -> index in details
        self.order: list[str] = []  # item ids by that index
        self.details: list[dict[str, Any]] = []
        self.palette: dict[str, int] = {}
        self.pains_of_tp: dict[str, list[PainPoint]] = defaultdict(list)
        for pain in journey.pains:
            if pain.touchpoint_id:
                self.pains_of_tp[pain.touchpoint_id].append(pain)
        self.kpis_of_tp: dict[str, list[Kpi]] = defaultdict(list)
        for kpi in journey.kpis:
            if kpi.touchpoint_id:
                self.kpis_of_tp[kpi.touchpoint_id].append(kpi)
        self.ideas_of_pain: dict[str, list[Idea]] = defaultdict(list)
        for idea in journey.ideas:
            self.ideas_of_pain[idea.pain_id].append(idea)
        self.own: dict[str, list[KpiReading]] = defaultdict(list)
        for r in sorted(journey.readings, key=lambda r: (r.at, r.created_at)):
            self.own[r.kpi_id].append(r)
        self.readings = {
            k: [(r.at.strftime("%Y-%m-%d"), r.value, r.source) for r in rs]
            for k, rs in self.own.items()
        }

    # ---------------------------------------------------------------- helpers
    def t(self, key: str, **params: object) -> str:
        return t_plain(self.lang, key, **params)

    def dept_of(self, item: Any) -> int:
        if isinstance(item, Kpi) and not item.department_id and item.touchpoint_id:
            item = self.items.get(item.touchpoint_id, item)
        return self.dept_index.get(getattr(item, "department_id", None) or "", -1)

    def dept_name(self, dept_id: str | None) -> str:
        index = self.dept_index.get(dept_id or "", -1)
        return self.dept_names[index] if index >= 0 else ""

    def name(self, member_id: str | None) -> str:
        member = self.members.get(member_id or "")
        return member.name if member else ""

    def colour(self, value: str) -> int:
        """The index of a colour in the page's palette (cards name colours by index)."""
        if value not in self.palette:
            self.palette[value] = len(self.palette)
        return self.palette[value]

    def index(self, item_id: str) -> int:
        """The details index of an item (made on first use)."""
        if item_id not in self.ref:
            self.ref[item_id] = len(self.order)
            self.order.append(item_id)
            self.details.append({})
        return self.ref[item_id]

    def staleness(self, item: Touchpoint | Kpi) -> list[Any]:
        """["stale", days, 1 when stale] (as :mod:`flows.workshop.insights` counts it)."""
        if isinstance(item, Touchpoint):
            found = insights.touchpoint_staleness(self.j, item)
        else:  # insights.kpi_staleness, without its scans of the whole map
            tp = self.items.get(item.touchpoint_id or "")
            moments = [r.at for r in self.own.get(item.id, [])]
            if item.last_confirmed_at:
                moments.append(item.last_confirmed_at)
            found = insights.staleness(
                max(moments, default=None),
                insights.touchpoint_cadence(self.j, tp if isinstance(tp, Touchpoint) else None),
                self.j.generated_at,
                created_at=item.created_at,
            )
        return ["stale", found.days, int(found.stale)]

    def owner(self, member_id: str | None) -> list[str]:
        name = self.name(member_id)
        member = self.members.get(member_id or "")
        dept = self.dept_name(member.department_id) if member else ""
        value = f"{name} · {dept}" if name and dept else name or self.t("map.owner.none")
        return ["owner", value]

    # ----------------------------------------------------------------- details
    def detail(self, item: Any) -> dict[str, Any]:
        out: dict[str, Any]
        if isinstance(item, Touchpoint):
            out = self._touchpoint(item)
        elif isinstance(item, Kpi):
            out = self._kpi(item)
        elif isinstance(item, PainPoint):
            out = self._pain(item)
        elif isinstance(item, Idea):
            out = self._idea(item)
        else:
            out = self._note(item)
        dept = self.dept_index.get(getattr(item, "department_id", None) or "", -1)
        if dept >= 0:
            out["facts"].insert(0, ["dept", dept])
        out["hist"] = self._history(item)
        out["rel"] = sorted({self.index(x) for x in out.pop("related", [])})
        return {k: v for k, v in out.items() if v != []}  # empty lists stay out of the file

    def _touchpoint(self, tp: Touchpoint) -> dict[str, Any]:
        where = self.t("map.online") if tp.online else self.t("map.offline")
        channel = self.t("map.channel." + tp.channel)
        if channel == "map.channel." + tp.channel:
            channel = tp.channel.replace("_", " ")
        facts = [
            ["channel", f"{channel} · {where}"],
            self.owner(tp.owner_id),
            self.staleness(tp),
        ]
        if not tp.controllable:
            facts.append(["control", self.t("map.uncontrollable")])
        if tp.description:
            facts.append(["description", tp.description])
        pains = self.pains_of_tp.get(tp.id, [])
        related = [p.id for p in pains] + [k.id for k in self.kpis_of_tp.get(tp.id, [])]
        related += [i.id for p in pains for i in self.ideas_of_pain.get(p.id, [])]
        return {"kind": "touchpoint", "title": tp.name, "facts": facts,
                "related": related}  # fmt: skip

    def _kpi(self, kpi: Kpi) -> dict[str, Any]:
        status = insights.kpi_status(kpi, self.own.get(kpi.id, []))
        tp = self.items.get(kpi.touchpoint_id or "")
        facts = []
        if isinstance(tp, Touchpoint):
            facts.append(["kind.touchpoint", tp.name])
            facts.append(self.owner(tp.owner_id))
        direction = self.t("web.details.direction_" + kpi.direction.value)
        facts.append(["direction", direction])
        if kpi.target is not None:
            facts.append(["target", amount(self.lang, kpi.target, kpi.unit)])
        facts.append(self.staleness(kpi))
        related: list[str] = []
        if isinstance(tp, Touchpoint):
            related.append(tp.id)
            related += [p.id for p in self.pains_of_tp.get(tp.id, [])]
        chart = {
            "readings": [list(r) for r in self.readings.get(kpi.id, [])],
            "target": kpi.target,
            "unit": kpi.unit,
            "colour": style.RAG_COLOURS[status.rag],
        }
        return {"kind": "kpi", "title": kpi.name, "facts": facts,
                "chart": chart, "related": related}  # fmt: skip

    def _pain(self, pain: PainPoint) -> dict[str, Any]:
        facts = [["severity", self.t("map.severity", level=pain.severity)]]
        if not pain.anonymous and self.name(pain.author_id):
            facts.append(["author", self.name(pain.author_id)])
        elif pain.anonymous:
            facts.append(["author", self.t("web.details.anonymous")])
        evidence: dict[str, str] = {}
        if pain.is_hypothesis:
            evidence["kind"] = self.t("map.hypothesis")
        else:
            if pain.evidence_kind:
                evidence["kind"] = self.t("map.evidence." + pain.evidence_kind.value)
            evidence["text"] = pain.evidence
            link = _URL.search(pain.evidence or "")
            if link:
                evidence["url"] = link.group(0)
        tp = self.items.get(pain.touchpoint_id or "")
        related = [i.id for i in self.ideas_of_pain.get(pain.id, [])]
        if isinstance(tp, Touchpoint):
            facts.append(["kind.touchpoint", tp.name])
            related += [tp.id] + [k.id for k in self.kpis_of_tp.get(tp.id, [])]
        return {"kind": "pain", "title": pain.description, "facts": facts,
                "evidence": evidence, "related": related}  # fmt: skip

    def _idea(self, idea: Idea) -> dict[str, Any]:
        facts = [
            ["status", self.t("map.status." + idea.status.value)],
            ["effort", self.t("map.effort", effort=idea.effort.value)],
        ]
        if idea.quick_win:
            facts.append(["quick_win", "★"])
        if idea.due:
            facts.append(["due", idea.due.isoformat()])
        facts.append(self.owner(idea.owner_id))
        pain = self.items.get(idea.pain_id)
        related = [idea.pain_id] if pain is not None else []
        related += [i.id for i in self.ideas_of_pain.get(idea.pain_id, []) if i.id != idea.id]
        return {"kind": "idea", "title": idea.description, "facts": facts,
                "related": related}  # fmt: skip

    def _note(self, note: StageNote) -> dict[str, Any]:
        return {"kind": note.lane.value, "title": note.text, "facts": [], "related": []}

    def _history(self, item: Any) -> list[list[str]]:
        anonymous = getattr(item, "anonymous", False) is True
        out = []
        for at, action, who in self.history.get(item.id, ()):
            label = self.t("web.history." + action)
            if label == "web.history." + action:
                label = action
            out.append([at[:10], label, "" if anonymous else who])
        return out

    # ------------------------------------------------------------------- cards
    def card(self, stage: int, lane: int, entry: Entry) -> list[Any]:
        """[stage, lane, department (-1: none), stripe, face, details (-1: none), paragraphs
        (a number: one of the page's shared strings)]
        and, when there is any, {"k": ink, "x": dashed, "g": readings, "t": target};
        colours are indexes in the palette (map.js unpacks this)."""
        item = self.items.get(entry.ref) if entry.ref else None
        dept = self.dept_of(item) if item is not None else -1
        # a stage note's card shows all of it: its details are made from the card
        ref = self.index(item.id) if item is not None and not isinstance(item, StageNote) else -1
        card: list[Any] = [stage, lane, dept, self.colour(entry.stripe),
                           self.colour(entry.face), ref, list(entry.paragraphs)]  # fmt: skip
        extra: dict[str, Any] = {}
        if entry.ink != style.INK:
            extra["k"] = self.colour(entry.ink)
        if entry.dashed:
            extra["x"] = 1
        if isinstance(item, Kpi):
            extra["g"] = [v for _, v, _ in self.readings.get(item.id, [])]
            extra["t"] = item.target
        if extra:
            card.append(extra)
        return card

    def data(self) -> dict[str, Any]:
        c = self.content
        lanes = [lane for lane in style.LANE_ORDER if lane != "discuss"]
        if any(s.lanes.get("discuss") for s in c.stages):
            lanes.insert(0, "discuss")
        cards = []
        stages = []
        for k, stage in enumerate(c.stages):
            for n, lane in enumerate(lanes):
                for entry in stage.lanes.get(lane, []):
                    cards.append(self.card(k, n, entry))
            emo = stage.emotion
            stages.append(
                {
                    "n": stage.number,
                    "name": stage.name,
                    "emo": None
                    if emo is None
                    else {
                        "mean": round(emo.mean, 2),
                        "min": emo.min,
                        "max": emo.max,
                        "count": emo.count,
                        "flag": stage.emotion_flag,
                        "by": {
                            str(self.dept_index[d]): round(v, 2)
                            for d, v in emo.by_department.items()
                            if d in self.dept_index
                        },
                    },
                }
            )
        i = 0
        while i < len(self.order):  # details may name more items (related ones) as made
            item = self.items.get(self.order[i])
            self.details[i] = self.detail(item) if item is not None else {}
            i += 1
        seen: set[int] = set()
        for card in cards:  # a title the item's first card shows in full is not repeated
            ref = card[5]
            if ref >= 0 and ref not in seen:
                seen.add(ref)
                if self.details[ref].get("title") == card[6][0]:
                    del self.details[ref]["title"]
        return {
            "lang": c.lang,
            "title": c.title,
            "subtitle": c.subtitle,
            "summary": c.summary,
            "lanes": [[lane, self.t("map.lane." + lane)] for lane in lanes],
            "depts": [[name, colour] for name, colour in c.departments],
            "persona": [list(row) for row in c.persona],
            "stages": stages,
            "colours": list(self.palette),
            "strings": _shared_strings(cards),
            "cards": cards,
            "details": self.details,
        }


def _shared_strings(cards: list[list[Any]]) -> list[str]:
    """Paragraphs many cards repeat ("online · Sales", "stale: 90 d unconfirmed", the same
    note from several people) are written once: the cards name them by index."""
    counts: dict[str, int] = defaultdict(int)
    for card in cards:
        for text in card[6]:
            counts[text] += 1
    shared = [t for t, n in counts.items() if n > 1 and len(t.encode()) * (n - 1) > 12]
    index = {t: i for i, t in enumerate(shared)}
    for card in cards:
        card[6] = [index.get(t, t) for t in card[6]]
    return shared


def page_data(journey: JourneyMap, lang: str, history: History | None = None) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data."""
    return _Page(journey, lang, history).data()


def _json(value: object) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _page(lang: str, title: str, data: object, config: Mapping[str, object]) -> str:
    from html import escape

    page = _asset("map.html")
    parts = {
        "{{LANG}}": escape(lang),
        "{{CONNECT}}": "'self'" if config.get("mode") == "webapp" else "'none'",
        "{{TITLE}}": escape(title),
        "{{CSS}}": _asset("map.css"),
        "{{JS}}": _asset("map.js").replace("</", "<\\/"),
        "{{UI}}": _json(ui_strings(lang)),
        "{{CONFIG}}": _json(dict(config)),
        "{{DATA}}": _json(data),
    }
    for key, value in parts.items():
        head, sep, tail = page.partition(key)
        page = head + value + tail if sep else page
    return page


def render_html(
    journey: JourneyMap,
    lang: str = "en",
    history: History | None = None,
) -> str:
    """The self-contained page: the map with its data inside."""
    data = page_data(journey, lang, history)
    return _page(lang, data["title"], data, {"mode": "file"})


def write_html(
    journey: JourneyMap, out: str | Path, *, lang: str = "en", history: History | None = None
) -> Path:
    path = Path(out)
    path.write_text(render_html(journey, lang, history), encoding="utf-8")
    return path


def webapp_shell(lang: str, config: Mapping[str, object]) -> str:
    """The Mini App's page: the same page with no data in it (it fetches the data)."""
    return _page(lang, t_plain(lang, "web.title"), None, {"mode": "webapp", **config})
