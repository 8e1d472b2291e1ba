"""Numbers in the reader's language: units from a small catalogue, decimal separators and
plural forms per language (the map, and every counted line of the catalogs)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.demo.sample import sample_map
from flows.models import Kpi, KpiReading, PainPoint
from flows.texts import catalog, counted, languages, number, plural_form, plural_forms
from flows.texts.numbers import amount, unit_of
from renderers.content import build

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("lang", "value", "unit", "shown"),
    [
        ("en", 31.5, "RUB", "₽31.50"),
        ("ru", 31.5, "RUB", f"31,50{NBSP}₽"),
        ("ru", 31.5, "руб.", f"31,50{NBSP}₽"),
        ("pl", 1234.5, "zł", f"1{NBSP}234,50{NBSP}zł"),
        ("en", 25, "PLN", f"25{NBSP}zł"),  # a symbol in letters goes after the number
        ("en", 3.2, "%", "3.2%"),
        ("ru", 3.2, "%", f"3,2{NBSP}%"),
        ("ru", 7.5, "min", f"7,5{NBSP}мин"),
        ("pl", 7.5, "мин", f"7,5{NBSP}min"),
        ("ru", 3, "days", f"3{NBSP}дн."),
        ("en", 4.2, "/5", "4.2/5"),
        ("ru", 4.25, "/10", "4,25/10"),
        ("en", 41, "score", "41"),
        ("en", 12, "count", "12"),
        ("pl", 12, "шт.", "12"),
        ("en", 31.5, "money", "31.50"),  # a currency nobody named: no word "money"
        ("ru", 2.5, "visits", "2,5\u2009visits"),  # typed: kept as typed
    ],
)
def test_amounts_are_written_as_the_reader_writes_them(
    lang: str, value: float, unit: str, shown: str
) -> None:
    assert amount(lang, value, unit) == shown


def test_units_stored_in_any_language_are_read_back() -> None:
    for lang in languages():
        for kind in ("percent", "minutes", "days", "count"):
            assert unit_of(catalog(lang)[f"kpis.unit.{kind}"]).kind == kind, (lang, kind)
    assert unit_of("eur").arg == "EUR"
    assert unit_of("из 10").arg == "10"
    assert unit_of("").kind == ""


def test_decimal_separators_follow_the_language() -> None:
    assert number("en", 1234.5) == "1,234.5"
    assert number("ru", 1234.5) == f"1{NBSP}234,5"
    assert number("pl", 3.25) == "3,25"
    assert number("ru", 3.0) == "3"


def _kpi_map():
    jm = sample_map(1, template=None, density=0)
    tp_stage = jm.stages[0].id
    for name, unit, target, value in (
        ("Cost per lead", "RUB", 25.0, 31.5),
        ("Conversion", "%", 4.0, 3.2),
        ("Wait", "мин", 5.0, 7.5),
    ):
        kpi = Kpi(workshop_id=jm.workshop.id, stage_id=tp_stage, name=name, unit=unit)
        kpi.target = target
        jm.kpis.append(kpi)
        jm.readings.append(KpiReading(workshop_id=jm.workshop.id, kpi_id=kpi.id, value=value))
    return jm


def test_kpi_lines_on_the_map_use_the_readers_separators_and_units() -> None:
    jm = _kpi_map()
    lines = {
        lang: [e.paragraphs[1] for e in build(jm, lang).stages[0].lanes["kpis"]]
        for lang in ("en", "ru")
    }
    assert any(line.endswith("₽31.50 / target ₽25") for line in lines["en"]), lines
    ru = " ".join(lines["ru"])
    assert "31,50\u00a0₽" in ru and "3,2\u00a0%" in ru and "7,5\u00a0мин" in ru, ru
    assert "money" not in " ".join(lines["en"]) and not re.search(r"\d\.\d", ru), lines


@pytest.mark.parametrize(
    ("lang", "pains", "shown"),
    [
        ("en", 1, "1 pain point"),
        ("en", 4, "4 pain points"),
        ("ru", 1, "1 боль"),
        ("ru", 4, "4 боли"),
        ("ru", 5, "5 болей"),
        ("ru", 21, "21 боль"),
        ("pl", 1, "1 punkt bólu"),
        ("pl", 3, "3 punkty bólu"),
        ("pl", 5, "5 punktów bólu"),
        ("pl", 22, "22 punkty bólu"),
    ],
)
def test_the_map_summary_counts_in_the_right_plural_form(lang: str, pains: int, shown: str) -> None:
    jm = sample_map(1, template=None, density=0)
    jm.pains = [
        PainPoint(workshop_id=jm.workshop.id, stage_id=jm.stages[0].id, description="x")
        for _ in range(pains)
    ]
    summary = build(jm, lang).summary
    assert shown in summary.split(" · "), summary


FAMILY = re.compile(r"^(?P<key>.+)\.(?P<form>zero|one|two|few|many|other)$")
# samples that reach every CLDR form of ru and pl (one, few, many; other = fractions)
SAMPLES = (0, 1, 2, 3, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 1.5)


def _families(lang: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for key in catalog(lang):
        found = FAMILY.match(key)
        if found:
            out.setdefault(found["key"], set()).add(found["form"])
    return out


@pytest.mark.parametrize("lang", ["ru", "pl"])
def test_every_counted_catalog_line_has_each_plural_form_of_the_language(lang: str) -> None:
    families = _families(lang)
    assert "map.count.pains" in families and "people.orphans" in families
    for key, forms in families.items():
        assert set(plural_forms(lang)) <= forms, (lang, key, sorted(forms))
        assert key in _families("en"), key  # the English family exists too
        for n in SAMPLES:
            text = catalog(lang)[f"{key}.{plural_form(lang, n)}"]
            assert "{count}" in text, (lang, key, text)


@pytest.mark.parametrize("lang", ["ru", "pl"])
def test_the_forms_differ_where_the_language_differs(lang: str) -> None:
    """one, few and many are real translations, not copies of one another (except where
    no word of the line changes with the number: "3 без владельца")."""
    invariant = {"map.phone.no_owner"}
    for key in set(_families(lang)) - invariant:
        one, few, many = (counted(lang, key, n) for n in (1, 2, 5))
        forms = {one.replace("1", "#"), few.replace("2", "#"), many.replace("5", "#")}
        assert len(forms) >= 2, key


def test_map_lines_that_count_things_are_plural_families() -> None:
    """In the map's catalog a number of things never sits in a one-form line."""
    allowed = {"map.version", "map.page", "map.partial", "map.emotion.label", "map.more"}
    for key, text in catalog("ru").items():
        if key.startswith("map.") and not FAMILY.match(key) and key not in allowed:
            assert not re.search(r"\{(count|n|days|stages|pains|touchpoints)\}", text), key


