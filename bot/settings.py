"""Settings from the environment and ``.env``. A wrong value stops start-up with a
message naming the setting; the bot token is a secret and never printed."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from storage.open_store import POSTGRES_SCHEMES

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(Exception):
    """A setting has a wrong value; the message names it and says what is wrong."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    telegram_api_file_url: str | None = None
    database_path: Path = Path("./data/cjm.sqlite3")
    # postgresql://user:password@host:port/db selects PostgreSQL instead of the SQLite file
    database_url: SecretStr | None = None
    default_language: Literal["ru", "en", "pl"] = "en"
    default_timezone: str = "UTC"
    facilitator_allowlist: Annotated[list[int], NoDecode] = Field(default_factory=list)
    log_level: str = "INFO"
    text_limit: int = Field(default=1000, ge=10, le=4000)
    review_overdue_days: int = Field(default=3, ge=1, le=60)
    review_sweep_seconds: float = Field(default=60.0, gt=0, le=3600)
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    # the Telegram Mini App (bot/telegram/webapp): the map served by the bot itself
    webapp_url: str | None = None
    webapp_listen: str = "127.0.0.1"
    webapp_port: int = Field(default=8444, ge=1, le=65535)
    webapp_max_age_s: int = Field(default=86400, ge=60, le=30 * 86400)

    @field_validator("telegram_bot_token", "webhook_secret", "database_url", mode="before")
    @classmethod
    def _empty_secret(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            head, sep, tail = value.get_secret_value().partition(":")
            if not (sep and head.isdigit() and len(tail) >= 20):
                raise ValueError("does not look like a bot token from @BotFather (digits:secret)")
        return value

    @field_validator("telegram_api_base_url", "telegram_api_file_url", "webhook_url", mode="before")
    @classmethod
    def _url(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not value.startswith(("http://", "https://")):
                raise ValueError("must start with http:// or https://")
        return value

    @field_validator("webapp_url", mode="before")
    @classmethod
    def _https(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not value.startswith("https://") or not urlparse(value).hostname:
                raise ValueError(
                    "must be the public https:// address of the map (Telegram opens only HTTPS)"
                )
        return value

    @model_validator(mode="after")
    def _ports(self) -> Settings:
        if self.webapp_url and self.webhook_url and self.webapp_port == self.webhook_port:
            raise ValueError(
                f"WEBAPP_PORT: {self.webapp_port} is WEBHOOK_PORT too; give the map its own port"
            )
        return self

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(POSTGRES_SCHEMES):
            raise ValueError("must start with postgresql:// (SQLite is chosen by DATABASE_PATH)")
        return value

    @property
    def database(self) -> str | Path:
        """Where the store is: the PostgreSQL URL when one is set, else the SQLite file."""
        return self.database_url.get_secret_value() if self.database_url else self.database_path

    @field_validator("default_language", mode="before")
    @classmethod
    def _lang(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("default_timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name like Europe/Warsaw)"
            ) from exc
        return value

    @field_validator("facilitator_allowlist", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            bad = [p for p in parts if not p.lstrip("-").isdigit()]
            if bad:
                raise ValueError(f"must be Telegram user ids separated by commas, not {bad[0]!r}")
            return [int(p) for p in parts]
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().upper()
            if value not in LOG_LEVELS:
                raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return value

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def log_level_number(self) -> int:
        return int(getattr(logging, self.log_level))


def database_of(settings: Any) -> str | Path:
    """The store a settings object names (tests hand in a namespace with only a path)."""
    named = getattr(settings, "database", None)
    return named if isinstance(named, str | Path) else Path(settings.database_path)


def load_settings(**overrides: object) -> Settings:
    """Read the settings; raise SettingsError naming the environment variable at fault."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "settings"
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{name}: {message}")
        raise SettingsError("Bad setting — " + "; ".join(problems)) from None
