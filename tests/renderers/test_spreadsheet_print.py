"""The XLSX opens and prints well: rows as tall as their wrapped text, landscape A4 pages
with the header row on each, words instead of codes, departments in their colours, a
Persona sheet. Printed for real by LibreOffice (headless, to PDF): few pages, and every
word of every cell on them (a row too short for its text would cut lines off)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bot.demo.sample import sample_map
from flows.models import Channel, EvidenceKind
from renderers.exports import LINE_PT, to_xlsx

CODES = {c.value for c in Channel if "_" in c.value} | {
    e.value for e in EvidenceKind if "_" in e.value
}
A4_LANDSCAPE = (842, 595)


def test_every_row_is_as_tall_as_its_text_and_prints_landscape(tmp_path: Path) -> None:
    wb = load_workbook(to_xlsx(sample_map(6), tmp_path / "w.xlsx", lang="ru"))
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToHeight == 0
        if ws.title != "Персона":
            assert ws.print_title_rows in ("1:1", "$1:$1")
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
            texts = [c.value for c in row if isinstance(c.value, str)]
            if not texts:
                continue
            height = ws.row_dimensions[row[0].row].height
            assert height is not None, (ws.title, row[0].row)
            lines = max(t.count("\n") + 1 for t in texts)
            assert height >= lines * LINE_PT, (ws.title, row[0].row)
    grid = wb["Карта"]
    assert grid.print_title_cols in ("A:A", "$A:$A")
    assert grid.page_setup.fitToWidth == 2  # six stages, a page of stages at a time


def test_channels_and_evidence_are_words_and_departments_are_coloured(tmp_path: Path) -> None:
    jm = sample_map(6)
    wb = load_workbook(to_xlsx(jm, tmp_path / "w.xlsx", lang="en"))
    values = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert not values & CODES
    assert {"Transactional email", "Third-party reviews", "support tickets"} <= values
    touchpoints = wb["Touchpoints"]
    header = [c.value for c in touchpoints[1]]
    column = header.index("Department") + 1
    fills = {}
    for r in range(2, touchpoints.max_row + 1):
        cell = touchpoints.cell(r, column)
        fills.setdefault(cell.value, set()).add(cell.fill.fgColor.rgb)
    assert set(fills) == {"Marketing", "Sales", "Support"}
    colours = [next(iter(f)) for f in fills.values()]
    assert all(len(f) == 1 for f in fills.values()) and len(set(colours)) == 3
    persona = wb["Persona"]
    cells = [(r[0].value, r[1].value) for r in persona.iter_rows()]
    assert cells[0][0] == jm.personas[0].name
    assert ("Segment", jm.personas[0].segment) in cells


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed (.ci/run installs libreoffice-calc)")
        pytest.skip("LibreOffice is not installed")
    return found


def _print(xlsx: Path) -> PdfReader:
    profile = xlsx.parent / "lo-profile"
    subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(xlsx.parent),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return PdfReader(xlsx.with_suffix(".pdf"))


WORD = re.compile(r"\w+")
BOX = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def _words_by_page(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each printed word with its box, page by page (poppler's ``pdftotext -bbox``)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is not installed (.ci/run installs poppler-utils)")
        pytest.skip("pdftotext is not installed")
    out = subprocess.run(
        [tool, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append(
            [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in BOX.findall(page)]
        )
    return pages


def _overlapping(words: list[tuple[float, float, float, float, str]]) -> list[tuple[str, str]]:
    """Pairs of printed words drawn over each other (by more than half a line: the boxes of
    a cell's consecutive lines touch): a cell's text running past its row, under the
    next row's (Calc clips it in the cell, but its lines are still on the page)."""
    found = []
    ordered = sorted(words, key=lambda w: w[1])
    for i, (x0, y0, x1, y1, word) in enumerate(ordered):
        for a0, b0, a1, b1, other in ordered[i + 1 :]:
            if b0 >= y1:
                break
            tall = min(y1 - y0, b1 - b0)
            if min(y1, b1) - b0 > tall / 2 and a0 < x1 - 1.0 and x0 < a1 - 1.0:
                found.append((word, other))
    return found


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_libreoffice_prints_the_demo_on_few_pages_without_overflow(
    tmp_path: Path, lang: str
) -> None:
    xlsx = to_xlsx(sample_map(6), tmp_path / "w.xlsx", lang=lang)
    pdf = _print(xlsx)
    assert 8 <= len(pdf.pages) <= 18  # a page or a few per sheet (it was 32 and more)
    for page in pdf.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            A4_LANDSCAPE
        )
    pages = _words_by_page(xlsx.with_suffix(".pdf"))
    assert len(pages) == len(pdf.pages)
    assert [_overlapping(words) for words in pages] == [[] for _ in pages]
    # every word of every cell is printed (the text as printed, without spaces: a number
    # and the next column's word may touch)
    printed = re.sub(r"\s+", "", "".join(w[4] for words in pages for w in words).lower())
    wb = load_workbook(xlsx)
    words = {
        word
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
        for word in WORD.findall(cell.value.lower())
    }
    assert not {w for w in words if w not in printed}
