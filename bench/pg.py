"""PostgreSQL against SQLite, on a throwaway cluster (tests/pg_cluster.py).

``pg_answer_cpu_ratio_vs_sqlite``: the same typed answers (bench/answer_cpu.py's cycle:
a touchpoint's name, its channel, "yes", a description) through the engine on each store,
people side by side; the CPU of this process (the bot's side: the engine, the driver, the
SQLite thread) per answer on PostgreSQL divided by that on SQLite. The server's own CPU is
another process's and is not counted (SQLite has none).

``pg_two_instances_writes``: 50 people × 100 answers through two instances — two
processes, each with its own store on the same database, 25 people each, every answer with
its update id — then the answers recorded (``processed_updates``) are counted: 5,000, and
``pg_two_instances_errors`` answers that failed: 0.

``python -m bench pg``; ``BENCH_PG_ANSWERS`` answers per store (1000).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.answer_cpu import CYCLE, seed
from flows.conversation.engine import Answer
from flows.ports import SystemClock
from flows.steps.catalog import WorkshopEngine
from storage.open_store import open_store
from tests.pg_cluster import Cluster, run_now

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = 10


def _answer(person: int, k: int) -> Answer:
    return Answer.text(CYCLE[k % len(CYCLE)].format(n=k // len(CYCLE), p=person))


async def answers(database: str | Path, users: list[int], rounds: int) -> tuple[float, int]:
    """Each person answers ``rounds`` times, side by side; (CPU seconds, errors)."""
    await seed(database, users)
    store = await open_store(database)
    errors = 0
    try:
        engine = WorkshopEngine(store, SystemClock())
        started = time.process_time()
        for k in range(rounds):
            done = await asyncio.gather(
                *(engine.advance(f"tg:{u}", _answer(u, k), update_id=f"u{u}:{k}") for u in users),
                return_exceptions=True,
            )
            errors += sum(isinstance(d, BaseException) for d in done)
        return time.process_time() - started, errors
    finally:
        await store.close()


async def _recorded(url: str) -> int:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM processed_updates"))
    finally:
        await conn.close()


def run(total: int = 1000) -> dict[str, float]:
    cluster = Cluster.start()
    try:
        users = list(range(1, PEOPLE + 1))
        rounds = max(1, total // PEOPLE)
        with tempfile.TemporaryDirectory() as tmp:
            sqlite_cpu, _ = asyncio.run(answers(Path(tmp) / "bench.sqlite3", users, rounds))
        url = run_now(cluster.new_database(migrated=False))
        pg_cpu, _ = asyncio.run(answers(url, users, rounds))

        shared = run_now(cluster.new_database(migrated=False))
        instances = [
            subprocess.Popen(
                [sys.executable, "-m", "bench.pg", "instance", shared, str(first)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            for first in (1000, 2000)
        ]
        errors = sum(int((p.communicate(timeout=900)[0] or "1").strip()) for p in instances)
        stored = run_now(_recorded(shared))
    finally:
        cluster.stop()
    return {
        "pg_answer_cpu_ratio_vs_sqlite": round(pg_cpu / sqlite_cpu, 2),
        "pg_two_instances_writes": stored,
        "pg_two_instances_errors": errors,
    }


def from_env() -> dict[str, float]:
    return run(int(os.environ.get("BENCH_PG_ANSWERS", "1000")))


def _instance(url: str, first: int) -> int:
    """One instance: 25 people from ``first`` on answer 100 times; prints the errors."""
    users = list(range(first, first + 25))
    _, errors = asyncio.run(answers(url, users, 100))
    print(errors)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["instance"]:
        sys.exit(_instance(sys.argv[2], int(sys.argv[3])))
    print(from_env())
