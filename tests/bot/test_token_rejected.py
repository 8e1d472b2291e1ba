"""A rejected token ends ``cjm-bot run`` with one clear line naming the setting, exit
code 2, no traceback — and the token appears nowhere: not on stdout, stderr or the log."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_transport import FakeBotApiServer
from tests.bot.live import ROOT, TOKEN, LiveBot


def _run(tmp_path: Path, base_url: str) -> subprocess.CompletedProcess[str]:
    env = LiveBot(tmp_path).env() | {"TELEGRAM_API_BASE_URL": base_url}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("revoked", "path", "says"),
    [
        (True, "/bot", "TELEGRAM_BOT_TOKEN was rejected by Telegram (401"),
        (False, "/wrong/bot", "TELEGRAM_API_BASE_URL"),
    ],
)
def test_a_rejected_token_is_one_line_and_never_shown(
    tmp_path: Path, revoked: bool, path: str, says: str
) -> None:
    telegram = FakeTelegram()
    telegram.revoked = revoked
    with FakeBotApiServer(telegram, TOKEN) as server:
        host, port = server.server.server_address[:2]
        done = _run(tmp_path, f"http://{host}:{port}{path}")
    assert done.returncode == 2
    assert says in done.stderr
    everything = done.stdout + done.stderr
    assert TOKEN not in everything and TOKEN.split(":")[1] not in everything
    assert "Traceback" not in everything
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    last = lines[-1]
    assert says in last
    assert not [line for line in lines if "ERROR" in line or "Error" in line], lines
