"""Map rendering off the event loop: a process pool and a cache by content hash.

Rendering holds the GIL for hundreds of milliseconds, so the bot never renders on the
event loop: jobs run in a small process pool (spawned, so no threads or sockets of the
bot are forked). Results are cached on disk by a hash of the map's content and the
language, so pressing /map twice renders once.

``/map`` hands over the map as stored (``flows.workshop.queries.MapRows``: the items'
JSON, unparsed), so the bot's process makes no objects of thousands of items (their
garbage collection would hold the event loop); the worker parses it.

``/map`` sends the phone summary (a photo, or an album of them for a wide map) and then
the full PNG, so they are two jobs: the photos go out while the full map is still drawing
(each job builds the map's content once). No PDF is drawn for ``/map``: that is
``/export``'s.

A worker's memory grows with what it has drawn (matplotlib's and the allocator's
caches), so each job reports its resident size after it and its own peak while drawing
(the kernel's high-water mark, reset as the job starts), and the pool is replaced, warm,
once a worker has done ``RECYCLE_AFTER`` jobs, is left past ``RSS_LIMIT_MB`` or peaked
past ``PEAK_LIMIT_MB``: a job's peak is about what the worker held before it plus what a
large map takes to draw (renderers.image draws it in bands), so a worker that starts its
jobs lower peaks lower. The cache folder
is pruned to ``CACHE_LIMIT_MB`` after each render, oldest renders first.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from flows.models import JourneyMap
from flows.workshop.queries import MapRows, parse_map

log = logging.getLogger(__name__)

RECYCLE_AFTER = 40  # jobs a worker does before it is replaced
RSS_LIMIT_MB = 220.0  # a worker left past this after its job is replaced
PEAK_LIMIT_MB = 270.0  # a worker whose job peaked past this is replaced after it
CACHE_LIMIT_MB = 300.0  # the cache folder is pruned to this size
CACHE_KEEP = 4  # the newest renders are never pruned (one may be on its way to a chat)

PREVIEW, FULL = "preview.png", "map.png"


@dataclass(frozen=True)
class RenderedMap:
    preview: Path  # Telegram photo-safe
    full: Path  # full resolution PNG
    pdf: Path | None = None  # /map sends no PDF; /export makes one


def _dump(journey: JourneyMap) -> str:
    """The map's JSON without the moment it was read (the same map read twice is the same
    content), item by item: made in a thread, it lets the event loop run between items
    (one call for the whole map would hold the GIL for tens of milliseconds)."""
    parts = []
    for name in JourneyMap.model_fields:
        if name == "generated_at":
            continue
        value = getattr(journey, name)
        if isinstance(value, list):
            body = "[" + ",".join(v.model_dump_json() for v in value) + "]"
        elif isinstance(value, BaseModel):
            body = value.model_dump_json()
        else:
            body = json.dumps(value)
        parts.append(f"{json.dumps(name)}:{body}")
    return "{" + ",".join(parts) + "}"


def content_key(journey: JourneyMap, lang: str) -> str:
    return _key(_dump(journey), lang)


def _key(body: str, lang: str) -> str:
    return hashlib.sha256(f"{lang}\n{body}".encode()).hexdigest()[:24]


def _dump_and_key(journey: JourneyMap | MapRows, lang: str) -> tuple[str, str]:
    body = journey.body() if isinstance(journey, MapRows) else _dump(journey)
    return body, _key(body, lang)


# ------------------------------------------------------------------ in the worker


def _reset_peak() -> None:
    """Start this process's high-water mark afresh (Linux: VmHWM becomes VmRSS), so the
    peak a job reports is its own; where that is refused the peak is the process's."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _memory_mb() -> tuple[float, float]:
    """This process's resident size now and at its peak (MB) since :func:`_reset_peak`."""
    found = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                found[line[:5]] = int(line.split()[1]) / 1024
    except OSError:
        pass
    if len(found) == 2:
        return found["VmRSS"], found["VmHWM"]
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return peak, peak


