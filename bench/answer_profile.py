"""Where the CPU of a typed answer goes: the real Application in process (the fake Bot
API answered in process, no HTTP), the same seeded workshop and answers as
``bench.answer_cpu``, under cProfile.

``python -m bench.answer_profile [answers] [out.prof]`` prints the top functions.
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

from telegram import Update

from bench.answer_cpu import CYCLE, FIRST_USER, seed
from tests.bot.harness import BotHarness


async def _answers(folder: Path, answers: int, profile: cProfile.Profile | None) -> float:
    users = [FIRST_USER + i for i in range(10)]
    async with BotHarness(folder) as bot:
        await seed(Path(bot.settings.database_path), users)

        async def one(k: int) -> None:
            for u in users:
                update = bot.telegram.text_update(u, CYCLE[k % len(CYCLE)].format(n=k, p=u))
                bot.telegram.updates.remove(update)
                await bot.app.process_update(Update.de_json(update, bot.app.bot))

        for k in range(len(CYCLE)):  # warm up
            await one(k)
        start = time.process_time()
        if profile is not None:
            profile.enable()
        for k in range(len(CYCLE), len(CYCLE) + answers // len(users)):
            await one(k)
        if profile is not None:
            profile.disable()
        return (time.process_time() - start) / answers


def main(argv: list[str]) -> None:
    answers = int(argv[0]) if argv else 1000
    with tempfile.TemporaryDirectory() as folder:
        per = asyncio.run(_answers(Path(folder), answers, None))
    print(f"{1000 * per:.2f} ms CPU per answer in process (no HTTP), unprofiled")
    profile = cProfile.Profile()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_answers(Path(folder), answers, profile))
    if len(argv) > 1:
        profile.dump_stats(argv[1])
    pstats.Stats(profile).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main(sys.argv[1:])
