"""Sending the map (the phone summary as a photo or an album, the full-resolution PNG as a
document) and the exports, as files in chat."""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

from telegram.ext import Application

from bot.telegram.delivery import send_album, send_file
from bot.telegram.render_pool import EXPORT_FORMATS
from bot.telegram.services import Services
from flows.texts import t
from flows.workshop.exports import ExportSource
from flows.workshop.queries import load_map_rows

log = logging.getLogger(__name__)


async def send_map(
    app: Application,
    chat_id: int,
    workshop_id: str,
    lang: str,
    *,
    person_id: str | None = None,
    persona: str | None = None,
) -> None:
    """The map (of one persona's, when ``persona`` names one of several)."""
    svc: Services = app.bot_data["services"]
    # unparsed: the render worker makes the map of it (no thousands of objects here)
    journey = await load_map_rows(svc.store, workshop_id, at=svc.clock.now(), persona=persona)
    photo = await svc.renderer.photo(journey, lang)
    caption = t(
        lang,
        "bot.map.caption",
        title=journey.workshop.title,
        version=journey.version,
        date=(journey.published_at or journey.generated_at).strftime("%Y-%m-%d"),
    )
    # the phone summary: one photo, or an album for a wide map (renderers.summary)
    sent = await send_album(app, chat_id, photo.photos, person_id=person_id, caption=caption)
    full = await photo.full_png()  # drawn while the photo went out
    if sent is not None and full.stat().st_size != photo.preview.stat().st_size:
        await send_file(
            app,
            chat_id,
            full,
            person_id=person_id,
            filename=f"cjm-map-v{journey.version}.png",
            caption=t(lang, "bot.map.full"),
        )


async def send_export(
    app: Application,
    chat_id: int,
    source: ExportSource,
    lang: str,
    person_id: str | None = None,
) -> None:
    """One export, made in the pool from what :func:`flows.workshop.exports.prepare_export`
    let the person have (only a facilitator's JSON export carries the full content)."""
    svc: Services = app.bot_data["services"]
    workshop, fmt = source.journey.workshop, source.format.value
    content = json.dumps(source.content) if source.content is not None else ""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"cjm-{workshop.id}.{EXPORT_FORMATS[fmt]}"
        path = await svc.renderer.export(source.journey, content, fmt, lang, target)
        await send_file(
            app,
            chat_id,
            path,
            person_id=person_id,
            filename=path.name,
            caption=t(lang, "bot.export.caption", title=workshop.title),
        )