def test_the_header_date_is_the_maps_own_not_the_render_date() -> None:
    jm = sample_map(2, template=None, density=0.5)
    edited = datetime(2025, 3, 4, 10, tzinfo=UTC)
    for item in (*jm.stages, *jm.notes, *jm.emotions, *jm.touchpoints, *jm.kpis, *jm.pains):
        item.updated_at = edited
    for item in (*jm.readings, *jm.ideas, *jm.personas):
        item.updated_at = edited
    jm.generated_at = datetime(2026, 12, 1, tzinfo=UTC)
    assert "2025-03-04" in build(jm, "en").subtitle


@pytest.mark.parametrize("lang", ["en", "ru", "pl"])
def test_every_unit_the_kpi_question_offers_is_read_back_by_the_map(lang: str) -> None:
    from types import SimpleNamespace

    from flows.steps import kpis

    ctx = SimpleNamespace(lang=lang)
    expected = {
        "percent": "percent",
        "count": "count",
        "minutes": "minutes",
        "days": "days",
        "score5": "score",
        "score10": "score",
    }
    for code, kind in expected.items():
        assert unit_of(kpis._unit(ctx, code)).kind == kind, (lang, code)
    own = kpis._unit(ctx, "currency")  # cost per lead: the language's own currency
    assert unit_of(own) == unit_of({"en": "USD", "ru": "RUB", "pl": "PLN"}[lang])
    assert amount(lang, 4.5, kpis._unit(ctx, "score5")).endswith("/5")
    assert kpis._unit(ctx, "visits") == "visits"  # typed: kept as typed


@pytest.mark.parametrize("lang", ["en", "ru", "pl"])
def test_the_unit_question_offers_the_languages_currency_first(lang: str) -> None:
    import asyncio
    from types import SimpleNamespace

    from flows.steps import kpis
    from flows.texts import has, t_plain

    options = asyncio.run(kpis._units(SimpleNamespace(lang=lang)))
    assert all(has(o.key, lang) for o in options)
    labels = [t_plain(lang, o.key, **o.params) for o in options]
    currencies = [o.value for o in options if o.key == "map.unit.option.currency"]
    assert currencies[0] == {"en": "USD", "ru": "RUB", "pl": "PLN"}[lang]
    assert {"₽ RUB", "zł PLN", "$ USD", "€ EUR"} & set(labels)
    assert len(set(labels)) == len(labels)
