"""A draft key starting with "__" caches what the current item shows (a stage's touchpoint
names): back steps do not copy it, so a long section keeps a small stored position; going
back within the item keeps it, going back to another item drops it."""

from __future__ import annotations

from types import SimpleNamespace

from flows.conversation import runner
from flows.models import Position


def _at(item: int, draft: dict[str, object]) -> SimpleNamespace:
    return SimpleNamespace(
        position=Position(
            person_id="tg:1",
            workshop_id="w1",
            flow="touchpoints",
            step="touchpoints.name",
            cursor={"ids": "s1,s2", "i": item, "it": item},
            draft=draft,
        )
    )


def test_back_steps_hold_no_cache_and_going_back_within_the_item_keeps_it() -> None:
    names = {f"tp{i}": f"Touchpoint {i}" for i in range(25)}
    ctx = _at(0, {"__names": names, "_added": {"tp99": "Mine"}, "name": "Kiosk"})
    runner.snapshot(ctx)  # type: ignore[arg-type]
    (entry,) = ctx.position.history
    assert entry["draft"] == {"_added": {"tp99": "Mine"}, "name": "Kiosk"}
    ctx.position.step = "touchpoints.channel"
    assert runner.restore(ctx)  # type: ignore[arg-type]
    assert ctx.position.step == "touchpoints.name"
    assert ctx.position.draft == {"_added": {"tp99": "Mine"}, "name": "Kiosk", "__names": names}


def test_going_back_to_another_item_drops_the_cache() -> None:
    ctx = _at(0, {"__names": {"tp1": "Stage one's"}, "name": "Kiosk"})
    runner.snapshot(ctx)  # type: ignore[arg-type]
    ctx.position.cursor = {"ids": "s1,s2", "i": 1, "it": 1}  # the next stage began
    ctx.position.draft = {"__names": {"tp2": "Stage two's"}}
    assert runner.restore(ctx)  # type: ignore[arg-type]
    assert ctx.position.cursor["i"] == 0
    assert ctx.position.draft == {"name": "Kiosk"}  # not stage two's names