def _trim() -> None:
    """Give freed memory back to the system (glibc keeps it otherwise)."""
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _map_of(map_json: str, generated_at: str) -> JourneyMap:
    return parse_map(map_json, generated_at)


def prune_cache(cache_dir: Path, limit_mb: float = CACHE_LIMIT_MB, keep: int = CACHE_KEEP) -> int:
    """Delete the oldest finished renders in ``cache_dir`` until it holds at most
    ``limit_mb``; the ``keep`` newest are kept whatever their size. Returns how many went."""
    folders = []
    for done in Path(cache_dir).glob("*/done"):
        try:
            stamp = done.stat().st_mtime
            size = sum(f.stat().st_size for f in done.parent.iterdir() if f.is_file())
        except OSError:
            continue
        folders.append((stamp, size, done.parent))
    folders.sort(key=lambda f: f[0], reverse=True)
    total = sum(size for _, size, _ in folders)
    dropped = 0
    for _, size, folder in reversed(folders[keep:]):
        if total <= limit_mb * 2**20:
            break
        shutil.rmtree(folder, ignore_errors=True)
        total -= size
        dropped += 1
    return dropped


def _render_job(
    map_json: str, generated_at: str, lang: str, folder: str, part: str
) -> tuple[str, float, float]:
    """One image of the map (``part``: the photo or the full PNG) into ``folder``; the
    worker's resident size after it and at its peak (MB)."""
    from renderers.image import render_png, render_preview_pngs

    _reset_peak()
    journey = _map_of(map_json, generated_at)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    if part == PREVIEW:
        path = render_preview_pngs(journey, out / PREVIEW, lang=lang)[0]  # and -2.png …
    else:
        path = render_png(journey, out / FULL, lang=lang)
        (out / "done").touch()
        prune_cache(out.parent)
    del journey
    _trim()
    return (str(path), *_memory_mb())


def _warm_job() -> tuple[float, float]:
    """The renderers imported before the first /map needs them."""
    import renderers.image  # noqa: F401

    return _memory_mb()


EXPORT_FORMATS = {"xlsx": "xlsx", "csv": "csv", "json": "json", "mermaid": "mmd", "pdf": "pdf"}
EXPORT_FORMATS["html"] = "html"  # the interactive map (renderers/html.py)


def _export_job(
    map_json: str, generated_at: str, export_json: str, fmt: str, lang: str, target: str
) -> str:
    from renderers.exports import to_csv, to_mermaid, to_xlsx
    from renderers.image import render_pdf

    journey = _map_of(map_json, generated_at)
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
    del journey
    _trim()
    return str(path)


# ------------------------------------------------------------------ in the bot


