from __future__ import annotations

import itertools
import re

import pytest

from bot.demo.sample import sample_map
from flows.models import JourneyMap, Workshop
from renderers import style
from renderers.content import build
from renderers.layout import layout, layout_prepared, prepare
from renderers.text import clean, text_width, wrap
from tests.builders import long_map


def _overlaps(boxes):
    # sweep by x so 80 stages stay fast
    boxes = sorted(boxes, key=lambda b: b.x)
    found = []
    for i, a in enumerate(boxes):
        for b in itertools.islice(boxes, i + 1, None):
            if b.x >= a.right:
                break
            if a.overlaps(b):
                found.append((a, b))
    return found


@pytest.mark.parametrize("n", [1, 6, 20, 80])
def test_no_text_overlaps_and_every_text_is_inside_its_cell(n: int) -> None:
    lay = layout(long_map(n), "ru")
    assert lay.texts
    cells = {c.key: c for c in lay.cells}
    for t in lay.texts:
        assert t.cell in cells, t
        assert cells[t.cell].box.contains(t.box), (t.cell, t.lines)
    assert _overlaps([t.box for t in lay.texts]) == []
    for t in lay.texts:
        assert t.box.x >= 0 and t.box.right <= lay.width
        assert t.box.y >= 0 and t.box.bottom <= lay.height


@pytest.mark.parametrize("n", [1, 6, 20, 80])
def test_the_full_map_hides_nothing(n: int) -> None:
    """Every item of every cell is drawn with all of its text: no "+N more", no "…"."""
    jm = long_map(n)
    prep = prepare(build(jm, "ru"))
    lay = layout_prepared(prep)
    for cell in lay.cells:
        lane, _, number = cell.key.partition(":")
        if lane not in style.LANES:
            continue
        blocks = prep.blocks[int(number) - 1][lane]
        assert cell.total == len(blocks) == cell.shown
        cards = [t for t in lay.texts if t.cell == cell.key and t.size == style.BODY_SIZE]
        assert len(cards) == cell.shown
    drawn = " ".join(t.text.replace("\n", " ") for t in lay.texts)
    assert not re.search(r"\w…(\s|$)", drawn) and "ещё +" not in drawn
    words = " ".join(p.description for p in jm.pains if p.status.value == "open").split()
    longest = max(words, key=len)
    assert longest in drawn  # the longest pain point's words are all there


def test_each_stage_shows_all_of_a_small_map() -> None:
    lay = layout(sample_map(4, template=None, density=0.4), "en")
    assert all(c.hidden == 0 for c in lay.cells if c.key.split(":")[0] in style.LANES)


def test_a_map_without_stages_or_persona_still_lays_out() -> None:
    lay = layout(JourneyMap(workshop=Workshop(title="")), "en")
    assert lay.width > 0 and lay.height > 0
    assert any("No stages yet" in t.text for t in lay.texts)


def test_wide_maps_stay_within_the_telegram_aspect_ratio() -> None:
    lay = layout(sample_map(80, template=None, density=0.1), "en")
    assert lay.width / lay.height <= 20


def test_invisible_characters_are_removed_and_wrap_respects_width() -> None:
    assert clean("Сайт\u200d\ufe0f  ok\n") == "Сайт ok"
    lines = wrap(clean("Łódź " * 40), 100, 9)
    assert all(text_width(x, 9) <= 100 for x in lines)
    assert wrap("a" * 200, 50, 9) and all(text_width(x, 9) <= 50 for x in wrap("a" * 200, 50, 9))


def test_measured_width_is_not_less_than_what_matplotlib_draws() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 2), dpi=72)
    renderer = FigureCanvasAgg(fig).get_renderer()
    for text, bold in (("Широкая ЖЩШ строка łąćż WWW", False), ("Mmm Ююю", True)):
        drawn = fig.text(
            0, 0.5, text, fontsize=10, family="DejaVu Sans", fontweight="bold" if bold else "normal"
        )
        assert drawn.get_window_extent(renderer).width <= text_width(text, 10, bold) + 0.5
