from __future__ import annotations

import gc
import warnings
from pathlib import Path

import psutil
import pytest
from PIL import Image
from pypdf import PdfReader

from bot.demo.sample import sample_map
from renderers.image import (
    render_pdf,
    render_png,
    render_preview_png,
    render_svg,
    write_map,
)
from renderers.pdf import MAX_STAGES
from tests.builders import long_map

TELEGRAM_PHOTO_BYTES = 10 * 1024 * 1024


def _telegram_safe(path: Path) -> None:
    with Image.open(path) as im:
        w, h = im.size
    assert path.stat().st_size <= TELEGRAM_PHOTO_BYTES
    assert w + h <= 10000
    assert max(w, h) / min(w, h) <= 20


@pytest.mark.parametrize("n", [1, 6, 80])
def test_png_preview_and_pdf_are_written_without_missing_glyph_warnings(
    tmp_path: Path, n: int
) -> None:
    jm = long_map(n)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        full = render_png(jm, tmp_path / "map.png", lang="ru")
        preview = render_preview_png(jm, tmp_path / "preview.png", lang="ru")
        pdf = render_pdf(jm, tmp_path / "map.pdf", lang="ru")
    with Image.open(full) as im:
        assert im.format == "PNG" and im.size[0] > 500 and im.size[1] > 500
        assert im.size[0] * im.size[1] <= 31e6
    _telegram_safe(preview)
    pages = len(PdfReader(pdf).pages)
    assert pages == max(1, -(-n // MAX_STAGES))


def test_six_stage_png_is_sharp(tmp_path: Path) -> None:
    with Image.open(render_png(sample_map(6), tmp_path / "m.png")) as im:
        assert im.size[0] >= 3000  # about 200 dpi


def test_pdf_text_is_searchable_and_cyrillic(tmp_path: Path) -> None:
    text = PdfReader(render_pdf(sample_map(6), tmp_path / "m.pdf", lang="ru")).pages[0]
    assert "6. Лояльность" in text.extract_text()


def test_svg_and_render_by_extension(tmp_path: Path) -> None:
    svg = render_svg(sample_map(2, template=None), tmp_path / "m.svg", lang="en")
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert write_map(sample_map(2, template=None), tmp_path / "x.pdf").exists()
    with pytest.raises(ValueError, match=".txt"):
        write_map(sample_map(2), tmp_path / "x.txt")


def test_the_map_json_renders_like_the_map(tmp_path: Path) -> None:
    jm = sample_map(3, template=None)
    a = render_preview_png(jm.model_dump_json(), tmp_path / "a.png")
    b = render_preview_png(jm.model_dump(mode="json"), tmp_path / "b.png")
    assert Image.open(a).size == Image.open(b).size


def test_a_process_pool_can_render(tmp_path: Path) -> None:
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1) as pool:
        out = pool.submit(render_preview_png, sample_map(2, template=None), tmp_path / "p.png")
        assert out.result(timeout=120).exists()


def test_rendering_100_maps_does_not_grow_memory(tmp_path: Path) -> None:
    jm = sample_map(1, template=None, density=0.3)
    proc = psutil.Process()
    for _ in range(10):
        render_pdf(jm, tmp_path / "w.pdf")
    gc.collect()
    before = proc.memory_info().rss
    for i in range(100):
        if i % 10:
            render_pdf(jm, tmp_path / "m.pdf")
        else:
            render_preview_png(jm, tmp_path / "m.png")
    gc.collect()
    grown = (proc.memory_info().rss - before) / 2**20
    assert grown < 25, f"RSS grew by {grown:.1f} MB over 100 renders"
