"""The interactive map in a real browser (headless Chromium): the exported file and the
Mini App the bot serves, at a phone's size and a desktop's. What a person does: filter by
a department, tap a KPI and read its chart, search a touchpoint; the Mini App refuses a
forged initData and redraws when the map changes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from bot.telegram.webapp.server import WebAppServer
from flows.models import Touchpoint
from flows.workshop.exports import ExportFormat, prepare_export
from renderers.html import render_html
from storage.store import SqliteStore
from tests.web.browser import DESKTOP, PHONE, shot, wait_for
from tests.web.conftest import FAC, OLGA, OTHER_TOKEN, READINGS, Workshops, init_data

pytestmark = pytest.mark.browser

VISIBLE_CARDS = """
return [...document.querySelectorAll('.card')]
  .filter(e => !e.hidden && getComputedStyle(e.closest('.cell')).display !== 'none')
  .map(e => [Number(e.dataset.d), e.querySelector('b').textContent]);
"""


def ready(driver: Any) -> bool:
    return driver.execute_script("return document.documentElement.dataset.ready === '1'")


def visible(driver: Any) -> list[tuple[int, str]]:
    return [(d, text) for d, text in driver.execute_script(VISIBLE_CARDS)]


def card(driver: Any, title: str) -> Any:
    from selenium.webdriver.common.by import By

    for element in driver.find_elements(By.CSS_SELECTOR, ".card"):
        if element.find_element(By.TAG_NAME, "b").text == title:
            driver.execute_script(
                "arguments[0].scrollIntoView({block: 'center', inline: 'center'})", element
            )
            return element
    raise AssertionError(f"no card {title!r}")


def explore(driver: Any, folder: Path, name: str) -> None:
    """Filter by Support, open the hotline KPI's chart, search a touchpoint by name."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    everything = visible(driver)
    assert {"Showroom visit", "Service hotline", "Hotline NPS"} <= {t for _, t in everything}
    depts = driver.execute_script("return [...document.querySelectorAll('#dept option')]"
                                  ".map(o => o.textContent)")  # fmt: skip
    support = depts.index("Support") - 1  # the first option is "All departments"
    Select(driver.find_element(By.ID, "dept")).select_by_visible_text("Support")
    only = wait_for(lambda: visible(driver) if len(visible(driver)) < len(everything) else [])
    assert only and {d for d, _ in only} == {support}
    assert "Service hotline" in {t for _, t in only}
    assert "Showroom visit" not in {t for _, t in only}
    Select(driver.find_element(By.ID, "dept")).select_by_index(0)
    wait_for(lambda: len(visible(driver)) == len(everything), what="every card back")

    # lanes: hide the pain points, then show them again
    driver.find_element(By.ID, "lanes-label").click()
    pains = driver.find_element(By.CSS_SELECTOR, "#lanes input[value=pains]")
    pains.click()
    wait_for(lambda: "Nobody answers after 6 pm" not in {t for _, t in visible(driver)})
    assert len(visible(driver)) == len(everything) - 1
    pains.click()
    wait_for(lambda: len(visible(driver)) == len(everything), what="the lane back")
    driver.find_element(By.ID, "lanes-label").click()

    card(driver, "Hotline NPS").click()
    sheet = wait_for(lambda: driver.find_element(By.ID, "sheet").is_displayed(), what="details")
    assert sheet
    points = driver.execute_script(
        "return [...document.querySelectorAll('#sheet circle.reading')].map(c => +c.dataset.value)"
    )
    assert points == list(READINGS)
    assert driver.find_elements(By.CSS_SELECTOR, "#sheet line.target")
    text = driver.find_element(By.ID, "sheet").text
    assert "Target 50" in text and "Service hotline" in text and "Olga" in text
    shot(driver, folder, f"{name}-kpi")
    driver.find_element(By.ID, "sheet-close").click()
    wait_for(lambda: not driver.find_element(By.ID, "sheet").is_displayed(), what="closed")

    box = driver.find_element(By.ID, "search")
    box.send_keys("showroom")
    found = wait_for(lambda: visible(driver) if len(visible(driver)) < len(everything) else [])
    assert {t for _, t in found} >= {"Showroom visit"}
    texts = driver.execute_script(
        "return [...document.querySelectorAll('.card')].filter(e => !e.hidden)"
        ".map(e => e.textContent.toLowerCase())"
    )
    assert texts and all("showroom" in t for t in texts)
    assert "Service hotline" not in {t for _, t in found}
    assert driver.find_element(By.ID, "found").text.endswith(str(len(found)))
    box.clear()
    box.send_keys(" ")  # an empty search shows everything again
    wait_for(lambda: len(visible(driver)) == len(everything), what="search cleared")


