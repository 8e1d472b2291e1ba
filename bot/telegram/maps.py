"""Sending the map: a readable preview as a photo, the full-resolution PNG as a document."""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.telegram.services import Services
from flows.texts import t
from flows.workshop.queries import load_map

log = logging.getLogger(__name__)


async def send_map(app: Application, chat_id: int, workshop_id: str, lang: str) -> None:
    svc: Services = app.bot_data["services"]
    journey = await load_map(svc.store, workshop_id, at=svc.clock.now())
    rendered = await svc.renderer.render(journey, lang)
    caption = t(
        lang,
        "bot.map.caption",
        title=journey.workshop.title,
        version=journey.version,
        date=journey.generated_at.strftime("%Y-%m-%d"),
    )
    with rendered.preview.open("rb") as photo:
        await app.bot.send_photo(chat_id, photo, caption=caption)
    if rendered.full.stat().st_size != rendered.preview.stat().st_size:
        with rendered.full.open("rb") as document:
            await app.bot.send_document(
                chat_id,
                document,
                filename=f"cjm-map-v{journey.version}.png",
                caption=t(lang, "bot.map.full"),
            )
