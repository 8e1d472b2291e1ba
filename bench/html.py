"""The interactive map's benchmark: the 80-stage sample map with 2,000+ touchpoints (and
its KPIs, readings, pain points, ideas and about 5,000 notes) exported as HTML, opened in
headless Chromium (Debian's ``chromium`` and ``chromium-driver``) at 1440×900.

- ``html_80_bytes`` — the file's size
- ``html_80_first_paint_ms`` — from navigation to the first frame that shows the map
  (the page marks ``cjm-painted`` in the frame after it drew the cards), median of 5
  and not before Chromium's first-contentful-paint (``html_80_fcp_ms``); the columns in
  view come first, the rest right after
- ``html_80_all_cards_ms`` — until every card of the 80 stages is in the page
- ``html_80_export_s`` — making the file in Python
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.demo.sample import sample_map
from flows.models import JourneyMap
from renderers.html import render_html

RUNS = 5


def bench_map() -> JourneyMap:
    jm = sample_map(80, density=12)
    assert len(jm.stages) == 80 and len(jm.touchpoints) >= 2000
    return jm


def _driver() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        raise SystemExit("bench html: needs chromium and chromium-driver (apt-get install)")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    web = webdriver.Chrome(service=Service(driver), options=options)
    web.set_window_rect(width=1440, height=900)
    return web


PAINTED = """
var m = performance.getEntriesByName('cjm-painted');
var c = performance.getEntriesByName('cjm-complete');
var f = performance.getEntriesByName('first-contentful-paint');
return m.length && c.length && f.length ?
  [m[0].startTime, f[0].startTime, c[0].startTime, document.querySelectorAll('.card').length]
  : null;
"""


def run() -> dict[str, float]:
    jm = bench_map()
    start = time.perf_counter()
    page = render_html(jm, "en")
    export_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "map80.html"
        path.write_text(page, encoding="utf-8")
        web = _driver()
        paints: list[float] = []
        fcps: list[float] = []
        completes: list[float] = []
        try:
            for _ in range(RUNS):
                web.get("about:blank")
                web.get(path.as_uri())
                deadline = time.monotonic() + 30
                found = None
                while found is None and time.monotonic() < deadline:
                    found = web.execute_script(PAINTED)
                    time.sleep(0.02)
                assert found is not None, "the map never painted"
                assert found[3] > 10_000, found  # every card is there in the end
                # the map's first frame: not before Chromium's first contentful paint
                paints.append(max(found[0], found[1]))
                fcps.append(found[1])
                completes.append(found[2])
        finally:
            web.quit()
    return {
        "html_80_first_paint_ms": round(statistics.median(paints), 1),
        "html_80_fcp_ms": round(statistics.median(fcps), 1),
        "html_80_all_cards_ms": round(statistics.median(completes), 1),
        "html_80_bytes": len(page.encode("utf-8")),
        "html_80_export_s": round(export_s, 2),
    }


if __name__ == "__main__":
    print(run())
