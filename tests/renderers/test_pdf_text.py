"""The PDF's line cache writes the file stock matplotlib writes, byte for byte, and falls
back to stock drawing when matplotlib's private names change."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from bot.demo.sample import sample_map
from renderers import pdf_text
from renderers.image import render_pdf


def _pdf(path: Path, stages: int, lang: str) -> bytes:
    render_pdf(sample_map(stages, template=None, density=0.5), path, lang=lang)
    return path.read_bytes()


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the same CreationDate twice
    monkeypatch.setattr(pdf_text, "_failed", [])  # what a test turns off stays in it


@pytest.mark.skipif(not pdf_text.SUPPORTED, reason="the cache is off on this matplotlib anyway")
@pytest.mark.parametrize(("stages", "lang"), [(20, "ru"), (9, "pl"), (3, "en")])
def test_the_pages_are_the_bytes_stock_matplotlib_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stages: int, lang: str
) -> None:
    cached = _pdf(tmp_path / "cached.pdf", stages, lang)
    monkeypatch.setattr(pdf_text, "_failed", ["off for the comparison"])
    stock = _pdf(tmp_path / "stock.pdf", stages, lang)
    assert cached == stock
    assert cached.count(b"/Type /Page\n") + cached.count(b"/Type /Page ") >= 1


def test_every_private_name_used_is_checked() -> None:
    source = Path(pdf_text.__file__).read_text(encoding="utf-8")
    own = {"_plain", "_text_object", "_extent", "_glyph", "_give_up", "_failed", "_log"}
    used = set(re.findall(r"\.(_[a-zA-Z]\w*)\b", source)) - own
    # reached through an object the checks cannot see without a file: the file's tracker
    assert used - {"_character_tracker", "_rgb"} <= {name for _, name in pdf_text.PRIVATE}, used


def test_a_failure_at_run_time_falls_back_to_stock_drawing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(pdf_text, "_failed", ["off for the comparison"])
    stock = _pdf(tmp_path / "stock.pdf", 4, "ru")
    monkeypatch.setattr(pdf_text, "_failed", [])

    def renamed(*_: object) -> None:
        raise AttributeError("'FT2Font' object has no attribute '_layout'")

    monkeypatch.setattr(pdf_text.Lines, "shape", renamed)
    with caplog.at_level(logging.WARNING, logger=pdf_text.__name__):
        fallen_back = _pdf(tmp_path / "fallback.pdf", 4, "ru")
    assert fallen_back == stock
    assert not pdf_text.available()
    warnings = [r for r in caplog.records if "line cache off" in r.getMessage()]
    assert len(warnings) == 1
