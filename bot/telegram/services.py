"""Everything a handler needs, opened once in ``post_init`` and closed at shutdown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.settings import Settings
from bot.telegram.render_pool import MapRenderer
from flows.ports import Clock, SystemClock
from flows.steps.catalog import WorkshopEngine
from storage.open_store import OpenStore, open_store


def invite_link(bot_username: str, code: str) -> str:
    """A Telegram deep link: opening it sends ``/start <code>`` to the bot."""
    return f"https://t.me/{bot_username}?start={code}"


@dataclass
class Services:
    settings: Settings
    store: OpenStore
    engine: WorkshopEngine
    renderer: MapRenderer
    clock: Clock

    @classmethod
    async def open(
        cls, settings: Settings, bot_username: str = "", clock: Clock | None = None
    ) -> Services:
        store = await open_store(settings.database)
        clock = clock or SystemClock()
        engine = WorkshopEngine(
            store,
            clock,
            text_limit=settings.text_limit,
            default_lang=settings.default_language,
            invite_link=lambda code: invite_link(bot_username, code),
            defaults={"timezone": settings.default_timezone},
        )
        cache = Path(settings.database_path).parent / "maps"
        return cls(settings, store, engine, MapRenderer(cache), clock)

    async def close(self) -> None:
        self.renderer.close()
        await self.store.close()
