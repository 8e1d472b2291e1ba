"""End to end over real HTTP: ``cjm-bot run`` in a subprocess polls a fake Bot API server
on loopback. A facilitator creates a workshop, marketing, sales and support join by
their links and finish their sections, the facilitator asks for /status and /map — and
in the middle the bot is killed with SIGKILL and restarted, and everyone continues at
the same question with nothing lost."""

from __future__ import annotations

from pathlib import Path

from bot.demo.script import SCRIPTS
from tests.bot.fake_telegram import png_size
from tests.bot.live import TOKEN, LiveBot
from tests.bot.telegram_player import TelegramPlayer, current_step, invite_codes, read_db

FACILITATOR = 10
STAFF = {"marketing": 21, "sales": 22, "support": 23}


def answers_in_db(db: Path) -> dict[str, int]:
    rows = read_db(
        db, "SELECT kind, count(*) AS n FROM items WHERE deleted_at IS NULL GROUP BY kind"
    )
    return {r["kind"]: r["n"] for r in rows}


def test_a_whole_workshop_over_http_with_a_crash_in_the_middle(tmp_path: Path) -> None:
    script = SCRIPTS["en"]
    with LiveBot(tmp_path) as bot:
        bot.telegram.user(FACILITATOR, "Olga", "en")
        first = bot.say(FACILITATOR, "/new")
        assert "question 1 of" in first["text"]
        facilitator = TelegramPlayer(bot, FACILITATOR, script["setup"])
        facilitator.play()
        links = bot.telegram.last(FACILITATOR)["text"]
        assert "https://t.me/cjm_test_bot?start=" in links
        codes = invite_codes(bot.db)
        assert set(codes) == set(STAFF)
        for code in codes.values():  # the facilitator got each stored code as a link
            assert f"https://t.me/cjm_test_bot?start={code}" in links

        players = {}
        for name, dept, position, answers in script["people"]:
            uid = STAFF[dept]
            bot.telegram.user(uid, name, "en")
            join = bot.say(uid, f"/start {codes[dept]}")
            assert script["setup"]["setup.title"][0] in join["text"]
            players[dept] = TelegramPlayer(
                bot,
                uid,
                {
                    "join.confirm": ["=yes"],
                    "join.name": [name],
                    "join.position": [position],
                    **answers,
                },
            )
        # everyone works for a while, then the bot dies mid-workshop
        for player in players.values():
            player.play(stop_after=25)
        where = {d: current_step(bot.db, p.user_id) for d, p in players.items()}
        stored = answers_in_db(bot.db)
        bot.kill()
        bot.start()
        assert answers_in_db(bot.db) == stored
        for dept, player in players.items():
            again = bot.say(player.user_id, "/continue")
            assert current_step(bot.db, player.user_id) == where[dept]
            assert again["reply_markup"] or again["text"]
            assert player.play() == "home.menu"

        stored = answers_in_db(bot.db)
        assert stored["touchpoint"] >= 6 and stored["pain"] >= 3 and stored["idea"] >= 2
        assert stored["kpi_reading"] >= 1 and stored["emotion"] >= 10

        bot.telegram.text_update(FACILITATOR, "/status")
        bot.wait_for(
            lambda: "Status of" in bot.telegram.last(FACILITATOR).get("text", ""), what="the status"
        )
        status = bot.telegram.last(FACILITATOR)["text"]
        for department in ("Marketing", "Sales", "Support"):
            assert department in status
        before = len(bot.telegram.sent(FACILITATOR, "sendPhoto"))
        bot.telegram.text_update(FACILITATOR, "/map")
        bot.wait_for(
            lambda: len(bot.telegram.sent(FACILITATOR, "sendPhoto")) > before,
            what="the map photo",
            timeout=90,
        )
        photo = bot.telegram.sent(FACILITATOR, "sendPhoto")[-1]
        data = next(iter(photo.files.values()))
        width, height = png_size(data)
        assert width + height <= 10_000 and len(data) > 10_000
    log = bot.output()
    assert "Traceback" not in log, log[-3000:]
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


def test_a_second_bot_on_the_same_database_refuses_to_start(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.bot.live import ROOT

    with LiveBot(tmp_path) as bot:
        second = subprocess.run(
            [sys.executable, "-m", "bot.cli", "run"],
            cwd=ROOT,
            env=bot.env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 3
        assert "already serving this database" in second.stderr
        assert bot.process is not None and bot.process.poll() is None  # the first goes on
