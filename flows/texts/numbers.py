"""KPI units and amounts in the reader's language.

A KPI's ``unit`` is stored as a person chose or typed it: an ISO currency code (``RUB``),
a score's maximum (``/10``), ``%``, or a unit's word in any language of the catalogs
(``мин``, ``dni``, ``count``). :func:`unit_of` reads any of them back as one of a small
catalogue — currency (with its symbol), percent, minutes, days, score out of N, count —
and :func:`amount` writes a value in it for the reader: ``$31.50``, ``31,5 ₽``, ``7,5 мин``,
``4,2/5``. Anything else is kept as typed, after the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel.numbers import format_decimal, get_currency_symbol, list_currencies

from flows.texts import _locale, languages, number, t_plain

KINDS = ("currency", "percent", "minutes", "days", "score", "count")

# Words people type (or earlier versions stored) for a unit, besides the catalogs' own.
_ALIASES: dict[str, tuple[str, str]] = {
    **{w: ("percent", "") for w in ("%", "percent", "pct", "процент", "проценты", "procent")},
    **{
        w: ("minutes", "")
        for w in ("min", "min.", "mins", "minute", "minutes", "мин", "мин.", "минут", "минуты")
    },
    **{w: ("minutes", "") for w in ("minuta", "minuty", "minut")},
    **{w: ("days", "") for w in ("d", "day", "days", "дн", "дн.", "день", "дня", "дней", "дни")},
    **{w: ("days", "") for w in ("dzień", "dni", "dn.")},
    **{w: ("count", "") for w in ("count", "pcs", "шт", "шт.", "штук", "szt", "szt.", "sztuk")},
    **{w: ("score", "") for w in ("score", "points", "pts", "балл", "баллы", "баллов", "pkt")},
    **{w: ("currency", "") for w in ("money", "деньги", "pieniądze")},
    **{w: ("currency", "RUB") for w in ("₽", "руб", "руб.", "рубль", "рублей", "р.")},
    **{w: ("currency", "PLN") for w in ("zł", "zl", "złotych")},
    **{"€": ("currency", "EUR"), "$": ("currency", "USD"), "£": ("currency", "GBP")},
}
_SCORE = re.compile(r"^(?:/|out of|из|na|z)\s*(\d{1,4})$")
SYMBOLS = {"RUB": "₽", "PLN": "zł", "EUR": "€", "USD": "$", "GBP": "£", "UAH": "₴", "KZT": "₸"}
# the currencies a KPI's unit question offers, the language's own first
CURRENCIES = {"en": ("USD", "EUR", "GBP"), "ru": ("RUB", "USD", "EUR"), "pl": ("PLN", "EUR", "USD")}


@dataclass(frozen=True)
class Unit:
    kind: str  # one of KINDS, or "" for a unit kept as typed
    arg: str = ""  # a currency's ISO code, a score's maximum, or the typed text


@cache
def _catalog_words() -> dict[str, tuple[str, str]]:
    words: dict[str, tuple[str, str]] = {}
    for lang in languages():
        for kind in ("percent", "minutes", "days", "count"):
            for key in (f"kpis.unit.{kind}", f"map.unit.word.{kind}"):
                text = t_plain(lang, key)
                if text != key:
                    words[text.casefold()] = (kind, "")
    return words


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def unit_of(stored: str) -> Unit:
    """What a stored (or typed) unit means."""
    text = " ".join((stored or "").split())
    if not text:
        return Unit("")
    folded = text.casefold()
    if text.upper() in _currencies() and len(text) == 3 and text.isalpha():
        return Unit("currency", text.upper())
    found = _ALIASES.get(folded) or _catalog_words().get(folded)
    if found:
        return Unit(*found)
    score = _SCORE.match(folded)
    if score and int(score.group(1)) > 0:
        return Unit("score", score.group(1))
    return Unit("", text)


def symbol(code: str, lang: str) -> str:
    if code in SYMBOLS:
        return SYMBOLS[code]
    return get_currency_symbol(code, locale=_locale(lang))


def amount(lang: str, value: float, stored: str) -> str:
    """``value`` in its unit as the reader of ``lang`` writes it."""
    unit = unit_of(stored)
    if unit.kind == "currency":
        pattern = "#,##0" if float(value).is_integer() else "#,##0.00"  # 31.5 -> 31.50
        text = format_decimal(value, format=pattern, locale=_locale(lang))
        if not unit.arg:
            return text
        pattern = _locale(lang).currency_formats["standard"].pattern
        sign = symbol(unit.arg, lang)
        before = pattern.lstrip().startswith("¤") and not sign.isalpha()
        return f"{sign}{text}" if before else f"{text}\u00a0{sign}"
    if unit.kind == "score" and unit.arg:
        return f"{number(lang, value)}/{unit.arg}"
    if unit.kind in ("percent", "minutes", "days"):
        return t_plain(lang, f"map.unit.{unit.kind}", value=number(lang, value))
    if unit.kind in ("score", "count"):
        return number(lang, value)
    text = number(lang, value)
    return f"{text}\u2009{unit.arg}" if unit.arg else text


def label(lang: str, stored: str) -> str:
    """The unit's own name for the reader (a currency's symbol, "%", "min", "/10")."""
    unit = unit_of(stored)
    if unit.kind == "currency":
        return symbol(unit.arg, lang) if unit.arg else ""
    if unit.kind == "score":
        return f"/{unit.arg}" if unit.arg else ""
    if unit.kind in ("percent", "minutes", "days", "count"):
        return t_plain(lang, f"map.unit.word.{unit.kind}")
    return unit.arg
