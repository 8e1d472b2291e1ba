"""Several personas over real HTTP (``cjm-bot run`` polling the fake Bot API): /map asks
whose map, a button per persona; the press is answered and that persona's map arrives as
a photo. The map of one persona has its card only; the Persona sheet and the CSV list
every persona."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from bot.demo.script import SCRIPTS
from flows.models import JourneyMap, Persona, Workshop
from flows.workshop.personas import for_persona
from renderers.content import build
from renderers.exports import to_csv, to_xlsx
from tests.bot.live import LiveBot
from tests.bot.telegram_player import TelegramPlayer

FACILITATOR = 10
NAMES = ["Young family buying its first car", "Retired couple changing cars"]


def test_map_asks_whose_map_and_sends_that_personas(tmp_path: Path) -> None:
    setup = {**SCRIPTS["en"]["setup"], "setup.personas": [*NAMES, "!done"]}  # type: ignore[dict-item]
    with LiveBot(tmp_path) as bot:
        bot.telegram.user(FACILITATOR, "Olga", "en")
        bot.say(FACILITATOR, "/new")
        TelegramPlayer(bot, FACILITATOR, setup).play()
        asked = bot.say(FACILITATOR, "/map")
        assert asked["text"].startswith("Which persona's map?")
        buttons = bot.telegram.buttons(asked)
        assert [label for label, _ in buttons] == NAMES
        assert all(len(data.encode()) <= 64 for _, data in buttons)
        assert not bot.telegram.sent(FACILITATOR, "sendPhoto")  # nothing drawn yet
        answered = lambda: [c for c in bot.telegram.calls if c.method == "answerCallbackQuery"]  # noqa: E731
        before = len(answered())
        bot.telegram.press(FACILITATOR, asked["message_id"], buttons[1][1])
        bot.wait_for(
            lambda: bot.telegram.sent(FACILITATOR, "sendPhoto"), what="the map", timeout=90
        )
        assert len(answered()) == before + 1  # the press answered, once
        (photo,) = bot.telegram.sent(FACILITATOR, "sendPhoto")
        assert "Car buyer journey 2025" in photo.params["caption"]


def test_one_personas_map_has_its_card_and_the_exports_list_every_persona(
    tmp_path: Path,
) -> None:
    workshop = Workshop(title="Cars")
    ages = ("30", "70")
    personas = [
        Persona(workshop_id=workshop.id, name=n, age=a) for n, a in zip(NAMES, ages, strict=True)
    ]
    journey = JourneyMap(workshop=workshop, personas=personas)
    content = build(for_persona(journey, personas[1].id), "en")
    assert [card[0][0] for card in content.personas] == [NAMES[1]]
    assert len(build(journey, "en").personas) == 2

    book = openpyxl.load_workbook(to_xlsx(journey, tmp_path / "map.xlsx", lang="en"))
    sheet = next(s for s in book.worksheets if s.title.startswith("Persona"))
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value}
    assert set(NAMES) <= cells
    text = to_csv(journey, tmp_path / "map.csv", lang="en").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert set(NAMES) <= {cell for row in rows for cell in row}
