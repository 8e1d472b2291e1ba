"""/map draws only what it sends (the photo and the full PNG, no PDF), each image's job
builds the map's content once, the render worker is replaced before its memory grows too
far, and the cache folder is kept to a size."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import renderers.image
import renderers.summary
from bot.demo.sample import sample_map
from bot.telegram import render_pool
from bot.telegram.render_pool import FULL, PREVIEW, MapRenderer, prune_cache
from tests.bot.harness import BotHarness
from tests.bot.workshop import FACILITATOR, create_workshop

FILES = ("sendPhoto", "sendDocument")


async def test_map_sends_the_photo_then_the_full_png_and_draws_no_pdf(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        await create_workshop(bot)
        await bot.say(FACILITATOR, "/map")
        sent = [c.method for c in bot.telegram.calls if c.method in FILES]
        assert sent[-2:] == ["sendPhoto", "sendDocument"]
        cache = bot.services.renderer.cache_dir
        assert list(cache.glob("*/preview.png")) and list(cache.glob("*/map.png"))
        assert not list(cache.glob("*/*.pdf"))
        await bot.say(FACILITATOR, "/map")  # from the cache: the same two files again
        sent = [c.method for c in bot.telegram.calls if c.method in FILES]
        assert sent[-4:] == ["sendPhoto", "sendDocument"] * 2
        assert len(list(cache.iterdir())) == 1


@pytest.mark.parametrize("part", [PREVIEW, FULL])
def test_each_image_builds_the_content_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part: str
) -> None:
    builds = []
    real = renderers.image.build

    def counting(*args: object, **kwargs: object) -> object:
        builds.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(renderers.image, "build", counting)
    monkeypatch.setattr(renderers.summary, "build", counting)  # the phone summary's
    jm = sample_map(12, template=None)
    body = render_pool._dump(jm)
    path, rss, peak = render_pool._render_job(
        body, jm.generated_at.isoformat(), "en", str(tmp_path / "k"), part
    )
    assert Path(path).name == part and Path(path).stat().st_size > 1000
    assert len(builds) == 1
    assert 0 < rss <= peak
    assert not list(tmp_path.glob("**/*.pdf"))


def _render(folder: Path, megabytes: int, age: int) -> Path:
    folder.mkdir(parents=True)
    (folder / "map.png").write_bytes(b"\0" * (megabytes * 2**20))
    (folder / "done").touch()
    stamp = 1_700_000_000 + age
    os.utime(folder / "done", (stamp, stamp))
    return folder


def test_the_cache_is_pruned_oldest_first_to_its_limit(tmp_path: Path) -> None:
    folders = [_render(tmp_path / f"k{i}", 3, i) for i in range(8)]  # k7 is the newest
    unfinished = tmp_path / "drawing"
    unfinished.mkdir()
    (unfinished / "preview.png").write_bytes(b"\0" * 2**20)
    assert prune_cache(tmp_path, limit_mb=10, keep=2) == 5
    assert [f.exists() for f in folders] == [False] * 5 + [True] * 3
    assert unfinished.exists()  # still being drawn: never pruned
    assert prune_cache(tmp_path, limit_mb=1, keep=2) == 1  # the newest two stay
    assert {f.name for f in tmp_path.iterdir()} == {"k6", "k7", "drawing"}


async def test_a_grown_worker_is_replaced_and_the_next_render_still_works(
    tmp_path: Path,
) -> None:
    renderer = MapRenderer(tmp_path, rss_limit_mb=1.0)  # every worker is "too big"
    try:
        jm = sample_map(3, template=None)
        first = await renderer.render(jm, "en")
        assert renderer.recycled >= 1
        jm.workshop.title = "Edited"
        second = await renderer.render(jm, "en")
        assert second.preview != first.preview and second.full.stat().st_size > 1000
        assert renderer.recycled >= 2
    finally:
        renderer.close()


async def test_workers_are_replaced_after_a_number_of_jobs(tmp_path: Path) -> None:
    renderer = MapRenderer(tmp_path, recycle_after=2)
    try:
        jm = sample_map(2, template=None)
        await renderer.render(jm, "en")  # two jobs: the photo and the full PNG
        assert renderer.recycled == 1
        jm.workshop.title = "Edited"
        assert (await renderer.render(jm, "en")).full.exists()
        assert renderer.recycled == 2
    finally:
        renderer.close()


async def test_a_worker_that_peaked_too_high_is_replaced(tmp_path: Path) -> None:
    renderer = MapRenderer(tmp_path, peak_limit_mb=1.0)  # every job peaks "too high"
    try:
        jm = sample_map(2, template=None)
        assert (await renderer.render(jm, "en")).full.exists()
        assert renderer.recycled == 2  # after the photo's job and after the full PNG's
        assert renderer.peak_worker_rss_mb >= renderer.last_worker_rss_mb > 1.0
    finally:
        renderer.close()


def test_a_job_reports_its_own_peak_not_the_process_s(tmp_path: Path) -> None:
    """The high-water mark is reset as a job starts: a job drawing a small map after one
    that held much more memory reports a peak near its own size."""
    import numpy as np

    held = np.ones(200 * 2**20 // 8)  # 200 MB touched, then given back
    del held
    render_pool._trim()
    body = render_pool._dump(sample_map(2, template=None))
    _, rss, peak = render_pool._render_job(
        body, "2026-03-02T09:30:00+00:00", "en", str(tmp_path / "k"), render_pool.PREVIEW
    )
    if Path("/proc/self/clear_refs").exists():
        assert peak < rss + 150  # not the 200 MB held before the job
    assert peak >= rss > 0
