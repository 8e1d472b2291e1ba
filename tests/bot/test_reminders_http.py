"""Reminders over real HTTP against a fake Bot API that enforces 30 messages a second:
paced under the limit, nobody twice, nobody missed, no 429 provoked."""

from __future__ import annotations

from pathlib import Path

from bench.reminders import measure


async def test_many_owners_are_reminded_once_each_within_telegrams_rate(tmp_path: Path) -> None:
    result = await measure(90, tmp_path)
    assert result["reminders_duplicates"] == 0
    assert result["reminders_lost"] == 0
    assert result["reminders_429"] == 0
    assert 20 <= result["reminders_msgs_per_s"] <= 30
