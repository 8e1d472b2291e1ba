"""`cjm-bot demo --out DIR` plays the whole workshop and writes what it says it wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_demo_writes_the_export_and_prints_it(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--out", str(out), "--lang", "en"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads((out / "workshop.json").read_text(encoding="utf-8"))
    assert data["workshop"]["title"] == "Car buyer journey 2025"
    items = data["items"]
    assert len(items["touchpoint"]) == 8 and len(items["kpi_reading"]) == 8
    assert any(p["anonymous"] and p["author_id"] is None for p in items["pain"])
    assert f"Wrote {out / 'workshop.json'}" in done.stdout
    for line in done.stdout.splitlines():
        if line.startswith("Wrote "):
            assert Path(line.removeprefix("Wrote ")).exists()
    assert "Disagreement radar" in done.stdout


def test_demo_in_polish_plays_a_polish_workshop(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--out", str(out), "--lang", "pl"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads((out / "workshop.json").read_text(encoding="utf-8"))
    assert data["workshop"]["title"] == "Ścieżka klienta salonu samochodowego 2025"
    assert data["workshop"]["language"] == "pl"
    names = {tp["name"] for tp in data["items"]["touchpoint"]}
    assert {"Jazda próbna", "Infolinia serwisowa"} <= names and len(names) == 8
    assert f"Zapisano {out / 'workshop.json'}" in done.stdout  # the bot speaks Polish too
    assert "Radar rozbieżności" in done.stdout
    assert (out / "map.png").stat().st_size > 10_000
