"""The trend of every KPI on the map: a small line chart in its card — all its readings,
oldest left and the latest at the right edge, the target as a line, the latest reading as
a dot in its status colour — laid out inside the card, clear of its text, and drawn."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from bot.demo.sample import NOW, sample_map
from flows.models import Direction, JourneyMap, Kpi, KpiReading, Stage, Touchpoint, Workshop
from renderers import style
from renderers.content import Trend
from renderers.draw import draw
from renderers.geometry import Box
from renderers.layout import chart, layout

WS = "ws-chart"


def kpi_map(*series: tuple[str, float | None, list[float]]) -> JourneyMap:
    """One stage and touchpoint, and a KPI (name, target, readings oldest first) each."""
    jm = JourneyMap(workshop=Workshop(id=WS, title="Chart"), generated_at=NOW)
    stage = Stage(workshop_id=WS, name="Visit", order=0)
    tp = Touchpoint(workshop_id=WS, stage_id=stage.id, name="Website", last_confirmed_at=NOW)
    jm.stages.append(stage)
    jm.touchpoints.append(tp)
    for name, target, values in series:
        kpi = Kpi(
            workshop_id=WS,
            touchpoint_id=tp.id,
            stage_id=stage.id,
            name=name,
            target=target,
            direction=Direction.HIGHER,
            last_confirmed_at=NOW,
        )
        jm.kpis.append(kpi)
        jm.readings += [
            KpiReading(
                workshop_id=WS, kpi_id=kpi.id, value=v, at=NOW - timedelta(days=len(values) - i)
            )
            for i, v in enumerate(values)
        ]
    return jm


def test_the_points_follow_the_readings_on_one_scale_with_the_target() -> None:
    box = Box(10, 20, 108, 28)
    got = chart(Trend((1.0, 3.0, 2.0), 5.0, "#D64545"), box)
    pad = style.CHART_PAD
    xs = [x for x, _ in got.points]
    ys = [y for _, y in got.points]
    assert xs == pytest.approx([10 + pad, 64, 118 - pad])  # evenly, the latest at the right
    top, bottom = 20 + pad, 48 - pad
    assert got.target_y == pytest.approx(top)  # 5 is the highest on the scale
    assert ys[0] == pytest.approx(bottom)  # 1 is the lowest
    assert ys[1] == pytest.approx(bottom - (bottom - top) / 2)  # 3 is half-way
    assert ys[2] < ys[0] and ys[2] > ys[1]
    assert got.colour == "#D64545"


def test_one_reading_or_a_flat_series_sits_in_the_middle_and_no_target_draws_none() -> None:
    box = Box(0, 0, 100, 30)
    single = chart(Trend((7.0,), None, "#3FA34D"), box)
    assert single.target_y is None
    assert single.points == ((100 - style.CHART_PAD, 15.0),)
    flat = chart(Trend((4.0, 4.0, 4.0), 4.0, "#3FA34D"), box)
    assert {y for _, y in flat.points} == {15.0} and flat.target_y == 15.0


def test_each_kpi_with_readings_has_its_chart_inside_its_card_clear_of_text() -> None:
    jm = kpi_map(("Conversion", 30.0, [10, 20, 25, 35]), ("Leads", 100.0, [50]), ("NPS", 9, []))
    lay = layout(jm, "en")
    cell = lay.cell("kpis:1")
    assert cell.hidden == 0
    assert len(lay.charts) == 2  # none for the KPI without readings
    texts = [t for t in lay.texts if t.cell == "kpis:1"]
    by_name = {t.lines[0]: t for t in texts if t.size == style.BODY_SIZE}
    # each chart lies under its own KPI's text, before the next KPI's
    names = sorted(by_name.values(), key=lambda t: t.y)
    charts = sorted(lay.charts, key=lambda c: c.box.y)
    assert [t.lines[0] for t in names] == ["Leads", "NPS", "Conversion"]  # worst first
    leads, conversion = charts
    assert names[0].y < leads.box.y < names[1].y < names[2].y < conversion.box.y
    assert conversion.colour == style.RAG_COLOURS["green"]  # 35 meets 30
    assert leads.colour == style.RAG_COLOURS["red"]  # 50 is far below 100
    assert len(conversion.points) == 4 and len(leads.points) == 1
    for item in lay.charts:
        assert item.cell == "kpis:1" and cell.box.contains(item.box)
        assert all(item.box.contains(Box(x, y, 0, 0)) for x, y in item.points)
        assert not any(item.box.overlaps(t.box) for t in lay.texts)


def test_a_sample_map_keeps_every_chart_inside_its_cell_without_overlaps() -> None:
    lay = layout(sample_map(6), "ru")
    assert lay.charts
    cells = {c.key: c for c in lay.cells}
    for item in lay.charts:
        assert cells[item.cell].box.contains(item.box)
        assert not any(item.box.overlaps(t.box) for t in lay.texts)
    boxes = sorted((c.box for c in lay.charts), key=lambda b: (b.x, b.y))
    assert not any(a.overlaps(b) for a, b in zip(boxes, boxes[1:], strict=False))


def test_the_drawn_chart_shows_the_latest_dot_in_its_status_colour() -> None:
    jm = kpi_map(("Conversion", 30.0, [10, 20, 12]))
    lay = layout(jm, "en")
    (item,) = lay.charts
    dpi = 144.0
    canvas = FigureCanvasAgg(draw(lay, dpi))
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[..., :3].astype(int)
    scale = dpi / 72
    x, y = item.points[-1]
    red = tuple(int(style.RAG_COLOURS["red"][i : i + 2], 16) for i in (1, 3, 5))
    dot = pixels[round(y * scale), round(x * scale)]
    assert np.abs(dot - red).max() < 40  # 12 misses 30: the dot is red
    assert item.target_y is not None
    row = round(item.target_y * scale)
    span = pixels[
        row - 1 : row + 2, round((item.box.x + 2) * scale) : round(item.points[1][0] * scale)
    ]
    grey = tuple(int(style.CHART_TARGET[i : i + 2], 16) for i in (1, 3, 5))
    assert (np.abs(span - grey).max(axis=2) < 50).any()  # the target's dashed line