async def _file(store: SqliteStore, workshops: Workshops, folder: Path) -> Path:
    source = await prepare_export(
        store, f"tg:{FAC}", workshops.ours.id, ExportFormat.HTML, workshops.ours.workshop.created_at
    )
    path = folder / "map.html"
    path.write_text(render_html(source.journey, "en", (source.content or {}).get("history")))
    return path


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_the_exported_file_in_a_browser(
    chromium: Any, store: SqliteStore, workshops: Workshops, tmp_path: Path, size: tuple[int, int]
) -> None:
    path = await _file(store, workshops, tmp_path)
    driver = chromium(*size)
    driver.get(path.as_uri())
    wait_for(lambda: ready(driver), what="the map")
    name = f"file-{'phone' if size == PHONE else 'desktop'}"
    shot(driver, tmp_path, name)
    explore(driver, tmp_path, name)
    # nothing was fetched: the file holds everything it shows
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
    # the anonymous pain point: its department, no author
    card(driver, "Nobody answers after 6 pm").click()
    text = wait_for(lambda: driver.find_element("id", "sheet").text, what="pain details")
    assert (
        "Support" in text
        and "anonymous" in text
        and "https://tickets.example/r/42"
        in (driver.find_element("css selector", "#sheet a").get_attribute("href"))
    )


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_the_mini_app_for_a_member_then_forged_init_data(
    chromium: Any,
    webapp: WebAppServer,
    workshops: Workshops,
    store: SqliteStore,
    tmp_path: Path,
    size: tuple[int, int],
) -> None:
    driver = chromium(*size)
    name = f"webapp-{'phone' if size == PHONE else 'desktop'}"
    base = f"http://127.0.0.1:{webapp.port}/cjm/app?w={workshops.ours.id}&l=en"
    loop = asyncio.get_running_loop()

    def add_touchpoint() -> None:
        async def add() -> None:
            async with store.write() as uow:
                stage = workshops.ours.stages[1]
                await uow.items.add(
                    Touchpoint(
                        workshop_id=workshops.ours.id, stage_id=stage.id, name="Brochure by post"
                    )
                )

        asyncio.run_coroutine_threadsafe(add(), loop).result(10)

    def signed() -> None:
        driver.get(base + "#tgWebAppData=" + quote(init_data(OLGA)) + "&tgWebAppVersion=8.0")
        wait_for(lambda: ready(driver), what="the map from the bot")
        shot(driver, tmp_path, name)
        explore(driver, tmp_path, name)
        add_touchpoint()  # live: the page notices the new revision and redraws
        wait_for(lambda: "Brochure by post" in {t for _, t in visible(driver)}, what="live")

    shown = "var m = document.getElementById('message'); return m.hidden ? '' : m.textContent"

    def forged() -> None:
        for auth in (init_data(OLGA, token=OTHER_TOKEN), ""):
            driver.get("about:blank")
            driver.get(base + "#tgWebAppData=" + quote(auth))
            message = wait_for(
                lambda: (
                    "Open the map" in driver.execute_script(shown) and driver.execute_script(shown)
                ),
                what="the refusal",
            )
            assert "Open the map" in message
            assert driver.execute_script("return document.querySelectorAll('.card').length") == 0
            page = driver.page_source
            assert "Dealership" not in page and "Showroom" not in page
        shot(driver, tmp_path, f"{name}-forged")

    await asyncio.to_thread(signed)
    await asyncio.to_thread(forged)


