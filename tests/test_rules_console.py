"""/rules in the terminal: the same flow, buttons numbered; members are refused."""

from __future__ import annotations

from pathlib import Path

from tests.test_console import SETUP, _session


async def test_a_facilitator_adds_a_rule_in_the_terminal(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    text = await _session(db, SETUP + "/rules\n1\n1\n1\n2\n", "anna")
    assert "Rules of «Clinic»" in text and "No rules yet" in text
    assert "✅ Rule added: When a KPI misses its target in 2 readings in a row" in text
    assert "1. When a KPI misses its target in 2 readings in a row" in text
    code = next(line.split(": ")[1] for line in text.splitlines() if line.startswith("• Sales: "))
    text = await _session(db, f"/join {code}\n1\nBoris\nNurse\n/rules\n", "boris")
    assert "Only the workshop's facilitators can do that." in text
    assert "Rules of «Clinic»" not in text
