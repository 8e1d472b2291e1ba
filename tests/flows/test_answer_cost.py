"""An answer in a section loop costs what its stage or touchpoint holds, not what the
workshop holds: it reads only the current stage's touchpoints and pain points and the
current touchpoint's KPIs; and the stored position stays small however long the loop
and its back-history get (each loop's id list is stored once), while a position stored
the old way still resumes and goes back as before."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from flows.conversation import runner
from flows.conversation.engine import Answer, Outcome
from flows.conversation.spec import Ctx
from flows.models import Kpi, PainPoint, Section, Stage, Touchpoint
from flows.steps.catalog import WorkshopEngine
from tests.backends import rows
from tests.builders import WorkshopBuilder
from tests.flows.flowkit import make_engine

STAGES, PER_STAGE = 6, 40  # 240 touchpoints, four departments
LOOPS = {"touchpoints": 1, "kpis": 2, "pains": 3}  # loop -> Telegram user


async def _workshop(store: Any) -> WorkshopBuilder:
    built = WorkshopBuilder("Big", language="en")
    depts = {loop: built.department(name=loop.title(), sections=[Section(loop)]) for loop in LOOPS}
    others = built.department(name="Others", sections=[])
    for loop, tg in LOOPS.items():
        built.member(loop.title(), tg=tg, department=depts[loop], language="en")
    cycle = [*depts.values(), others]
    n = 0
    for s in range(STAGES):
        stage = built.stage(f"Stage {s + 1}")
        for _ in range(PER_STAGE):
            tp = built.touchpoint(stage, f"Touchpoint {n}", department_id=cycle[n % 4].id)
            built.kpi(tp, f"Conversion {n}", unit="%")
            built.pain(stage, f"Pain {n}", touchpoint=tp)
            n += 1
    return await built.save(store)


async def _enter(engine: WorkshopEngine, loop: str, workshop_id: str) -> Outcome:
    async def begin(ctx: Ctx) -> None:
        await runner.enter(ctx, loop)

    return await engine.start(f"tg:{LOOPS[loop]}", begin, workshop_id=workshop_id)


def _answer(out: Outcome, n: int) -> Answer:
    """A participant's answer: a new item, its channel or unit, a value, else an option."""
    prompt = out.prompt
    assert prompt is not None
    typed = {
        "touchpoints.name": f"Kiosk {n} — in the hall",
        "touchpoints.channel": "website",
        "kpis.name": f"Calls answered {n}",
        "kpis.unit": "count",
        "kpis.values": "50 / 42",
        "pains.description": f"Queue {n} — timed it",
    }
    pressed = {"pains.anonymous": "n"}  # an anonymous one leaves no back-history
    if prompt.step in pressed:
        return Answer.button(pressed[prompt.step], prompt.token)
    if prompt.step in typed:
        return Answer.text(typed[prompt.step])
    options = [b.value for row in prompt.buttons for b in row if not b.value.startswith("!")]
    return Answer.button(options[0], prompt.token)


@contextmanager
def _parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How many touchpoints, KPIs and pain points the store parses meanwhile."""
    counts: Counter[str] = Counter()
    with monkeypatch.context() as patched:
        for cls in (Touchpoint, Kpi, PainPoint):
            original = cls.model_validate_json

            def counted(raw: Any, *args: Any, _cls: Any = cls, _orig: Any = original) -> Any:
                counts[_cls.kind] += 1
                return _orig(raw, *args)

            patched.setattr(cls, "model_validate_json", counted)
        yield counts


async def test_an_answer_reads_the_current_stage_s_items_not_the_workshop_s(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = await _workshop(store)
    engine = make_engine(store)
    for loop, tg in LOOPS.items():
        out = await _enter(engine, loop, built.id)
        most = 0
        for n in range(10):  # through a few stages or touchpoints, each item stored
            with _parsed(monkeypatch) as counts:
                out = await engine.advance(f"tg:{tg}", _answer(out, n))
            assert out.prompt is not None and out.prompt.step.startswith(loop), out
            most = max(most, sum(counts.values()))
        # a stage holds 40 touchpoints and 40 pain points, the workshop 240 of each
        assert 0 < most <= 2 * PER_STAGE + 10, (loop, most)
    async with store.read() as uow:
        added = await uow.items.list(built.id, Touchpoint)
    assert len(added) > STAGES * PER_STAGE  # the answers were stored


async def _stored(store: Any, person: str) -> str:
    [(raw,)] = await rows(store, "SELECT data FROM positions WHERE person_id = ?", person)
    return str(raw)


async def test_the_stored_position_stays_small_as_a_long_loop_goes_on(store: Any) -> None:
    built = await _workshop(store)
    engine = make_engine(store)
    out = await _enter(engine, "kpis", built.id)
    async with store.read() as uow:
        position = await uow.positions.get("tg:2", built.id)
    assert position is not None
    ids = str(position.cursor["ids"])
    assert len(ids.split(",")) == STAGES * PER_STAGE // 4  # the department's touchpoints
    sizes = []
    for n in range(60):
        out = await engine.advance("tg:2", _answer(out, n))
        assert out.prompt is not None and out.prompt.step.startswith("kpis."), out
        raw = await _stored(store, "tg:2")
        assert raw.count(ids) == 1
        sizes.append(len(raw))
    async with store.read() as uow:
        position = await uow.positions.get("tg:2", built.id)
    assert position is not None and len(position.history) == runner.HISTORY_LIMIT
    assert all(e["cursor"]["ids"] == ids for e in position.history)  # type: ignore[index]
    assert max(sizes) < len(ids) + 12_000  # 30 copies of the list would be 30 times it
    assert max(sizes[30:]) < min(sizes[30:]) + 2_000  # a full back-history: no growth


async def test_a_position_stored_the_old_way_resumes_and_goes_back(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage import positions
    from storage.postgres import positions as pg_positions

    built = await _workshop(store)
    engine = make_engine(store)
    with monkeypatch.context() as patched:  # positions as stored before: lists everywhere
        for module in (positions, pg_positions):
            patched.setattr(module, "dump", lambda p: p.model_dump_json())
        out = await _enter(engine, "pains", built.id)
        steps = []
        for n in range(7):
            steps.append(out.prompt.step if out.prompt else None)
            out = await engine.advance("tg:3", _answer(out, n))
        old = await _stored(store, "tg:3")
    assert "_lists" not in old
    async with store.read() as uow:
        stage_ids = ",".join(
            s.id for s in sorted(await uow.items.list(built.id, Stage), key=lambda s: s.order)
        )
    assert old.count(stage_ids) == 8  # the cursor and each of the seven history entries

    again = make_engine(store)  # a restart
    resumed = await again.resume("tg:3")
    assert resumed.prompt is not None and out.prompt is not None
    assert (resumed.prompt.step, resumed.prompt.params) == (out.prompt.step, out.prompt.params)
    assert resumed.prompt.progress == out.prompt.progress
    back = await again.back("tg:3")
    assert back.prompt is not None and back.prompt.step == steps[-1]
    assert back.prompt.progress is not None and back.prompt.progress.params["i"] == 2
    new = await _stored(store, "tg:3")
    assert "_lists" in new and new.count(stage_ids) == 1  # stored compact when saved again
    forward = await again.advance("tg:3", _answer(back, 99))
    assert forward.prompt is not None and forward.prompt.step.startswith("pains.")
