"""Everything a handler needs, opened once in ``post_init`` and closed at shutdown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.render_pool import MapRenderer
from bot.settings import Settings
from flows.engine import Engine
from flows.ports import Clock, SystemClock
from storage.store import SqliteStore


@dataclass
class Services:
    settings: Settings
    store: SqliteStore
    engine: Engine
    renderer: MapRenderer
    clock: Clock

    @classmethod
    async def open(cls, settings: Settings, clock: Clock | None = None) -> Services:
        store = await SqliteStore.open(settings.database_path)
        clock = clock or SystemClock()
        engine = Engine(
            store, clock, text_limit=settings.text_limit, default_lang=settings.default_language
        )
        cache = Path(settings.database_path).parent / "maps"
        return cls(settings, store, engine, MapRenderer(cache), clock)

    async def close(self) -> None:
        self.renderer.close()
        await self.store.close()
