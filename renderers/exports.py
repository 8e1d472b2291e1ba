"""Open formats: XLSX (a lanes x stages grid plus a sheet per item kind), CSV (one row per
item, stable English column ids) and a Mermaid ``journey``. The JSON export is storage's."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

from flows.models import JourneyMap
from flows.texts import t_plain
from flows.workshop import insights
from renderers.content import build
from renderers.image import MapLike, as_map
from renderers.style import LANE_ORDER
from renderers.tables import CSV_COLUMNS, csv_rows, sheets

_FORMULA_START = ("=", "+", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    """Cell text without characters XLSX forbids; never a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _grid(ws: Any, jm: JourneyMap, lang: str) -> None:
    content = build(jm, lang)
    t = lambda key: t_plain(lang, "map." + key)  # noqa: E731
    ws.append([t("col.lane"), *[f"{s.number}. {s.name}" for s in content.stages]])
    for lane in LANE_ORDER:
        if lane == "emotion":
            row = [f"{s.emotion.mean:+.1f}" if s.emotion else "" for s in content.stages]
        else:
            row = [
                "\n".join(" — ".join(e.paragraphs) for e in s.lanes.get(lane, []))
                for s in content.stages
            ]
        ws.append([t("lane." + lane), *row])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DCE3EF")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    for row in ws.iter_rows(min_row=2):
        row[0].font = bold
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 22
    for col in ws.iter_cols(min_col=2, max_row=1):
        ws.column_dimensions[col[0].column_letter].width = 42
    ws.freeze_panes = "B2"


def _write(ws: Any, header: list[str], rows: Iterable[list[Any]]) -> None:
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_safe(v) for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, not a formula
    for col in ws.iter_cols(max_row=1):
        ws.column_dimensions[col[0].column_letter].width = 24
    ws.freeze_panes = "A2"


def to_xlsx(journey: MapLike, path: str | Path, *, lang: str = "en") -> Path:
    jm = as_map(journey)
    wb = Workbook()
    grid = wb.active
    grid.title = t_plain(lang, "map.sheet.map")[:31]
    _grid(grid, jm, lang)
    for key, header, rows in sheets(jm, lang):
        _write(wb.create_sheet(t_plain(lang, "map.sheet." + key)[:31]), header, rows)
    path = Path(path)
    wb.save(path)
    return path


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def to_csv(journey: MapLike, path: str | Path, *, lang: str = "en") -> Path:
    """One row per item (notes, emotions, touchpoints, KPIs, readings, pain points, ideas);
    UTF-8 with a byte-order mark so spreadsheet programs read Cyrillic correctly."""
    jm = as_map(journey)
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for row in csv_rows(jm, lang):
            writer.writerow([_csv_safe(row.get(c)) for c in CSV_COLUMNS])
    return path


_MERMAID_BAD = re.compile(r"[:#;\r\n\t]+")


def mermaid_name(text: str) -> str:
    """A name Mermaid accepts: no ``:``, ``#`` or ``;``, one line, never empty."""
    return re.sub(r"\s+", " ", _MERMAID_BAD.sub(" ", text)).strip() or "-"


def emotion_to_mermaid(mean: float | None) -> int:
    """The -2…+2 emotion mean as Mermaid's 1…5 (no scores: the neutral 3)."""
    return 3 if mean is None else max(1, min(5, round(mean) + 3))


def to_mermaid(journey: MapLike, *, lang: str = "en") -> str:
    """A Mermaid ``journey``: sections are stages, tasks are touchpoints scored with the
    stage's emotion, actors are the touchpoint's department (or, for a stage without
    touchpoints, one task named after the stage with its contributing departments)."""
    jm = as_map(journey)
    depts = {d.id: mermaid_name(insights.department_label(d, lang)) for d in jm.departments}
    summary = insights.emotion_summary(jm)
    contributors = insights.stage_departments(jm)
    lines = ["journey", f"    title {mermaid_name(jm.workshop.title)}"]
    for stage in jm.stages:
        name = mermaid_name(insights.stage_label(stage, lang))
        stat = summary.get(stage.id)
        score = emotion_to_mermaid(stat.mean if stat else None)
        lines.append(f"    section {name}")
        tasks = [tp for tp in jm.touchpoints if tp.stage_id == stage.id]
        if not tasks:
            actors = ", ".join(
                depts[d] for d in sorted(contributors.get(stage.id, ())) if d in depts
            )
            lines.append(f"      {name}: {score}" + (f": {actors}" if actors else ""))
        for tp in tasks:
            actor = depts.get(tp.department_id or "")
            lines.append(
                f"      {mermaid_name(tp.name)}: {score}" + (f": {actor}" if actor else "")
            )
    return "\n".join(lines) + "\n"
