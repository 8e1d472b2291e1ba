"""Reading one stage's or one touchpoint's items (``list_where``) and the stored form of a
position (each loop's id list once), on both stores."""

from __future__ import annotations

import pytest

from flows.models import Kpi, PainPoint, Position, Touchpoint
from tests.backends import rows
from tests.builders import WorkshopBuilder


async def test_a_stage_s_items_are_its_live_ones_in_order(store) -> None:  # type: ignore[no-untyped-def]
    built = WorkshopBuilder("Narrow")
    first, second = built.stage("Visit"), built.stage("Buy")
    a = built.touchpoint(first, "Web shop")
    elsewhere = built.touchpoint(second, "Store")
    gone = built.touchpoint(first, "Old kiosk")
    b = built.touchpoint(first, "Hotline")
    built.delete(gone)
    web_kpi = built.kpi(a, "Conversion")
    built.kpi(b, "Wait time")
    pain = built.pain(first, "Slow page", touchpoint=a)
    other = WorkshopBuilder("Another")
    other_stage = other.stage("Visit")
    other.touchpoint(other_stage, "Theirs")
    await built.save(store)
    await other.save(store)

    async with store.read() as uow:
        found = await uow.items.list_where(built.id, Touchpoint, "stage_id", first.id)
        assert [t.name for t in found] == ["Web shop", "Hotline"]  # not the deleted one
        assert [t.id for t in found] == [a.id, b.id]
        assert [
            t.id for t in await uow.items.list_where(built.id, Touchpoint, "stage_id", second.id)
        ] == [elsewhere.id]
        firsts = await uow.items.list_where(built.id, Touchpoint, "stage_id", first.id, limit=1)
        assert [t.id for t in firsts] == [a.id]
        kpis = await uow.items.list_where(built.id, Kpi, "touchpoint_id", a.id)
        assert [k.id for k in kpis] == [web_kpi.id]
        pains = await uow.items.list_where(built.id, PainPoint, "stage_id", first.id)
        assert [p.id for p in pains] == [pain.id]
        assert await uow.items.list_where(built.id, Touchpoint, "stage_id", other_stage.id) == []
        with pytest.raises(ValueError, match="no field"):
            await uow.items.list_where(built.id, Touchpoint, "stage_id') OR 1=1 --", "x")


def _ids(prefix: str, n: int) -> str:
    return ",".join(f"{prefix}{i:08d}xyz" for i in range(n))


async def test_each_loop_s_id_list_is_stored_once_and_read_back_in_every_cursor(store) -> None:  # type: ignore[no-untyped-def]
    stages, touchpoints = _ids("s", 80), _ids("t", 500)
    history: list[dict[str, object]] = [
        {
            "flow": "touchpoints",
            "step": "touchpoints.name",
            "cursor": {"it": i, "ids": stages, "i": 79},
            "draft": {"_q": i},
        }
        for i in range(5)
    ]
    history += [
        {
            "flow": "kpis",
            "step": "kpis.values",
            "cursor": {"it": i, "ids": touchpoints, "i": i},
            "draft": {"name": f"K{i}"},
        }
        for i in range(25)
    ]
    position = Position(
        person_id="tg:1",
        workshop_id="w1",
        flow="kpis",
        step="kpis.name",
        cursor={"it": 26, "ids": touchpoints, "i": 25},
        draft={"_q": 3},
        history=history,
    )
    async with store.write() as uow:
        await uow.positions.save(position)
    [(raw,)] = await rows(store, "SELECT data FROM positions WHERE person_id = ?", "tg:1")
    assert str(raw).count(touchpoints) == 1 and str(raw).count(stages) == 1
    assert len(str(raw)) < len(touchpoints) + len(stages) + 6000  # not 30 copies

    async with store.read() as uow:
        back = await uow.positions.get("tg:1", "w1")
        listed = await uow.positions.of_workshop("w1")
    assert back is not None and back == position == listed[0]
    assert back.cursor["ids"] == touchpoints
    assert [e["cursor"]["ids"] for e in back.history] == [stages] * 5 + [touchpoints] * 25  # type: ignore[index]

    # saved again (a version later) from what was read: still once each
    async with store.write() as uow:
        await uow.positions.save(back)
    [(raw,)] = await rows(store, "SELECT data FROM positions WHERE person_id = ?", "tg:1")
    assert str(raw).count(touchpoints) == 1


async def test_a_large_draft_value_kept_through_a_stage_is_stored_once(store) -> None:  # type: ignore[no-untyped-def]
    """Each back step copies the draft: a stage's touchpoint names, kept through the stage,
    would be written 30 times; it is written once and every back step gets its own copy."""
    names = {f"tp{i:08}": f"Touchpoint number {i}" for i in range(25)}
    history: list[dict[str, object]] = [
        {
            "flow": "touchpoints",
            "step": "touchpoints.channel",
            "cursor": {"it": i, "ids": "s1,s2", "i": 0},
            "draft": {"_names": dict(names), "name": f"Typed {i}", "few": [1, 2]},
        }
        for i in range(30)
    ]
    position = Position(
        person_id="tg:2",
        workshop_id="w1",
        flow="touchpoints",
        step="touchpoints.name",
        cursor={"it": 31, "ids": "s1,s2", "i": 0},
        draft={"_names": dict(names)},
        history=history,
    )
    async with store.write() as uow:
        await uow.positions.save(position)
    [(raw,)] = await rows(store, "SELECT data FROM positions WHERE person_id = ?", "tg:2")
    assert str(raw).count("Touchpoint number 7") == 2  # the draft, and once for the history
    async with store.read() as uow:
        back = await uow.positions.get("tg:2", "w1")
    assert back is not None and back == position
    assert [e["draft"]["few"] for e in back.history] == [[1, 2]] * 30  # type: ignore[index]
    first, second = (e["draft"]["_names"] for e in back.history[:2])  # type: ignore[index]
    first["tp00000000"] = "changed after going back"
    assert second["tp00000000"] == "Touchpoint number 0"  # each step its own copy


async def test_a_position_stored_with_a_list_in_every_cursor_reads_as_it_was(
    store, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """How positions were stored before: the whole model as JSON, lists and all."""
    from storage import positions
    from storage.postgres import positions as pg_positions

    ids = _ids("t", 300)
    position = Position(
        person_id="tg:2",
        workshop_id="w1",
        flow="kpis",
        step="kpis.values",
        cursor={"it": 4, "ids": ids, "i": 2},
        history=[
            {
                "flow": "kpis",
                "step": "kpis.name",
                "cursor": {"it": 4, "ids": ids, "i": 2},
                "draft": {},
            }
        ],
    )
    with monkeypatch.context() as patched:
        for module in (positions, pg_positions):
            patched.setattr(module, "dump", lambda p: p.model_dump_json())
        async with store.write() as uow:
            await uow.positions.save(position)
    [(raw,)] = await rows(store, "SELECT data FROM positions WHERE person_id = ?", "tg:2")
    assert str(raw).count(ids) == 2 and "_lists" not in str(raw)  # the old form indeed

    async with store.read() as uow:
        back = await uow.positions.get("tg:2", "w1")
    assert back == position
