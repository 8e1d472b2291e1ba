"""The full map as a reader sees it: emoji drawn (or a visible placeholder), the emotion
lane's scale, every persona with all of its facts."""

from __future__ import annotations

import re
import unicodedata

import pytest

from bot.demo.sample import sample_map
from flows.models import Persona
from renderers import style
from renderers.layout import layout
from renderers.text import PLACEHOLDER, clean, drawable, fallback_fonts

EMOJI = "🚗 👪 😤 😠 ☎"


def test_no_symbol_is_silently_dropped() -> None:
    for char in (*EMOJI.split(), "\U00013000", "✅", "🛒"):
        shown = clean(f"a {char} b")
        assert shown != "a b", char
        assert shown == f"a {char} b" if drawable(char) else shown == f"a {PLACEHOLDER} b"
    assert clean("👍🏽") in ("👍", PLACEHOLDER)  # the skin tone goes, the hand stays


@pytest.mark.skipif(not fallback_fonts(), reason="no emoji font (apt-get install fonts-symbola)")
def test_emoji_in_user_text_are_drawn_with_the_emoji_font() -> None:
    assert all(drawable(c) for c in EMOJI.split())
    jm = sample_map(1, template=None, density=0.5)
    jm.workshop.title = f"Trip {EMOJI}"
    lay = layout(jm, "en")
    title = next(t for t in lay.texts if t.cell == "header")
    assert title.text == f"Trip {EMOJI}"


def _emotion_scale(lay):
    return [t.text for t in lay.texts if t.cell == "label:emotion"][1:]


@pytest.mark.parametrize("lang", ["en", "ru", "pl"])
def test_the_emotion_lane_shows_its_scale_from_plus_two_to_minus_two(lang: str) -> None:
    lay = layout(sample_map(3, template=None), lang)
    scale = _emotion_scale(lay)
    assert scale == ["+2", "+1", "0", "−1", "−2"]
    ys = [t.y for t in lay.texts if t.cell == "label:emotion"][1:]
    assert ys == sorted(ys)  # +2 at the top


def test_every_persona_is_shown_with_all_of_its_facts() -> None:
    jm = sample_map(3, template=None)
    second = Persona(
        workshop_id=jm.workshop.id,
        name="Олег, 62 — пенсионер",
        goals="Запись по телефону без ожидания " * 6,
        frustrations="Мелкий шрифт на сайте",
    )
    jm.personas.append(second)
    lay = layout(jm, "ru")
    cards = [c for c in lay.cells if c.key.startswith("persona")]
    assert len(cards) == 2 and all(c.hidden == 0 for c in cards)
    drawn = " ".join(t.text.replace("\n", " ") for t in lay.texts if t.cell.startswith("persona"))
    assert "Олег, 62 — пенсионер" in drawn and "Мелкий шрифт на сайте" in drawn
    assert drawn.count("без ожидания") == 6
    first, other = sorted(cards, key=lambda c: c.box.y)
    legend = lay.cell("legend")
    assert first.box.bottom < other.box.y < other.box.bottom < legend.box.y  # stacked


def test_long_stage_names_are_never_cut() -> None:
    jm = sample_map(2, template=None)
    jm.stages[0].name = "Сравнивает предложения нескольких клиник по цене и отзывам " * 2
    lay = layout(jm, "ru")
    head = " ".join(t.text.replace("\n", " ") for t in lay.texts if t.cell == "stage:1")
    assert "…" not in head and head.count("отзывам") == 2
    assert lay.cell("stage:1").box.contains(next(t for t in lay.texts if t.cell == "stage:1").box)


def test_placeholder_is_in_every_map_font() -> None:
    assert unicodedata.category(PLACEHOLDER) == "So" and drawable(PLACEHOLDER)
    assert re.fullmatch(r"[\u25a0-\u25ff]", PLACEHOLDER)
    assert style.BODY_SIZE > 0


def test_the_persona_column_goes_on_with_the_map_at_a_glance() -> None:
    lay = layout(sample_map(6, template=None), "ru")
    facts = lay.cell("facts")
    assert lay.cell("legend").box.bottom < facts.box.y
    drawn = [t.text.replace("\n", " ") for t in lay.texts if t.cell == "facts"]
    assert any(t.startswith("Ниже всего эмоции: ") for t in drawn)
    assert any(t.startswith("KPI: ✓ ") for t in drawn)
    assert sum(t.startswith("●") for t in drawn) == 3  # the three most severe pain points
