"""Headless Chromium (Debian's ``chromium`` and ``chromium-driver``) through Selenium.

Where Chromium or its driver cannot be found the browser tests are skipped with the
reason; under CI (``CI=true``, set by .ci/run, which installs them) they fail instead.
Screenshots go to ``tests/web/screenshots/`` with ``CJM_SCREENSHOTS=1``, else to the
test's temporary folder."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
SHOTS = Path(__file__).with_name("screenshots")
PHONE = (390, 844)
DESKTOP = (1440, 900)


def find_chromium() -> tuple[str, str] | str:
    """(browser, driver) paths, or why they cannot be had."""
    browser = next((p for p in map(shutil.which, CHROMIUM) if p), None)
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        return (
            "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        )
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (make setup installs it)"
    return browser, driver


def new_driver(width: int, height: int) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = find_chromium()
    assert isinstance(found, tuple), found
    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--window-size={width},{height}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(found[1]), options=options)
    driver.set_window_rect(width=width, height=height)
    return driver


@pytest.fixture(scope="session")
def chromium() -> Iterator[Callable[[int, int], Any]]:
    """Make a headless Chromium of a given window size (all quit at the end)."""
    found = find_chromium()
    if isinstance(found, str):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the browser tests: {found}")
        pytest.skip(found)
    made: list[Any] = []

    def make(width: int, height: int) -> Any:
        driver = new_driver(width, height)
        made.append(driver)
        return driver

    yield make
    for driver in made:
        driver.quit()


def wait_for(condition: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.05)


def shot(driver: Any, folder: Path, name: str) -> Path:
    target = SHOTS if os.environ.get("CJM_SCREENSHOTS") == "1" else folder
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{name}.png"
    driver.save_screenshot(str(path))
    return path
