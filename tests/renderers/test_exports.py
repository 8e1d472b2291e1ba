from __future__ import annotations

import csv
import re
from pathlib import Path

from openpyxl import load_workbook

from bot.demo.sample import sample_map
from flows.models import Touchpoint
from renderers import FILES, write_all
from renderers.exports import emotion_to_mermaid, mermaid_name, to_csv, to_mermaid, to_xlsx

TASK = re.compile(r"^      ([^:#;\n]+): ([1-5])(?:: ([^:#;\n]+(?:, [^:#;\n]+)*))?$")


def test_mermaid_journey_follows_the_rules() -> None:
    jm = sample_map(6)
    jm.touchpoints.append(
        Touchpoint(
            workshop_id=jm.workshop.id,
            stage_id=jm.stages[0].id,
            name="A: b # c; d\ne",
            department_id=jm.departments[0].id,
        )
    )
    text = to_mermaid(jm, lang="en")
    lines = text.splitlines()
    assert lines[0] == "journey" and lines[1].startswith("    title ")
    sections = [x for x in lines if x.startswith("    section ")]
    assert [s.removeprefix("    section ") for s in sections] == [
        "Need",
        "Search",
        "Choice",
        "Purchase",
        "Use",
        "Loyalty",
    ]
    tasks = [x for x in lines[2:] if not x.startswith("    section ")]
    assert len(tasks) >= len(jm.touchpoints)
    actors = {"Marketing", "Sales", "Support"}
    for task in tasks:
        m = TASK.match(task)
        assert m, task
        assert set(m.group(3).split(", ")) <= actors
    assert "      A b c d e: " in text


def test_emotion_scale_and_names() -> None:
    assert [emotion_to_mermaid(v) for v in (-2, -1.4, 0, 0.6, 2, None)] == [1, 2, 3, 4, 5, 3]
    assert mermaid_name(" :#; ") == "-"


def test_xlsx_has_the_grid_and_a_sheet_per_kind(tmp_path: Path) -> None:
    jm = sample_map(6)
    wb = load_workbook(to_xlsx(jm, tmp_path / "w.xlsx", lang="ru"))
    assert wb.sheetnames == [
        "Карта",
        "Персона",
        "Точки контакта",
        "KPI",
        "Замеры KPI",
        "Боли",
        "Идеи",
        "Заметки",
        "Эмоции",
    ]
    grid = wb["Карта"]
    assert grid["A1"].value == "Дорожка" and grid["B1"].value == "1. Потребность"
    lanes = [grid.cell(row=r, column=1).value for r in range(2, grid.max_row + 1)]
    assert "Точки контакта" in lanes and "Эмоции" in lanes
    tp_sheet = wb["Точки контакта"]
    assert tp_sheet.max_row == len(jm.touchpoints) + 1
    names = {tp_sheet.cell(row=r, column=2).value for r in range(2, tp_sheet.max_row + 1)}
    assert names == {tp.name for tp in jm.touchpoints}
    assert wb["Боли"].max_row == len(jm.pains) + 1


def test_xlsx_never_writes_formulas(tmp_path: Path) -> None:
    jm = sample_map(1, template=None)
    jm.touchpoints[0].name = '=HYPERLINK("http://x")'
    wb = load_workbook(to_xlsx(jm, tmp_path / "w.xlsx"))
    cell = wb["Touchpoints"]["B2"]
    assert cell.value == jm.touchpoints[0].name and cell.data_type == "s"


def test_csv_has_one_row_per_item(tmp_path: Path) -> None:
    jm = sample_map(3, template=None)
    with to_csv(jm, tmp_path / "w.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = sum(
        len(x)
        for x in (jm.notes, jm.emotions, jm.touchpoints, jm.kpis, jm.readings, jm.pains, jm.ideas)
    )
    persona = [r for r in rows if r["kind"] == "persona"]
    assert len(rows) == expected + len(persona)
    assert {r["kind"] for r in rows} >= {"note", "touchpoint", "pain", "emotion"}
    # the persona, a row per filled-in field, its name first
    fields = {r["field"]: r["text"] for r in persona}
    assert fields["name"] == jm.personas[0].name and fields["basis"] == "data"
    assert fields["segment"] == jm.personas[0].segment


def test_write_all_writes_every_file(tmp_path: Path) -> None:
    paths = write_all(sample_map(2, template=None), {"format": "cjm-workshop"}, tmp_path)
    assert sorted(p.name for p in paths) == sorted(FILES)
    assert all(p.stat().st_size > 0 for p in paths)
