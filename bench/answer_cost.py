"""``python -m bench cost``: what one answer costs as a workshop grows, and how large a
stored position gets.

Two workshops on SQLite, the same shape at two sizes: 10 touchpoints over 5 stages and
2,000 over 80 (four departments, one KPI and one pain point per two touchpoints). In each,
three participants answer through the engine, each in one loop, each in a department that
has only that section: touchpoints (a name, its channel), KPIs (a typed name, unit,
direction, "target / current") and pain points (a line with its evidence, a touchpoint,
the evidence kind, severity, not anonymous), pressing "Nothing to add" every few items so
the loop moves through its stages or touchpoints (and starting the loop again when it
ends). Only the ``engine.advance`` calls are timed, in process CPU (every thread: the
SQLite thread too), not wall time; starting a loop again (listing its stages or the
department's touchpoints, once per section) is not an answer and is not timed.

``answer_cpu_growth``: per loop, CPU per answer in the large workshop divided by that in
the small one; the figure is the worst of the three loops (``answer_cpu_growth_by_loop``
has each, ``answer_cpu_ms_small`` / ``answer_cpu_ms_large`` the milliseconds).
``position_bytes_max``: the largest stored position (bytes of its serialized form) seen
after any answer of those runs.

Each repetition starts from a fresh copy of the seeded database, small and large in turn,
so what the runs add stays small beside what was seeded. ``BENCH_COST_ANSWERS`` answers
per loop per repetition (60), ``BENCH_COST_REPEATS`` repetitions (8, after one warm-up).
"""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from flows.conversation import runner
from flows.conversation.engine import Answer, Outcome
from flows.conversation.spec import Ctx
from flows.models import (
    Channel,
    Department,
    EvidenceKind,
    Kpi,
    Member,
    PainPoint,
    Person,
    Section,
    Stage,
    Touchpoint,
    Workshop,
    WorkshopStatus,
)
from flows.ports import SystemClock
from flows.steps.catalog import WorkshopEngine
from storage.store import SqliteStore

LOOPS = ("touchpoints", "kpis", "pains")
SIZES = {"small": (5, 10), "large": (80, 2000)}  # stages, touchpoints
CHANNELS = [c.value for c in Channel]
PER_ITEM = {"touchpoints": 1, "kpis": 2, "pains": 2}  # items before "Nothing to add"


def person_of(loop: str) -> str:
    return f"tg:{100 + LOOPS.index(loop)}"


async def seed(path: Path, stages: int, touchpoints: int) -> str:
    """The workshop, and each loop's participant in their loop (at its first question)."""
    store = await SqliteStore.open(path)
    try:
        ws = Workshop(title="Answer cost", status=WorkshopStatus.COLLECTING, language="en")
        depts = [
            Department(workshop_id=ws.id, name="Touchpoints", sections=[Section.TOUCHPOINTS]),
            Department(workshop_id=ws.id, name="KPIs", sections=[Section.KPIS]),
            Department(workshop_id=ws.id, name="Pains", sections=[Section.PAINS]),
            Department(workshop_id=ws.id, name="Others", sections=[]),
        ]
        async with store.write() as uow:
            await uow.workshops.add(ws)
            for dept in depts:
                await uow.items.add(dept)
            stage_list = [
                Stage(workshop_id=ws.id, order=i, name=f"Stage {i + 1}") for i in range(stages)
            ]
            for stage in stage_list:
                await uow.items.add(stage)
            for n in range(touchpoints):
                stage = stage_list[n % stages]
                tp = Touchpoint(
                    workshop_id=ws.id,
                    stage_id=stage.id,
                    name=f"Touchpoint {n} with a name of ordinary length",
                    channel=CHANNELS[n % len(CHANNELS)],
                    department_id=depts[n % len(depts)].id,
                    description="What happens here, in a sentence or two, as people write it.",
                )
                await uow.items.add(tp)
                if n % 2 == 0:
                    await uow.items.add(
                        Kpi(
                            workshop_id=ws.id,
                            touchpoint_id=tp.id,
                            stage_id=stage.id,
                            name=f"Conversion {n}",
                            unit="%",
                            target=5.0,
                        )
                    )
                else:
                    await uow.items.add(
                        PainPoint(
                            workshop_id=ws.id,
                            stage_id=stage.id,
                            touchpoint_id=tp.id,
                            description=f"Pain point {n}: people wait too long",
                            evidence_kind=EvidenceKind.ANALYTICS,
                            department_id=depts[n % len(depts)].id,
                        )
                    )
            for loop, dept in zip(LOOPS, depts, strict=False):
                pid = person_of(loop)
                await uow.people.save(Person(id=pid, name=loop, chat_id=1, language="en"))
                await uow.items.add(
                    Member(workshop_id=ws.id, person_id=pid, name=loop, department_id=dept.id)
                )
        engine = WorkshopEngine(store, SystemClock())
        for loop in LOOPS:
            await enter(engine, loop, ws.id)
        return ws.id
    finally:
        await store.close()


