"""The PDF is on standard paper: A4 or A3 landscape, every page the same size, the stages
split evenly, each page saying which stages it holds and its number. The page sizes are
read from the file's own MediaBox entries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.demo.sample import sample_map
from renderers.content import build
from renderers.image import render_pdf
from renderers.layout import prepare
from renderers.pdf import PAPERS, plan, split_evenly

MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*([\d.\s-]+)\]")


def media_boxes(path: Path) -> list[tuple[float, ...]]:
    """Every page's MediaBox, read from the bytes (matplotlib writes them uncompressed)."""
    return [
        tuple(round(float(v), 1) for v in m.group(1).split())
        for m in MEDIABOX.finditer(path.read_bytes())
    ]


def test_stages_are_split_evenly() -> None:
    assert split_evenly(73, 10) == [(0, 8), (8, 16), (16, 24)] + [
        (24 + 7 * i, 31 + 7 * i) for i in range(7)
    ]
    assert [b - a for a, b in split_evenly(17, 3)] == [6, 6, 5]
    assert split_evenly(0, 1) == [(0, 0)]


@pytest.mark.parametrize(("stages", "lang"), [(73, "en"), (12, "ru"), (2, "pl")])
def test_every_page_is_the_same_standard_landscape_size(
    tmp_path: Path, stages: int, lang: str
) -> None:
    jm = sample_map(stages, template=None, density=0.5)
    path = render_pdf(jm, tmp_path / "map.pdf", lang=lang)
    boxes = media_boxes(path)
    pages = PdfReader(path).pages
    assert len(boxes) == len(pages) and len(set(boxes)) == 1
    (x0, y0, w, h) = boxes[0]
    assert (x0, y0) == (0, 0) and (w, h) in {
        (round(pw, 1), round(ph, 1)) for pw, ph in PAPERS.values()
    }
    the_plan, _ = plan(prepare(build(jm, lang)), lang)
    sizes = [b - a for a, b in the_plan.pages]
    assert sum(sizes) == stages and max(sizes) - min(sizes) <= 1
    assert len(pages) == len(sizes)


def test_each_page_says_which_stages_and_its_number(tmp_path: Path) -> None:
    jm = sample_map(73, template=None, density=0.5)
    pages = PdfReader(render_pdf(jm, tmp_path / "map.pdf", lang="en")).pages
    the_plan, _ = plan(prepare(build(jm, "en")), "en")
    n = len(pages)
    for number, (page, (first, last)) in enumerate(zip(pages, the_plan.pages, strict=True), 1):
        text = page.extract_text()
        assert f"Stages {first + 1}–{last} of 73" in text
        assert f"Page {number} of {n}" in text
        assert f"{first + 1}. " in text and f"{last}. " in text  # its first and last stage


def test_russian_and_polish_pages_are_labelled_in_their_language(tmp_path: Path) -> None:
    jm = sample_map(20, template=None, density=0.3)
    ru = PdfReader(render_pdf(jm, tmp_path / "ru.pdf", lang="ru")).pages
    pl = PdfReader(render_pdf(jm, tmp_path / "pl.pdf", lang="pl")).pages
    assert f"Страница 2 из {len(ru)}" in ru[1].extract_text()
    assert "Этапы " in ru[1].extract_text() and " из 20" in ru[1].extract_text()
    assert f"Strona 1 z {len(pl)}" in pl[0].extract_text()
    assert "Etapy 1–" in pl[0].extract_text()


def test_a_small_map_is_one_page_without_a_stage_range(tmp_path: Path) -> None:
    path = render_pdf(sample_map(3, template=None), tmp_path / "m.pdf", lang="en")
    (page,) = PdfReader(path).pages
    text = page.extract_text()
    assert "Page 1 of 1" in text and "Stages " not in text
