"""Render benchmarks: a typical map (6 stages) and a large one (73 stages, ~700 items),
against a baseline of the same strings drawn as plain ``fig.text`` on a figure of the same
size at the same dpi, without layout: the floor stock matplotlib sets (its Agg canvas and
PNG writer). ``render_73_floor_s`` draws that baseline with the map's own canvas and PNG
writer (``renderers.glyphs``, ``renderers.png``): what layout, boxes and lines add.
``render_73_pdf_s`` is the large map as the PDF export (A3 pages of 7–8 stages)."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.demo.sample import sample_map
from flows.models import JourneyMap
from renderers.content import build
from renderers.glyphs import GlyphCanvas
from renderers.image import full_dpi, render_pdf, render_png
from renderers.layout import layout_prepared, prepare
from renderers.png import write_png

ITEM_FIELDS = ("notes", "emotions", "touchpoints", "kpis", "readings", "pains", "ideas")


def items(jm: JourneyMap) -> int:
    return sum(len(getattr(jm, f)) for f in ITEM_FIELDS)


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def baseline(jm: JourneyMap, path: Path, lang: str, *, own: bool = False) -> Callable[[], None]:
    """Same figure size, dpi and strings (and weights) as render_png, drawn at fixed
    positions; saved by stock matplotlib, or by the map's own canvas and writer (``own``)."""
    lay = layout_prepared(prepare(build(jm, lang)))
    dpi = full_dpi(lay)
    texts = [(t.x / lay.width, 1 - t.y / lay.height, t.text, t.size, t.bold) for t in lay.texts]

    def run() -> None:
        fig = Figure(figsize=(lay.width / 72, lay.height / 72), dpi=dpi)
        for x, y, text, size, bold in texts:
            weight = "bold" if bold else "normal"
            fig.text(x, y, text, fontsize=size, fontweight=weight, va="top", parse_math=False)
        if own:
            canvas = GlyphCanvas(fig)
            canvas.draw()
            write_png(np.asarray(canvas.buffer_rgba()), path, dpi, {})
        else:
            FigureCanvasAgg(fig).print_png(path, pil_kwargs={"compress_level": 3})

    return run


def _render_and_report_peak(jm: JourneyMap, path: Path, lang: str) -> int:
    render_png(jm, path, lang=lang)
    # VmHWM belongs to this process's memory map (ru_maxrss would carry the parent's peak)
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def peak_rss(jm: JourneyMap, path: Path, lang: str) -> int:
    """Peak RSS of a fresh process (like a render-pool worker) rendering the map once."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_render_and_report_peak, jm, path, lang).result()


def run(runs: int = 5, lang: str = "ru") -> dict[str, float]:
    small = sample_map(6, density=0.6)
    large = sample_map(73, template=None, density=0.5)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "map.png"
        render_png(small, out, lang=lang)  # warm font caches
        r6 = median_time(lambda: render_png(small, out, lang=lang), runs)
        r73 = median_time(lambda: render_png(large, out, lang=lang), runs)
        b73 = median_time(baseline(large, Path(tmp) / "base.png", lang), runs)
        f73 = median_time(baseline(large, Path(tmp) / "floor.png", lang, own=True), runs)
        pdf73 = median_time(lambda: render_pdf(large, Path(tmp) / "map.pdf", lang=lang), runs)
        peak = peak_rss(large, Path(tmp) / "peak.png", lang)
    return {
        "render_6_stages_s": round(r6, 3),
        "render_73_stages_s": round(r73, 3),
        "render_73_baseline_s": round(b73, 3),
        "render_73_ratio": round(r73 / b73, 3),
        "render_73_floor_s": round(f73, 3),
        "render_73_pdf_s": round(pdf73, 3),
        "render_peak_rss_mb": round(peak / 2**20, 1),
        "items_6_stages": items(small),
        "items_73_stages": items(large),
    }