def _page(jm: Any, folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text(render_html(jm, "ru"), encoding="utf-8")
    return path


PAINT = """
var m = performance.getEntriesByName('cjm-painted');
var f = performance.getEntriesByName('first-contentful-paint');
return document.documentElement.dataset.ready === '1' && m.length && f.length
  ? Math.max(m[0].startTime, f[0].startTime) : null;
"""


def test_one_stage_and_eighty_stages_in_a_browser(chromium: Any, tmp_path: Path) -> None:
    from bot.demo.sample import sample_map

    driver = chromium(*PHONE)
    one = sample_map(1)
    driver.get(_page(one, tmp_path, "one.html").as_uri())
    wait_for(lambda: ready(driver), what="one stage")
    heads = driver.execute_script("return document.querySelectorAll('.stage').length")
    assert heads == 1 and visible(driver)

    big = sample_map(80, density=12)
    path = _page(big, tmp_path, "eighty.html")
    assert path.stat().st_size < 3_000_000
    paints = []
    for _ in range(3):
        driver.get("about:blank")
        driver.get(path.as_uri())
        paints.append(wait_for(lambda: driver.execute_script(PAINT), timeout=30, what="paint"))
    cards = driver.execute_script("return document.querySelectorAll('.card').length")
    assert cards == len(inline_cards(path))  # every card arrives, the later columns too
    assert driver.execute_script("return document.querySelectorAll('.stage').length") == 80
    assert sorted(paints)[1] <= 1000, paints  # first paint of the map within a second
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []

    # the stage headers and lane names stay in view while the map scrolls
    where = """
    var s = document.getElementById('scroller');
    s.scrollTop = arguments[0]; s.scrollLeft = arguments[1];
    var r = s.getBoundingClientRect();
    var head = document.querySelectorAll('.stage')[40].getBoundingClientRect();
    var lane = document.querySelector('.lane.ln-pains').getBoundingClientRect();
    return [Math.round(head.top - r.top), Math.round(lane.left - r.left)];
    """
    assert driver.execute_script(where, 3000, 40 * 208) == [0, 0]
    # zoom out to see more of it
    from selenium.webdriver.common.by import By

    driver.set_window_rect(width=DESKTOP[0], height=DESKTOP[1])
    driver.find_element(By.ID, "zoom-out").click()
    assert driver.find_element(By.ID, "zoom-reset").text == "80%"
    shot(driver, tmp_path, "eighty-desktop-zoomed")


def inline_cards(path: Path) -> list[Any]:
    from tests.web.pages import inline_json

    return list(inline_json(path.read_text(encoding="utf-8"))["cards"])


async def test_two_fingers_zoom_the_map_on_a_phone(
    chromium: Any, store: SqliteStore, workshops: Workshops, tmp_path: Path
) -> None:
    path = await _file(store, workshops, tmp_path)
    driver = chromium(*PHONE)
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})
    driver.get(path.as_uri())
    wait_for(lambda: ready(driver), what="the map")

    def touch(kind: str, points: list[tuple[int, int]]) -> None:
        where = [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]
        driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": kind, "touchPoints": where})

    def zoom() -> float:
        return float(driver.execute_script("return document.getElementById('grid').style.zoom"))

    touch("touchStart", [(170, 420), (230, 420)])  # 60 px apart
    for step in range(1, 4):
        touch("touchMove", [(170 - 10 * step, 420), (230 + 10 * step, 420)])  # to 120 px
    touch("touchEnd", [])
    assert zoom() == pytest.approx(2.0, abs=0.01)
    touch("touchStart", [(100, 420), (300, 420)])
    touch("touchMove", [(150, 420), (250, 420)])  # pinch in: half as far apart
    touch("touchEnd", [])
    assert zoom() == pytest.approx(1.0, abs=0.01)
