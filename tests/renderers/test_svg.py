"""The SVG keeps its text as text (``svg.fonttype: none``): searchable and editable."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from bot.demo.sample import sample_map
from renderers.image import render_svg
from renderers.layout import layout

SVG = "{http://www.w3.org/2000/svg}"


def test_the_svg_has_a_text_element_for_every_line_of_the_map(tmp_path: Path) -> None:
    jm = sample_map(3, template=None)
    path = render_svg(jm, tmp_path / "map.svg", lang="ru")
    root = ET.parse(path).getroot()
    texts = ["".join(e.itertext()) for e in root.iter(SVG + "text")]
    lay = layout(jm, "ru")
    lines = [line for t in lay.texts for line in t.lines]
    assert len(texts) >= len(lines) > 100
    assert jm.workshop.title in texts
    assert "Боли" in texts and any("4 боли" in t for t in texts)
    assert len(list(root.iter(SVG + "use"))) < len(lines)  # letters are not glyph paths
    assert path.stat().st_size < 2_000_000
