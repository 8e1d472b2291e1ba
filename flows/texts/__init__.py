"""Message catalogs: gettext ``.po`` files per language, read with Babel.

Catalogs live in ``flows/texts/<lang>/<domain>.po``; every domain file of a language is
merged into one table. A message id is a dotted key (``setup.title.ask``), its ``msgstr``
the text with ``{named}`` parameters. ``t`` HTML-escapes the parameters (Telegram uses HTML
parse mode); ``t_plain`` does not (terminal, map image, exports).
"""

from __future__ import annotations

import html
import string
from functools import cache
from importlib import resources
from typing import Any

from babel.messages.pofile import read_po

FALLBACK = "en"


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
