"""Message catalogs: gettext ``.po`` files per language, read with Babel.

Catalogs live in ``flows/texts/<lang>/<domain>.po``; every domain file of a language is
merged into one table. A message id is a dotted key (``setup.title.ask``), its ``msgstr``
the text with ``{named}`` parameters. ``t`` HTML-escapes the parameters (Telegram uses HTML
parse mode); ``t_plain`` does not (terminal, map image, exports).

Counts take the language's plural form (CLDR rules through Babel): a counted message is a
family of keys ``<key>.one``, ``.few``, ``.many``, ``.other`` (English needs ``one`` and
``other``), and :func:`counted` picks the member for a number. :func:`number` writes a
number with the language's decimal and group separators.
"""

from __future__ import annotations

import html
import string
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

FALLBACK = "en"
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


@cache
def languages() -> tuple[str, ...]:
    root = resources.files("flows.texts")
    return tuple(sorted(e.name for e in root.iterdir() if e.is_dir() and len(e.name) == 2))


@cache
def catalog(lang: str) -> dict[str, str]:
    table: dict[str, str] = {}
    folder = resources.files("flows.texts") / lang
    if not folder.is_dir():
        return table
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".po"):
            continue
        with entry.open("rb") as fh:
            for message in read_po(fh, locale=None):
                if message.id and message.string and isinstance(message.id, str):
                    if message.id in table:
                        raise ValueError(f"{lang}/{entry.name}: duplicate key {message.id}")
                    table[message.id] = str(message.string)
    return table


def normalize_language(code: str | None, default: str = FALLBACK) -> str:
    """'ru-RU' -> 'ru'; unknown languages fall back to the default."""
    if code:
        short = code.split("-")[0].split("_")[0].lower()
        if short in languages():
            return short
    return default if default in languages() else FALLBACK


def has(key: str, lang: str = FALLBACK) -> bool:
    return key in catalog(lang) or key in catalog(FALLBACK)


def _template(lang: str, key: str) -> str:
    text = catalog(lang).get(key)
    if text is None:
        text = catalog(FALLBACK).get(key)
    return key if text is None else text


class _Params(dict[str, Any]):
    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def _format(template: str, params: dict[str, Any]) -> str:
    return string.Formatter().vformat(template, (), _Params(params))


def t(lang: str, key: str, /, **params: Any) -> str:
    """The text for ``key`` in ``lang`` with HTML-escaped parameters."""
    escaped = {k: html.escape(str(v), quote=False) for k, v in params.items()}
    return _format(_template(lang, key), escaped)


def t_plain(lang: str, key: str, /, **params: Any) -> str:
    """The text for ``key`` in ``lang`` with parameters as they are (no HTML)."""
    return _format(_template(lang, key), {k: str(v) for k, v in params.items()})


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang if lang in languages() else FALLBACK)


def plural_forms(lang: str) -> tuple[str, ...]:
    """The plural forms ``lang`` distinguishes (CLDR), ``other`` last."""
    tags = _locale(lang).plural_form.tags
    return (*(f for f in PLURAL_FORMS if f in tags and f != "other"), "other")


def plural_form(lang: str, count: float) -> str:
    """``one``, ``few``, ``many`` or ``other``: the form of ``count`` in ``lang``."""
    return str(_locale(lang).plural_form(count))


def number(lang: str, value: float, digits: int = 2) -> str:
    """``value`` with the language's separators, at most ``digits`` decimals, trailing zeros
    dropped: 1,234.5 · 1 234,5 · 3,2."""
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def counted(lang: str, key: str, count: int, /, **params: Any) -> str:
    """``key.<plural form>`` of ``lang`` for ``count`` (falling back to ``key.other``),
    with ``{count}`` (and ``params``) filled in."""
    form = f"{key}.{plural_form(lang, count)}"
    return t_plain(lang, form if has(form, lang) else f"{key}.other", count=count, **params)
