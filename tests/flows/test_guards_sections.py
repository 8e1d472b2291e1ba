"""Finishing one's sections: the person is told; when the last colleague of a department
is done, the facilitators and the group hear that the department is (single finishes go
into the facilitators' daily summary, tests/flows/test_daily_summary.py);
the sections follow each other in the catalog's order, then home."""

from __future__ import annotations

from flows.models import ALL_SECTIONS, Member
from flows.steps.sections import HOME, onward
from storage.store import SqliteStore
from tests.flows.flowkit import T0, joined, make_engine, new_workshop

ORDER = [s.value for s in ALL_SECTIONS]


def test_the_sections_after_one_are_the_later_ones_then_home() -> None:
    assert onward(None) == (*ORDER, HOME)
    assert onward(ORDER[0]) == (*ORDER[1:], HOME)
    assert onward(ORDER[-1]) == (HOME,)
    assert onward("no-such-section") == (*ORDER, HOME)


def _notices(out) -> list[tuple[str, str, dict]]:  # type: ignore[no-untyped-def,type-arg]
    return [(r.kind, r.key, r.params) for r in out.requests if r.kind.startswith("notify_")]


async def test_the_last_of_a_department_to_finish_also_announces_the_department(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"], name="Pat")
    max_ = await joined(engine, "t:max", codes["marketing"], name="Max")
    await joined(engine, "t:sue", codes["sales"], name="Sue")  # another department, unfinished

    await pat.play({})
    finished = [o for o in pat.seen if "sections.all_done" in o.keys]
    assert len(finished) == 1
    assert _notices(finished[0]) == []  # one finish: the daily summary tells of it

    await max_.play({})
    (last,) = [o for o in max_.seen if "sections.all_done" in o.keys]
    department = {"department": "Marketing", "title": "Clinic journey"}
    assert _notices(last) == [
        ("notify_facilitators", "sections.notify.department_done", department),
        ("notify_group", "sections.notify.department_done", department),
    ]
    async with store.read() as uow:
        done = {m.name: m.finished_at for m in await uow.items.list(ws, Member)}
    assert done["Pat"] == T0 and done["Max"] == T0 and done["Sue"] is None

    before = len(pat.seen)
    await pat.press("persona")  # going through a section again announces nothing
    await pat.play({})
    assert len(pat.seen) > before and all(not _notices(o) for o in pat.seen[before:])
