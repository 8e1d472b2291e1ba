"""Open formats: XLSX (a lanes x stages grid plus a sheet per item kind), CSV (one row per
item, stable English column ids) and a Mermaid ``journey``. The JSON export is storage's."""

from __future__ import annotations

import csv
import math
import re
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from flows.models import JourneyMap
from flows.texts import number, t_plain
from flows.workshop import insights
from renderers import style, tables
from renderers.content import build
from renderers.image import MapLike, as_map
from renderers.style import LANE_ORDER
from renderers.tables import CSV_COLUMNS, csv_rows

_FORMULA_START = ("=", "+", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    """Cell text without characters XLSX forbids; never a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


# Spreadsheet type and how much of it fits a column: a column's width is in characters of
# the default font; wrapped words leave the ends of lines short, and LibreOffice may draw
# Arial as a wider font (DejaVu Sans), so a line is taken to hold fewer characters.
FONT = "Arial"
FONT_SIZE = 10
LINE_PT = 13.0  # one line of 10-point type
ROW_PAD_PT = 4.0
MAX_ROW_PT = 409.0  # the tallest row Excel allows
CHARS_PER_WIDTH = 0.85
MAP_COL_W, MAP_COL_MAX_W = 40.0, 90.0
MAP_STAGES_PER_PAGE = 4  # stage columns on one printed page of the map grid
HEADER_FILL = "DCE3EF"

# item sheets: width of a column by its key (others: DEFAULT_W)
WIDTHS = {"text": 46.0, "evidence": 34.0, "touchpoint": 26.0, "kpi": 24.0, "stage": 20.0}
DEFAULT_W = 14.0


def _lines(value: Any, width: float) -> int:
    """How many lines ``value`` takes wrapped in a column ``width`` wide."""
    if value is None or value == "":
        return 1
    chars = max(1, int(width * CHARS_PER_WIDTH))
    return sum(
        max(1, len(textwrap.wrap(line, chars, break_long_words=True)))
        for line in str(value).split("\n")
    )


def _row_height(values: Iterable[tuple[Any, float]]) -> float:
    lines = max((_lines(v, w) for v, w in values), default=1)
    return min(MAX_ROW_PT, lines * LINE_PT + ROW_PAD_PT)


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour.lstrip("#").upper())


def _print_setup(ws: Any, pages_wide: int, title_cols: str | None = None) -> None:
    """Landscape A4, as many pages wide as asked (the height follows), the header row
    (and ``title_cols``) on every page, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"
    if title_cols:
        ws.print_title_cols = title_cols
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.oddFooter.center.text = "&P / &N"
    ws.oddFooter.center.size = 8


def _grid(ws: Any, jm: JourneyMap, lang: str) -> None:
    content = build(jm, lang)
    t = lambda key: t_plain(lang, "map." + key)  # noqa: E731
    columns = [[f"{s.number}. {s.name}"] for s in content.stages]
    labels = [t("col.lane")]
    for lane in LANE_ORDER:
        labels.append(t("lane." + lane))
        for column, s in zip(columns, content.stages, strict=True):
            if lane == "emotion":
                column.append(_signed(s.emotion.mean, lang) if s.emotion else "")
            else:
                column.append("\n".join(" — ".join(e.paragraphs) for e in s.lanes.get(lane, [])))
    widths = [_width_for(column) for column in columns]
    for r, label in enumerate(labels):
        ws.append([label, *[_safe(column[r]) for column in columns]])
    body = Font(name=FONT, size=FONT_SIZE)
    bold = Font(name=FONT, size=FONT_SIZE, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = bold, _fill(HEADER_FILL), wrap
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.font, cell.alignment = body, wrap
        row[0].font = bold
    ws.column_dimensions["A"].width = 22
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 2)].width = width
    for r in range(len(labels)):
        cells = [(labels[r], 22.0)] + [(c[r], w) for c, w in zip(columns, widths, strict=True)]
        ws.row_dimensions[r + 1].height = _row_height(cells)
    ws.freeze_panes = "B2"
    _print_setup(ws, max(1, math.ceil(len(columns) / MAP_STAGES_PER_PAGE)), "A:A")


