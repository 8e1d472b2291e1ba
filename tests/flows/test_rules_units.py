"""A KPI rule's message gives the latest reading and the target in the KPI's unit, as the
workshop's language writes them: "28 ₽" and "31,50 ₽", "28 zł" and "31,50 zł"."""

from __future__ import annotations

import pytest

from flows.models import RuleTrigger
from storage.store import SqliteStore
from tests.builders import NOW
from tests.flows.test_rules import DAY, World, rendered

SHOWN = {
    "en": ("USD", "$28", "$31.50"),
    "ru": ("RUB", "28\u00a0₽", "31,50\u00a0₽"),
    "pl": ("PLN", "28\u00a0zł", "31,50\u00a0zł"),
}


@pytest.mark.parametrize("lang", ["en", "ru", "pl"])
async def test_a_kpi_rule_speaks_the_kpis_unit(store: SqliteStore, lang: str) -> None:
    currency, latest, target = SHOWN[lang]
    w = World((RuleTrigger.KPI_MISSES, 2))
    w.b.workshop.language = lang
    w.kpi.unit, w.kpi.target = currency, 31.5
    await w.save(store)
    await w.add(store, w.reading(NOW - 2 * DAY, 20), w.reading(NOW - DAY, 28))
    owner_text, fac_text = rendered(await w.evaluate(store, NOW))
    for text in (owner_text, fac_text):
        assert latest in text and target in text and currency not in text
