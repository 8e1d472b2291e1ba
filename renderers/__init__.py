"""The map image and the exports. Reads ``flows.models`` only; everything here is plain
synchronous code, safe to run in a process pool.

- ``renderers.layout.layout(map, lang) -> Layout`` — the geometry, testable without drawing
- ``renderers.image`` — ``render_png``, ``render_preview_png``, ``render_pdf``, ``render_svg``
- ``renderers.exports`` — ``to_xlsx``, ``to_csv``, ``to_mermaid``
- ``write_all`` — all of them into a folder
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from renderers.image import MapLike, as_map

FILES = (
    "map.png",
    "map_preview.png",
    "map.pdf",
    "workshop.xlsx",
    "workshop.csv",
    "journey.mmd",
    "workshop.json",
)


def write_all(
    journey: MapLike, export_json: dict[str, Any] | None, out_dir: str | Path, *, lang: str = "en"
) -> list[Path]:
    """Write map.png, map_preview.png, map.pdf, workshop.xlsx, workshop.csv, journey.mmd and
    (when ``export_json`` is given: ``store.export_workshop(id)``) workshop.json."""
    from renderers.exports import to_csv, to_mermaid, to_xlsx
    from renderers.image import render_pdf, render_png, render_preview_png

    jm = as_map(journey)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [
        render_png(jm, out / "map.png", lang=lang),
        render_preview_png(jm, out / "map_preview.png", lang=lang),
        render_pdf(jm, out / "map.pdf", lang=lang),
        to_xlsx(jm, out / "workshop.xlsx", lang=lang),
        to_csv(jm, out / "workshop.csv", lang=lang),
    ]
    mermaid = out / "journey.mmd"
    mermaid.write_text(to_mermaid(jm, lang=lang), encoding="utf-8")
    written.append(mermaid)
    if export_json is not None:
        target = out / "workshop.json"
        target.write_text(json.dumps(export_json, ensure_ascii=False, indent=2), encoding="utf-8")
        written.append(target)
    return written


__all__ = ["FILES", "write_all"]