class MapRenderer:
    def __init__(
        self,
        cache_dir: Path,
        workers: int = 1,
        *,
        recycle_after: int = RECYCLE_AFTER,
        rss_limit_mb: float = RSS_LIMIT_MB,
        peak_limit_mb: float = PEAK_LIMIT_MB,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self._workers = workers
        self._recycle_after = recycle_after
        self._rss_limit_mb = rss_limit_mb
        self._peak_limit_mb = peak_limit_mb
        self._pool: ProcessPoolExecutor | None = None
        self._jobs = 0  # done by the current pool
        self._pending: dict[str, tuple[asyncio.Future[Path], asyncio.Future[Path]]] = {}
        self.last_worker_rss_mb = 0.0  # after the last job
        self.peak_worker_rss_mb = 0.0  # the largest any worker reached while drawing
        self.recycled = 0

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self._workers, mp_context=multiprocessing.get_context("spawn")
            )
            self._jobs = 0
        return self._pool

    async def warm_up(self) -> None:
        """Start the worker and load the renderers, so the first /map does not wait."""
        loop = asyncio.get_running_loop()
        rss, peak = await loop.run_in_executor(self._executor(), _warm_job)
        self.last_worker_rss_mb = rss
        self.peak_worker_rss_mb = max(self.peak_worker_rss_mb, peak)

    def _after_job(self, rss_mb: float, peak_mb: float) -> None:
        self.last_worker_rss_mb = rss_mb
        self.peak_worker_rss_mb = max(self.peak_worker_rss_mb, peak_mb)
        self._jobs += 1
        if (
            self._jobs < self._recycle_after * self._workers
            and rss_mb < self._rss_limit_mb
            and peak_mb < self._peak_limit_mb
        ):
            return
        log.info(
            "render worker replaced after %d jobs at %.0f MB (peak %.0f MB)",
            self._jobs,
            rss_mb,
            peak_mb,
        )
        old, self._pool = self._pool, None
        self.recycled += 1
        if old is not None:
            old.shutdown(wait=False)  # its running jobs finish; new ones go to the new pool
        # the next worker starts now, off the next /map's path
        warm = asyncio.get_running_loop().run_in_executor(self._executor(), _warm_job)
        warm.add_done_callback(_retrieve)

    async def _job(self, body: str, at: str, lang: str, folder: str, part: str) -> Path:
        loop = asyncio.get_running_loop()
        path, rss, peak = await loop.run_in_executor(
            self._executor(), _render_job, body, at, lang, folder, part
        )
        self._after_job(rss, peak)
        return Path(path)

    async def render(self, journey: JourneyMap, lang: str) -> RenderedMap:
        """The photo and the full PNG (both made before this returns)."""
        photo = await self.photo(journey, lang)
        return RenderedMap(photo.preview, await photo.full_png())

    async def photo(self, journey: JourneyMap | MapRows, lang: str) -> PhotoJob:
        """The photo, rendered (or from the cache); the full PNG is drawn meanwhile, in a
        job of its own (:meth:`PhotoJob.full_png` waits for it). A map as stored
        (:class:`MapRows`) is parsed by the worker only."""
        body, key = await asyncio.to_thread(_dump_and_key, journey, lang)
        folder = self.cache_dir / key
        if (folder / "done").exists():
            os.utime(folder / "done")  # recently used: pruned last
            return PhotoJob(folder / PREVIEW, folder / FULL, None)
        if key not in self._pending:
            args = (body, journey.generated_at.isoformat(), lang, str(folder))
            preview: asyncio.Future[Path] = asyncio.ensure_future(self._job(*args, PREVIEW))
            full: asyncio.Future[Path] = asyncio.ensure_future(self._job(*args, FULL))
            for job in (preview, full):
                job.add_done_callback(_retrieve)
            full.add_done_callback(lambda _: self._pending.pop(key, None))
            self._pending[key] = (preview, full)
        preview, full = self._pending[key]
        return PhotoJob(await asyncio.shield(preview), folder / FULL, full)

    async def export(
        self, journey: JourneyMap, export_json: str, fmt: str, lang: str, target: Path
    ) -> Path:
        """One export file, made in the pool (XLSX and PDF are CPU work too)."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}")
        loop = asyncio.get_running_loop()
        body = await asyncio.to_thread(_dump, journey)
        path = await loop.run_in_executor(
            self._executor(),
            _export_job,
            body,
            journey.generated_at.isoformat(),
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


@dataclass(frozen=True)
class PhotoJob:
    """The photo, rendered; the full PNG's path, and the job still drawing it (None: done)."""

    preview: Path
    full: Path
    pending: asyncio.Future[Path] | None

    @property
    def photos(self) -> list[Path]:
        """The phone summary's photos, in order: ``preview.png``, ``preview-2.png`` …"""
        return previews(self.preview)

    async def full_png(self) -> Path:
        if self.pending is not None:
            await asyncio.shield(self.pending)
        return self.full


def previews(first: Path) -> list[Path]:
    """``first`` and the numbered photos drawn beside it (renderers.image's names)."""
    out = [first]
    while (more := first.with_name(f"{first.stem}-{len(out) + 1}{first.suffix}")).exists():
        out.append(more)
    return out


def _retrieve(job: asyncio.Future[Any]) -> None:
    """A failed job's error is read (and raised to whoever awaits it), never left unread."""
    if not job.cancelled():
        job.exception()