async def enter(engine: WorkshopEngine, loop: str, workshop_id: str) -> Outcome:
    async def begin(ctx: Ctx) -> None:
        await runner.enter(ctx, loop)

    out = await engine.start(person_of(loop), begin, workshop_id=workshop_id)
    assert out.prompt is not None and (out.prompt.step or "").startswith(loop + "."), out
    return out


@dataclass
class Script:
    """A participant's next answer, from the question they are at."""

    loop: str
    n: int = 0
    items: int = 0  # items added at the current stage or touchpoint

    def answer(self, out: Outcome) -> Answer:
        prompt = out.prompt
        assert prompt is not None
        step, token = prompt.step or "", prompt.token
        values = [b.value for row in prompt.buttons for b in row]
        options = [v for v in values if not v.startswith("!")]

        def press(value: str) -> Answer:
            return Answer.button(value, token)

        self.n += 1
        n = self.n
        if step.endswith((".name", ".description")):  # the first question of an item
            if self.items >= PER_ITEM[self.loop]:
                self.items = 0
                return press("!next")
            self.items += 1
            if self.loop == "touchpoints":
                return Answer.text(f"Kiosk {n} — in the hall")
            if self.loop == "kpis":
                return Answer.text(f"Calls answered {n}")
            return Answer.text(f"Queue at the desk {n} — timed {n} deals")
        typed = {
            "touchpoints.channel": "website",
            "kpis.unit": "count",
            "kpis.values": "50 / 42",
        }
        if step in typed:
            return Answer.text(typed[step])
        chosen = {
            "kpis.direction": "higher",
            "pains.evidence_kind": "analytics",
            "pains.severity": "2",
            "pains.anonymous": "n",
        }
        if step in chosen:
            return press(chosen[step])
        if options:
            return press(options[0])
        return press("!skip")


@dataclass
class Tally:
    cpu: dict[str, float] = field(default_factory=lambda: dict.fromkeys(LOOPS, 0.0))
    answers: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LOOPS, 0))
    position_bytes: int = 0


def _position_bytes(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT MAX(LENGTH(CAST(data AS BLOB))) FROM positions").fetchone()
    return int(row[0] or 0)


async def play(db: Path, workshop_id: str, answers: int, tally: Tally | None) -> None:
    """Each loop's participant answers ``answers`` times (in turn); counted into ``tally``."""
    store = await SqliteStore.open(db)
    try:
        engine = WorkshopEngine(store, SystemClock())
        scripts = {loop: Script(loop) for loop in LOOPS}
        last = {loop: await engine.resume(person_of(loop)) for loop in LOOPS}
        gc.collect()
        for _ in range(answers):
            for loop in LOOPS:
                out = last[loop]
                if out.prompt is None or not (out.prompt.step or "").startswith(loop + "."):
                    out = await enter(engine, loop, workshop_id)  # the loop ended: again
                    scripts[loop].items = 0
                answer = scripts[loop].answer(out)
                started = time.process_time()
                last[loop] = await engine.advance(person_of(loop), answer)
                spent = time.process_time() - started
                if tally is not None:
                    tally.cpu[loop] += spent
                    tally.answers[loop] += 1
                    tally.position_bytes = max(tally.position_bytes, _position_bytes(db))
    finally:
        await store.close()


def measure(folder: Path, answers: int, repeats: int) -> dict[str, object]:
    seeded: dict[str, tuple[Path, str]] = {}
    for size, (stages, tps) in SIZES.items():
        path = folder / f"{size}.sqlite3"
        seeded[size] = (path, asyncio.run(seed(path, stages, tps)))
    tallies = {size: Tally() for size in SIZES}
    for rep in range(repeats + 1):  # the first is a warm-up
        order = list(SIZES) if rep % 2 == 0 else list(reversed(SIZES))
        for size in order:
            source, workshop_id = seeded[size]
            db = folder / f"run-{rep}-{size}.sqlite3"  # a new name: no WAL of an earlier run
            shutil.copyfile(source, db)
            asyncio.run(play(db, workshop_id, answers, tallies[size] if rep else None))
    ms = {
        size: {loop: 1000 * t.cpu[loop] / max(t.answers[loop], 1) for loop in LOOPS}
        for size, t in tallies.items()
    }
    growth = {loop: ms["large"][loop] / ms["small"][loop] for loop in LOOPS}
    return {
        "answer_cpu_growth": round(max(growth.values()), 2),
        "answer_cpu_growth_by_loop": {k: round(v, 2) for k, v in growth.items()},
        "answer_cpu_ms_small": {k: round(v, 2) for k, v in ms["small"].items()},
        "answer_cpu_ms_large": {k: round(v, 2) for k, v in ms["large"].items()},
        "answer_cost_answers": sum(tallies["large"].answers.values()),
        "position_bytes_max": max(t.position_bytes for t in tallies.values()),
        "answer_cost_load_1m": round(os.getloadavg()[0], 2),  # the machine meanwhile
    }


def run(answers: int = 60, repeats: int = 8) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        return measure(Path(folder), answers, repeats)


def from_env() -> dict[str, object]:
    return run(
        answers=int(os.environ.get("BENCH_COST_ANSWERS", "60")),
        repeats=int(os.environ.get("BENCH_COST_REPEATS", "8")),
    )


if __name__ == "__main__":
    print(from_env())
