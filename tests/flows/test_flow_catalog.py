"""Every message key the flows use exists in every language's catalog."""

from __future__ import annotations

import re
from pathlib import Path

from flows.steps.catalog import CATALOG as FLOWS
from flows.texts import catalog, languages

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(
    r'"((?:engine|progress|setup|join|home|sections|persona|stages|emotions|'
    r"touchpoints|owners|kpis|pains|ideas|status|access|facilitator|console|demo|"
    r'channel)\.[a-z0-9_.]+)"'
)


def _static_keys() -> set[str]:
    keys: set[str] = set()
    for flow in FLOWS.values():
        keys.add(flow.title_key)
        if flow.repeat:
            keys.add(f"{flow.name}.saved")
        if flow.loop is not None:
            keys.add(flow.loop.progress)
        for step in flow.steps:
            keys.add(step.ask_key)
            if step.exit_key:
                keys.add(step.exit_key)
    step_ids = {step.id for flow in FLOWS.values() for step in flow.steps}
    sources = [
        *(ROOT / "flows").rglob("*.py"),
        *(p for p in (ROOT / "bot").rglob("*.py") if p.parent.name != "demo"),
        ROOT / "bot" / "demo" / "play.py",
    ]
    for path in sources:
        found = LITERAL.findall(path.read_text(encoding="utf-8"))
        keys |= {k for k in found if k not in step_ids and not k.endswith((".", ".sqlite3"))}
    return keys


def test_every_static_key_exists_in_every_language() -> None:
    keys = _static_keys()
    assert len(keys) > 100
    for lang in languages():
        missing = sorted(k for k in keys if k not in catalog(lang))
        assert missing == [], f"{lang}: {missing[:20]}"


async def test_every_key_met_in_a_whole_workshop_exists(store) -> None:
    from bot.demo.play import play
    from flows.conversation.player import Player
    from flows.ports import FixedClock
    from tests.flows.flowkit import T0, make_engine

    clock = FixedClock(T0)
    engine = make_engine(store, clock)
    seen: set[str] = set()
    original = Player._keep

    def keep(self, out):  # type: ignore[no-untyped-def]
        for reply in out.replies:
            seen.add(reply.key)
            if reply.progress:
                seen.add(reply.progress.key)
            seen.update(b.label_key for row in reply.buttons for b in row if b.label_key)
        return original(self, out)

    Player._keep = keep  # type: ignore[method-assign]
    try:
        await play(engine, clock, "en")
    finally:
        Player._keep = original  # type: ignore[method-assign]
    assert len(seen) > 60
    for lang in languages():
        assert sorted(k for k in seen if k not in catalog(lang)) == []
