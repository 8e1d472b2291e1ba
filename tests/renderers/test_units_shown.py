"""A KPI's unit is never shown as the code it is stored as: the review card, the KPI
question and the spreadsheet write targets and readings as their reader does — "31,50 ₽",
"31,50 zł", "$31.50", "3,2 %" — with the language's decimal comma."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.telegram.review_cards import Cards
from flows.models import JourneyMap, Kpi, Review
from flows.review import card
from flows.texts import t_plain
from renderers.exports import to_csv, to_xlsx
from tests.builders import NOW, STALE, WorkshopBuilder

# lang -> (currency, the cost's target, the conversion's latest reading, the cost's)
SHOWN = {
    "en": ("USD", "$31.50", "3.2%", "$28"),
    "ru": ("RUB", "31,50\u00a0₽", "3,2\u00a0%", "28\u00a0₽"),
    "pl": ("PLN", "31,50\u00a0zł", "3,2%", "28\u00a0zł"),
}
SYMBOL = {"en": "$", "ru": "₽", "pl": "zł"}


def _workshop(lang: str) -> tuple[WorkshopBuilder, JourneyMap]:
    currency = SHOWN[lang][0]
    b = WorkshopBuilder("Shop", status="published", language=lang)
    stage = b.stage("Visit")
    owner = b.member("Olga", tg=100)
    tp = b.touchpoint(stage, "Checkout", owner=owner, confirmed=STALE)
    b.kpi(tp, "Cost per lead", unit=currency, target=31.5, readings=[(NOW, 28.0)])
    days = (NOW - timedelta(days=10), NOW)
    b.kpi(tp, "Conversion", unit="%", target=5, readings=zip(days, (2.5, 3.2), strict=True))
    return b, JourneyMap.from_items(b.workshop, b.items, at=NOW)


@pytest.mark.parametrize("lang", ["en", "ru", "pl"])
def test_the_kpi_question_and_the_saved_reading_speak_the_readers_units(lang: str) -> None:
    currency, target, rate, latest = SHOWN[lang]
    _, jm = _workshop(lang)
    cost, conversion = jm.kpis
    asked = card.kpi_question(cost, lang)
    assert asked == {"kpi": "Cost per lead", "unit": ", " + SYMBOL[lang], "target": target}
    assert card.kpi_value(conversion, 3.2, lang) == rate
    assert card.kpi_value(cost, 28, lang) == latest
    text = t_plain(lang, "review.kpi.ask", **asked)
    assert currency not in text and target in text


@pytest.mark.parametrize("lang", ["en", "ru", "pl"])
def test_the_review_card_shows_amounts_not_unit_codes(lang: str) -> None:
    currency, target, rate, latest = SHOWN[lang]
    b, jm = _workshop(lang)
    owner = b.members[0]
    review = Review(
        workshop_id=b.id, touchpoint_id=b.touchpoints[0].id, owner_id=owner.id, due_at=NOW
    )
    text, _ = Cards(jm).card(owner, review, lang)
    assert currency not in text
    assert latest in text and target in text and rate in text


@pytest.mark.parametrize("lang", ["en", "ru", "pl"])
def test_the_spreadsheet_writes_units_targets_and_readings_for_its_reader(
    tmp_path: Path, lang: str
) -> None:
    currency, target, rate, latest = SHOWN[lang]
    _, jm = _workshop(lang)
    book = load_workbook(to_xlsx(jm, tmp_path / "map.xlsx", lang=lang))
    cells = [
        str(c.value)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
    assert not [c for c in cells if currency in c]
    kpis = book[t_plain(lang, "map.sheet.kpis")[:31]]
    header = [c.value for c in kpis[1]]
    rows = {
        r[header.index(t_plain(lang, "map.col.name"))]: r
        for r in kpis.iter_rows(2, values_only=True)
    }
    unit, goal = (
        header.index(t_plain(lang, "map.col.unit")),
        header.index(t_plain(lang, "map.col.target")),
    )
    latest_col = header.index(t_plain(lang, "map.col.latest"))
    cost, conversion = rows["Cost per lead"], rows["Conversion"]
    assert cost[unit] == SYMBOL[lang] and cost[goal] == target
    assert cost[latest_col] == latest
    assert conversion[unit] == "%" and conversion[latest_col] == rate
    readings = book[t_plain(lang, "map.sheet.readings")[:31]]
    values = [r[1] for r in readings.iter_rows(2, values_only=True)]
    assert rate in values and latest in values
    # the CSV stays a machine's file: stable codes and plain numbers
    csv = to_csv(jm, tmp_path / "map.csv", lang=lang).read_text(encoding="utf-8-sig")
    assert f"{currency}" in csv and "31.5" in csv


def test_a_kpi_without_target_or_unit_reads_plainly() -> None:
    kpi = Kpi(workshop_id="w", name="Calls")
    assert card.kpi_question(kpi, "ru") == {"kpi": "Calls", "unit": "", "target": "—"}
    assert card.kpi_value(kpi, 1234.5, "ru").endswith("234,5")
    assert card.kpi_value(kpi, None, "ru") == "—"
    assert card.kpi_question(None, "en")["target"] == "—"


@pytest.mark.parametrize("lang", ["en", "ru", "pl"])
def test_what_changed_in_a_version_shows_readings_in_their_unit(lang: str) -> None:
    from bot.telegram.review_rounds import version_text
    from flows.models import MapVersion

    currency, target, _, latest = SHOWN[lang]
    version = MapVersion(
        workshop_id="w",
        number=2,
        changes=[
            f"version.change.kpi|name=Cost per lead|before=28|after=31.5|unit={currency}",
            "version.change.kpi|name=Visits|before=—|after=1200|unit=",
        ],
    )
    text = version_text(lang, "Shop", version)
    assert f"Cost per lead: {latest} → {target}" in text and currency not in text
    assert "Visits: — → 1" in text and "1200 " not in text
