"""Map rendering off the event loop: a process pool and a cache by content hash.

Rendering holds the GIL for hundreds of milliseconds, so the bot never renders on the
event loop: jobs run in a small process pool (spawned, so no threads or sockets of the
bot are forked). Results are cached on disk by a hash of the map's content and the
language, so pressing /map twice renders once.
"""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from flows.models import JourneyMap


@dataclass(frozen=True)
class RenderedMap:
    preview: Path  # Telegram photo-safe
    full: Path  # full resolution PNG
    pdf: Path


def content_key(journey: JourneyMap, lang: str) -> str:
    body = journey.model_dump_json(exclude={"generated_at"})
    return hashlib.sha256(f"{lang}\n{body}".encode()).hexdigest()[:24]


def _render_job(map_json: str, lang: str, folder: str) -> tuple[str, str, str]:
    from renderers.image import render_pdf, render_png, render_preview_png

    journey = JourneyMap.model_validate_json(map_json)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    preview = render_preview_png(journey, out / "preview.png", lang=lang)
    full = render_png(journey, out / "map.png", lang=lang)
    pdf = render_pdf(journey, out / "map.pdf", lang=lang)
    (out / "done").touch()
    return str(preview), str(full), str(pdf)


EXPORT_FORMATS = {"xlsx": "xlsx", "csv": "csv", "json": "json", "mermaid": "mmd", "pdf": "pdf"}
EXPORT_FORMATS["html"] = "html"  # the interactive map (renderers/html.py)


def _export_job(map_json: str, export_json: str, fmt: str, lang: str, target: str) -> str:
    import json

    from renderers.exports import to_csv, to_mermaid, to_xlsx
    from renderers.image import render_pdf

    journey = JourneyMap.model_validate_json(map_json)
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        to_xlsx(journey, path, lang=lang)
    elif fmt == "csv":
        to_csv(journey, path, lang=lang)
    elif fmt == "mermaid":
        path.write_text(to_mermaid(journey, lang=lang), encoding="utf-8")
    elif fmt == "pdf":
        render_pdf(journey, path, lang=lang)
    elif fmt == "html":
        from renderers.html import write_html

        history = json.loads(export_json).get("history") if export_json else None
        write_html(journey, path, lang=lang, history=history)
    else:
        path.write_text(
            json.dumps(json.loads(export_json), ensure_ascii=False, indent=2), encoding="utf-8"
        )
    return str(path)


class MapRenderer:
    def __init__(self, cache_dir: Path, workers: int = 1) -> None:
        self.cache_dir = Path(cache_dir)
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._pending: dict[str, asyncio.Future[RenderedMap]] = {}

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self._workers, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool

    async def render(self, journey: JourneyMap, lang: str) -> RenderedMap:
        key = content_key(journey, lang)
        folder = self.cache_dir / key
        if (folder / "done").exists():
            return RenderedMap(folder / "preview.png", folder / "map.png", folder / "map.pdf")
        if key not in self._pending:
            self._pending[key] = asyncio.ensure_future(self._run(journey, lang, folder, key))
        return await asyncio.shield(self._pending[key])

    async def _run(self, journey: JourneyMap, lang: str, folder: Path, key: str) -> RenderedMap:
        loop = asyncio.get_running_loop()
        try:
            paths = await loop.run_in_executor(
                self._executor(), _render_job, journey.model_dump_json(), lang, str(folder)
            )
        finally:
            self._pending.pop(key, None)
        return RenderedMap(*(Path(p) for p in paths))

    async def export(
        self, journey: JourneyMap, export_json: str, fmt: str, lang: str, target: Path
    ) -> Path:
        """One export file, made in the pool (XLSX and PDF are CPU work too)."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}")
        loop = asyncio.get_running_loop()
        path = await loop.run_in_executor(
            self._executor(),
            _export_job,
            journey.model_dump_json(),
            export_json,
            fmt,
            lang,
            str(target),
        )
        return Path(path)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
