from __future__ import annotations

from pathlib import Path

from tests.bot.live import LiveBot


def test_live_bot_survives_sigkill_and_resumes(tmp_path: Path) -> None:
    with LiveBot(tmp_path) as bot:
        bot.telegram.user(10, "Anna", "en")
        first = bot.say(10, "/new")
        assert "step 1" in first["text"]
        second = bot.say(10, "Car buyer journey")
        assert second["text"] != first["text"]
        bot.kill()
        bot.start()
        again = bot.say(10, "/continue")
        assert again["text"].split("\n")[-1] == second["text"].split("\n")[-1]
