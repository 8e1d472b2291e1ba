"""``cjm-bot migrate --to postgresql://...``: copy the SQLite database (``DATABASE_PATH``)
into PostgreSQL and verify each workshop there (storage/postgres/copy.py). Safe to run
again: nothing is copied twice. Stop the bot first; afterwards set ``DATABASE_URL``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from flows.texts import t_plain
from storage.db import Database
from storage.open_store import is_postgres
from storage.postgres.copy import Copied, copy_database
from storage.postgres.db import PgDatabase


async def migrate(source_path: Any, url: str) -> tuple[list[Copied], int]:
    source = await Database.open(source_path)
    try:
        target = await PgDatabase.open(url)
        try:
            return await copy_database(source, target)
        finally:
            await target.close()
    finally:
        await source.close()


def main(args: argparse.Namespace, settings: Any) -> int:
    lang = getattr(settings, "default_language", "en")
    if not is_postgres(args.to):
        print(t_plain(lang, "cli.migrate.not_postgres"), file=sys.stderr)
        return 2
    copied, people = asyncio.run(migrate(settings.database_path, args.to))
    for each in copied:
        result = "cli.migrate.same" if each.verified else "cli.migrate.different"
        print(
            t_plain(
                lang,
                "cli.migrate.workshop",
                workshop=each.workshop_id,
                items=each.items,
                audit=each.audit,
                positions=each.positions,
                digest=each.digest[:16],
                result=t_plain(lang, result),
            )
        )
    different = [each for each in copied if not each.verified]
    if different:
        print(t_plain(lang, "cli.migrate.failed", count=len(different)), file=sys.stderr)
        return 1
    print(t_plain(lang, "cli.migrate.done", workshops=len(copied), people=people))
    return 0
