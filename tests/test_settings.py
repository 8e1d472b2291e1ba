from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from bot.logs import REDACTED, RedactSecrets, configure_logging
from bot.settings import SettingsError, load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw-secret"


def settings(**env: str):
    return load_settings(_env_file=None, **env)


def test_defaults_need_nothing() -> None:
    s = settings()
    assert s.token is None
    assert s.database_path == Path("data/cjm.sqlite3")
    assert s.default_language == "en"


def test_values_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("DATABASE_PATH", "/tmp/x.sqlite3")
    monkeypatch.setenv("DEFAULT_LANGUAGE", "RU")
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Europe/Warsaw")
    monkeypatch.setenv("FACILITATOR_ALLOWLIST", "1, 22,333")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    s = settings()
    assert s.token == TOKEN
    assert s.telegram_api_base_url == "http://127.0.0.1:8081/bot"
    assert s.database_path == Path("/tmp/x.sqlite3")
    assert s.default_language == "ru"
    assert s.facilitator_allowlist == [1, 22, 333]
    assert s.log_level_number == logging.DEBUG


def test_values_are_read_from_a_dotenv_file(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("DEFAULT_TIMEZONE=Europe/Moscow\nFACILITATOR_ALLOWLIST=\n", encoding="utf-8")
    s = load_settings(_env_file=env)
    assert s.default_timezone == "Europe/Moscow"
    assert s.facilitator_allowlist == []


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "unknown time zone"),
        ("DEFAULT_LANGUAGE", "de", "DEFAULT_LANGUAGE"),
        ("FACILITATOR_ALLOWLIST", "12,bob", "'bob'"),
        ("LOG_LEVEL", "LOUD", "must be one of"),
        ("TELEGRAM_API_BASE_URL", "api.example.org/bot", "http://"),
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "does not look like a bot token"),
        ("WEBHOOK_PORT", "99999", "WEBHOOK_PORT"),
    ],
)
def test_a_wrong_value_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, says: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        settings()
    assert name in str(info.value)
    assert says in str(info.value)


def test_the_token_never_shows_in_repr_or_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    s = settings()
    assert TOKEN not in repr(s)
    assert TOKEN not in str(s)
    assert TOKEN not in s.model_dump_json()
    # an error elsewhere must not echo the token either
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    with pytest.raises(SettingsError) as info:
        settings()
    assert TOKEN not in str(info.value)
    bad = TOKEN.replace(":", "")
    monkeypatch.setenv("LOG_LEVEL", "INFO")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", bad)
    with pytest.raises(SettingsError) as info:
        settings()
    assert bad not in str(info.value)


def test_the_token_never_shows_in_logs() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        configure_logging(logging.DEBUG, secrets=[TOKEN])
        log = logging.getLogger("httpcore.test")
        log.warning("POST https://api.telegram.org/bot%s/getUpdates", TOKEN)
        try:
            raise RuntimeError(f"connect failed for https://api.telegram.org/bot{TOKEN}/getMe")
        except RuntimeError:
            log.exception("request failed")
        # a token we were not told about is still caught by its shape
        log.error("other bot 987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDsawXX leaked")
    finally:
        root.removeHandler(handler)
    out = stream.getvalue()
    assert TOKEN not in out
    assert "987654321:ZZH" not in out
    assert out.count(REDACTED) == 3
    assert "request failed" in out and "RuntimeError" in out


def test_redaction_leaves_ordinary_text_alone() -> None:
    assert RedactSecrets([TOKEN]).redact("stage 2 of 5: 12:30") == "stage 2 of 5: 12:30"
