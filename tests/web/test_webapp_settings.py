"""The Mini App's settings: a wrong value stops start-up with a message naming it."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings
from tests.bot.harness import BotHarness


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"webapp_url": "http://maps.example/app"}, "WEBAPP_URL"),
        ({"webapp_url": "maps.example/app"}, "WEBAPP_URL"),
        ({"webapp_port": "0"}, "WEBAPP_PORT"),
        ({"webapp_port": "seventy"}, "WEBAPP_PORT"),
        ({"webapp_max_age_s": "10"}, "WEBAPP_MAX_AGE_S"),
        (
            {
                "webapp_url": "https://maps.example/app",
                "webhook_url": "https://maps.example/hook",
                "webhook_port": "9000",
                "webapp_port": "9000",
            },
            "WEBAPP_PORT",
        ),
    ],
)
def test_a_wrong_webapp_setting_is_named(values: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        load_settings(_env_file=None, **values)


def test_the_webapp_is_off_unless_its_url_is_set() -> None:
    settings = load_settings(_env_file=None, webapp_url="  ")
    assert settings.webapp_url is None
    assert load_settings(_env_file=None, webapp_url="https://m.example/a").webapp_url


async def test_a_taken_port_stops_start_up_naming_the_setting(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        harness = BotHarness(tmp_path, webapp_url="https://m.example/app", webapp_port=port)
        with pytest.raises(SettingsError, match=f"WEBAPP_LISTEN/WEBAPP_PORT.*{port}"):
            await harness.__aenter__()
        await harness.app.bot_data["services"].close()
        await harness.app.shutdown()
