"""A writer process for the crash test: stores answers one transaction at a time and
prints each answer's id only after its commit returned."""

from __future__ import annotations

import asyncio
import sys

from flows.models import NoteLane, StageNote
from storage.store import SqliteStore


async def main(path: str, workshop_id: str, stage_id: str) -> None:
    store = await SqliteStore.open(path)
    n = 0
    while True:
        note = StageNote(
            workshop_id=workshop_id, stage_id=stage_id, lane=NoteLane.ACTIONS, text=f"answer {n}"
        )
        async with store.write() as uow:
            await uow.items.add(note)
        print(note.id, flush=True)
        n += 1


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
