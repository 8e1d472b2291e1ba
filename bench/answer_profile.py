"""Where the CPU of a typed answer goes: the real Application in process (the fake Bot
API answered in process, no HTTP), the same seeded workshop and answers as
``bench.answer_cpu``, beside the echo bot the same way; then the bot under cProfile.

``python -m bench.answer_profile [answers] [out.prof]`` prints both figures and the top
functions (the in-process figures include the fake's own work, and no HTTP).
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application

from bench import echo_bot
from bench.answer_cpu import CYCLE, FIRST_USER, seed
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_transport import FakeRequest
from tests.bot.harness import TOKEN, BotHarness

PEOPLE = 10


async def _drive(app: Application, fake: FakeTelegram, answers: int, profile: Any) -> float:
    users = [FIRST_USER + i for i in range(PEOPLE)]

    async def one(k: int) -> None:
        for u in users:
            update = fake.text_update(u, CYCLE[k % len(CYCLE)].format(n=k // len(CYCLE), p=u))
            fake.updates.remove(update)
            await app.process_update(Update.de_json(update, app.bot))

    for k in range(len(CYCLE)):  # warm up
        await one(k)
    start = time.process_time()
    if profile is not None:
        profile.enable()
    for k in range(len(CYCLE), len(CYCLE) + answers // PEOPLE):
        await one(k)
    if profile is not None:
        profile.disable()
    return 1000 * (time.process_time() - start) / (answers // PEOPLE * PEOPLE)


async def bot_ms(folder: Path, answers: int, profile: cProfile.Profile | None = None) -> float:
    async with BotHarness(folder) as bot:
        await seed(Path(bot.settings.database_path), [FIRST_USER + i for i in range(PEOPLE)])
        return await _drive(bot.app, bot.telegram, answers, profile)


async def echo_ms(answers: int) -> float:
    fake = FakeTelegram()
    app = echo_bot.build(
        TOKEN, None, request=FakeRequest(fake), get_updates_request=FakeRequest(fake)
    )
    async with app:
        return await _drive(app, fake, answers, None)


def main(argv: list[str]) -> None:
    answers = int(argv[0]) if argv else 1000
    with tempfile.TemporaryDirectory() as folder:
        bot = asyncio.run(bot_ms(Path(folder), answers))
    echo = asyncio.run(echo_ms(answers))
    print(f"in process: bot {bot:.2f} ms, echo {echo:.2f} ms per answer ({bot / echo:.2f}x)")
    profile = cProfile.Profile()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(bot_ms(Path(folder), answers, profile))
    if len(argv) > 1:
        profile.dump_stats(argv[1])
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(r"(flows|storage|bot)/", 45)


if __name__ == "__main__":
    main(sys.argv[1:])
