"""The photo in the chat is a phone summary: 1,280 px wide, no text under 12 px, every
stage in a sequence of photos (an album) however wide the map."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from bot.demo.sample import sample_map
from flows.models import PainPoint
from renderers import summary
from renderers.image import render_preview_png, render_preview_pngs
from tests.builders import long_map


@pytest.mark.parametrize("lang", ["en", "ru", "pl"])
@pytest.mark.parametrize("n", [1, 6, 20, 80])
def test_every_text_is_at_least_12_px_at_1280_px(lang: str, n: int) -> None:
    lays = summary.layouts(long_map(n), lang)
    assert summary.WIDTH * summary.SCALE == 1280
    for lay in lays:
        assert lay.width == summary.WIDTH
        assert summary.min_text_px(lay) >= 12
        for t in lay.texts:
            assert t.box.x >= 0 and t.box.right <= lay.width + 0.01, t.lines
            assert t.box.bottom <= lay.height


@pytest.mark.parametrize(("n", "photos"), [(1, 1), (8, 1), (9, 2), (20, 3), (73, 10), (80, 10)])
def test_wide_maps_become_a_sequence_of_photos_holding_every_stage(n: int, photos: int) -> None:
    lays = summary.layouts(sample_map(n, template=None, density=0.2), "en")
    assert len(lays) == photos
    ranges = [lay.stage_range for lay in lays]
    assert ranges[0][0] == 0 and ranges[-1][1] == n
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    sizes = [last - first for first, last in ranges]
    assert max(sizes) - min(sizes) <= 1 or max(sizes) <= summary.STAGES_PER_PHOTO
    numbers = [
        int(c.key.split(":")[1]) for lay in lays for c in lay.cells if c.key.startswith("stage:")
    ]
    assert numbers == list(range(1, n + 1))
    if photos > 1:
        second = " ".join(t.text for t in lays[1].texts if t.cell == "header")
        first, last = ranges[1]
        assert f"Stages {first + 1}–{last} of {n}" in second


def test_a_stage_shows_its_worst_pain_points_first_and_counts_the_rest() -> None:
    jm = sample_map(1, template=None, density=0)
    stage = jm.stages[0].id
    for severity, text in ((1, "mild"), (3, "worst"), (2, "middle"), (1, "also mild"), (1, "x")):
        jm.pains.append(
            PainPoint(
                workshop_id=jm.workshop.id, stage_id=stage, description=text, severity=severity
            )
        )
    lay = summary.layouts(jm, "en")[0]
    texts = [t.text.removeprefix("? ") for t in lay.texts if t.cell == "stage:1"]
    shown = [t for t in texts if t in ("mild", "worst", "middle", "also mild", "x")]
    assert shown == ["worst", "middle", "mild"]
    assert "+2 more" in texts
    assert any(t.startswith("KPI") or t == "no KPIs yet" for t in texts)


def test_the_photos_are_telegram_photos_1280_px_wide(tmp_path: Path) -> None:
    jm = sample_map(20, template=None)
    paths = render_preview_pngs(jm, tmp_path / "preview.png", lang="ru")
    assert [p.name for p in paths] == ["preview.png", "preview-2.png", "preview-3.png"]
    for p in paths:
        w, h = Image.open(p).size
        assert w == 1280 and w + h < 10_000 and max(w, h) / min(w, h) <= 19
    first = render_preview_png(jm, tmp_path / "one.png", lang="ru")
    assert Image.open(first).size == Image.open(paths[0]).size