def _signed(value: float, lang: str) -> str:
    """An emotion's mean with its sign, in the language's decimals: +1.5, −0,5."""
    text = number(lang, abs(value), 1)
    return text if text == "0" else ("+" if value > 0 else "−") + text


def _width_for(column: list[str]) -> float:
    """A stage column's width: the standard one, wider when a cell would not fit in the
    tallest row Excel allows."""
    width = MAP_COL_W
    limit = (MAX_ROW_PT - ROW_PAD_PT) / LINE_PT
    while width < MAP_COL_MAX_W and max(_lines(v, width) for v in column) > limit:
        width += 10.0
    return width


def _write(
    ws: Any,
    keys: list[str],
    header: list[str],
    rows: Iterable[list[Any]],
    fills: dict[str, str],
) -> None:
    """A table: the header row, then a row per item; wrapped text, rows as tall as their
    text, the department cells in their department's colour."""
    ws.append(header)
    body = Font(name=FONT, size=FONT_SIZE)
    bold = Font(name=FONT, size=FONT_SIZE, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = [WIDTHS.get(k, DEFAULT_W) for k in keys]
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = bold, _fill(HEADER_FILL), wrap
    ws.row_dimensions[1].height = _row_height(zip(header, widths, strict=True))
    dept = keys.index("department") if "department" in keys else None
    for row in rows:
        ws.append([_safe(v) for v in row])
        r = ws.max_row
        for cell in ws[r]:
            cell.font, cell.alignment = body, wrap
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, not a formula
        if dept is not None and row[dept] in fills:
            ws.cell(r, dept + 1).fill = _fill(fills[row[dept]])
        ws.row_dimensions[r].height = _row_height(zip(row, widths, strict=True))
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.freeze_panes = "A2"
    _print_setup(ws, 1)


def _personas(ws: Any, jm: JourneyMap, lang: str) -> None:
    """A persona per block: its name, then each filled-in field beside its label."""
    bold = Font(name=FONT, size=FONT_SIZE, bold=True)
    body = Font(name=FONT, size=FONT_SIZE)
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = (28.0, 80.0)
    found = tables.personas(jm, lang)
    if not found:
        found = [(t_plain(lang, "map.persona.none"), [])]
    for name, fields in found:
        ws.append([_safe(name), ""])
        r = ws.max_row
        for cell in ws[r]:
            cell.font, cell.fill, cell.alignment = bold, _fill(HEADER_FILL), wrap
        ws.row_dimensions[r].height = _row_height([(name, widths[0])])
        for label, value in fields:
            ws.append([_safe(label), _safe(value)])
            r = ws.max_row
            ws.cell(r, 1).font, ws.cell(r, 2).font = bold, body
            ws.cell(r, 1).alignment = ws.cell(r, 2).alignment = wrap
            ws.row_dimensions[r].height = _row_height(zip((label, value), widths, strict=True))
        ws.append([])
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = widths
    _print_setup(ws, 1)


def _department_fills(jm: JourneyMap, lang: str) -> dict[str, str]:
    """A department's name (as the sheets show it) -> a light tint of its map colour."""
    colours = style.DEPARTMENT_COLOURS
    return {
        insights.department_label(d, lang): style.tint(colours[i % len(colours)], 0.7)
        for i, d in enumerate(jm.departments)
    }


def to_xlsx(journey: MapLike, path: str | Path, *, lang: str = "en") -> Path:
    """The map grid (lanes x stages), a Persona sheet and a sheet per item kind; every
    sheet prints landscape on A4 with its header row on each page."""
    jm = as_map(journey)
    wb = Workbook()
    grid = wb.active
    grid.title = t_plain(lang, "map.sheet.map")[:31]
    _grid(grid, jm, lang)
    _personas(wb.create_sheet(t_plain(lang, "exports.sheet.persona")[:31]), jm, lang)
    fills = _department_fills(jm, lang)
    for key, header, rows in tables.sheets(jm, lang):
        keys = [k for k, _ in tables.SHEETS[key]]
        ws = wb.create_sheet(t_plain(lang, "map.sheet." + key)[:31])
        _write(ws, keys, header, rows, fills)
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
