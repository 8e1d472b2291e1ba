"""One meaning per colour: departments have their own palette; statuses (KPI, pain
severity, hypothesis, disagreement) are shown by an icon, shape or border in colours no
department uses; every colour of the legend stays distinct for deuteranopes and
protanopes (Machado, Oliveira & Fernandes 2009, severity 1, in linear RGB; distance in
CIELAB)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from bot.demo.sample import sample_map
from flows.models import Department
from renderers import style
from renderers.content import build
from renderers.layout import layout

PROTANOPIA = np.array(
    [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ]
)
DEUTERANOPIA = np.array(
    [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ]
)
VISIONS = {"normal": np.eye(3), "protanopia": PROTANOPIA, "deuteranopia": DEUTERANOPIA}
MIN_DELTA_E = 15.0  # CIE76: well apart at a glance (2.3 is just noticeable)
# white, and the grey of a dashed border (the dash is its meaning, not its colour)
NEUTRAL = {"#FFFFFF", "none", style.MUTED}


def _linear(colour: str) -> np.ndarray:
    c = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ np.clip(linear, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(colour: str, vision: str) -> np.ndarray:
    return _lab(VISIONS[vision] @ _linear(colour))


def distance(a: str, b: str, vision: str) -> float:
    return float(np.linalg.norm(seen(a, vision) - seen(b, vision)))


def test_the_simulation_is_the_standard_one() -> None:
    """Red and green, far apart for most readers, lose most of their difference for
    both kinds of colour blindness (an olive and a green nearly merge for protanopes);
    blue and yellow stay apart."""
    assert distance("#D62728", "#2CA02C", "normal") > 100
    assert distance("#D62728", "#2CA02C", "deuteranopia") < 10
    assert distance("#D62728", "#2CA02C", "protanopia") < 40
    assert distance("#B8860B", "#6B8E23", "protanopia") < 5
    for vision in ("protanopia", "deuteranopia"):
        assert distance("#1F77B4", "#FFD700", vision) > 100
    assert np.allclose(VISIONS["deuteranopia"] @ np.ones(3), np.ones(3), atol=0.002)


def _legend_colours(jm) -> set[str]:
    lay = layout(jm, "en")
    legend = lay.cell("legend").box
    colours = set()
    for r in lay.rects:
        if legend.contains(r.box) and r.box != legend:
            colours |= {r.face, r.edge} - NEUTRAL
    return colours


def _eight_departments():
    jm = sample_map(3, template=None)
    jm.departments += [
        Department(workshop_id=jm.workshop.id, key=k)
        for k in ("finance", "it", "legal", "hr", "product")
    ]
    assert len(jm.departments) == len(style.DEPARTMENT_COLOURS)
    return jm


@pytest.mark.parametrize("vision", VISIONS)
def test_every_legend_colour_is_distinct_for_colour_blind_readers(vision: str) -> None:
    colours = _legend_colours(_eight_departments())
    assert set(style.DEPARTMENT_COLOURS) <= colours
    assert set(style.STATUS_COLOURS.values()) <= colours
    closest = min(
        (distance(a, b, vision), a, b) for a, b in itertools.combinations(sorted(colours), 2)
    )
    assert closest[0] >= MIN_DELTA_E, closest


def test_no_department_colour_carries_a_status() -> None:
    departments = set(style.DEPARTMENT_COLOURS)
    statuses = {*style.STATUS_COLOURS.values(), style.FLAG}
    assert not departments & statuses
    for a, b in itertools.product(departments, statuses):
        for vision in VISIONS:
            assert distance(a, b, vision) >= MIN_DELTA_E, (a, b, vision)


def test_cards_show_the_department_by_stripe_and_the_status_by_icon_and_border() -> None:
    jm = sample_map(6, template=None)
    content = build(jm, "en")
    departments = set(style.DEPARTMENT_COLOURS) | {style.NO_DEPARTMENT}
    statuses = set(style.STATUS_COLOURS.values())
    seen_lanes = set()
    for stage in content.stages:
        for lane in ("touchpoints", "kpis", "pains", "ideas"):
            for entry in stage.lanes[lane]:
                seen_lanes.add(lane)
                assert entry.stripe in departments, (lane, entry)
                if lane == "kpis":
                    assert entry.edge in statuses
                    assert entry.paragraphs[1][0] in "✓≈✗–", entry.paragraphs
                if lane == "pains":
                    assert entry.paragraphs[1][:3] in ("●○○", "●●○", "●●●"), entry.paragraphs
                    assert entry.edge not in departments
    assert seen_lanes == {"touchpoints", "kpis", "pains", "ideas"}
