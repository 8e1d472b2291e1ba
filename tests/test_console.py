"""A scripted terminal session: `cjm-bot console` reads lines until end of input."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from bot.terminal.console import run

ROOT = Path(__file__).resolve().parents[1]
SETUP = "/new\nClinic\n/skip\n1\n/done\n/done\n/done\n/done\nNervous patient\n/done\n3\n1\n#2\n1\n"


async def _session(db: Path, lines: str, name: str | None = None) -> str:
    out = io.StringIO()
    code = await run(db, "en", name, io.StringIO(lines), out)
    assert code == 0
    return out.getvalue()


async def test_console_sets_up_a_workshop_and_a_colleague_joins(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    text = await _session(db, SETUP + "/status\n", "anna")
    assert "No TELEGRAM_BOT_TOKEN is set" in text and ".env" in text
    assert "Workshop «Clinic» is created" in text
    assert "Status of «Clinic»" in text
    code = next(line.split(": ")[1] for line in text.splitlines() if line.startswith("• Sales: "))
    text = await _session(db, f"/join {code}\n1\nBoris\nNurse\n", "boris")
    assert "You are invited to the workshop «Clinic»" in text
    assert "Welcome, Boris!" in text
    assert "Persona «Nervous patient»: describe it in one message" in text
    # one line in the terminal holds several fields, separated by semicolons
    text = await _session(db, "Segment: nurses; Age: 30-40\n", "boris")
    assert "based on data or a hypothesis? (now: hypothesis)" in text
    # a restart continues at the same question
    text = await _session(db, "", "boris")
    assert text.count("is this description based on data or a hypothesis?") == 1
    text = await _session(db, "/status\n/publish\n", "boris")
    assert "Only the workshop's facilitators can do that." in text


async def test_errors_and_commands_in_the_console(tmp_path: Path) -> None:
    text = await _session(
        tmp_path / "c.db", "hello\n/new\n\n" + "x" * 1001 + "\n/bogus\n/help\n/back\n/quit\n"
    )
    assert "You are not in a conversation right now." in text
    assert "The answer is empty." in text
    assert "That is 1001 characters; the limit is 200" in text
    assert "Unknown command /bogus" in text
    assert "This is the first question" in text


def test_cjm_bot_console_subprocess_reads_stdin_until_eof(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "p.db"), "DEFAULT_LANGUAGE": "ru"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console", "--as", "olga"],
        input=SETUP,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "TELEGRAM_BOT_TOKEN не задан" in done.stdout
    assert "Воркшоп «Clinic» создан" in done.stdout
