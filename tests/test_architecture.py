"""Catalogs stay complete. (The dependency rules are import-linter contracts in
pyproject.toml, checked by ``make lint``.)"""

from __future__ import annotations

from pathlib import Path

from flows.texts import catalog, languages

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("telegram", "aiosqlite", "matplotlib", "apscheduler")


def test_every_language_has_every_message() -> None:
    langs = languages()
    assert {"en", "ru"} <= set(langs)
    keys = {lang: set(catalog(lang)) for lang in langs}
    for lang in langs:
        assert keys[lang] == keys["en"], (
            f"{lang}: missing {sorted(keys['en'] - keys[lang])[:10]}, "
            f"extra {sorted(keys[lang] - keys['en'])[:10]}"
        )


def test_catalog_placeholders_match_across_languages() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    en = catalog("en")
    for lang in languages():
        for key, text in catalog(lang).items():
            assert fields(text) == fields(en[key]), f"{lang}:{key}"
