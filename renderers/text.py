"""Text without drawing: clean user text for the font, measure it, wrap it.

Widths come from the DejaVu Sans font files that ship with matplotlib, one glyph advance
per character (cached), so the layout wraps hundreds of cells without asking a renderer.
Characters DejaVu lacks (emoji, pictographs) are drawn with a monochrome fallback font
when the system has one (Symbola: Debian's ``fonts-symbola``; Noto Emoji; Noto Sans
Symbols 2); a character no font has becomes a visible placeholder (□), never nothing.
Matplotlib draws a multi-line text of ``n`` lines at ``size`` points exactly
``n * LINE_SPACING * size`` points tall, which the layout relies on.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font, LoadFlags

FAMILY = "DejaVu Sans"
# monochrome fonts for what DejaVu lacks, by family, and where Debian puts their files
FALLBACKS = (
    ("Symbola", "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"),
    ("Noto Emoji", "/usr/share/fonts/truetype/noto/NotoEmoji-Regular.ttf"),
    ("Noto Sans Symbols2", "/usr/share/fonts/truetype/noto/NotoSansSymbols2-Regular.ttf"),
)
PLACEHOLDER = "\u25a1"  # □: a character no font has
_MODIFIERS = range(0x1F3FB, 0x1F400)  # skin tones: they change an emoji, drawn alone they are noise
LINE_SPACING = 1.2
WIDTH_SAFETY = 1.03  # kerning and rounding never make a line wider than this
ELLIPSIS = "…"

_SPACES = re.compile(r"\s+")
_INVISIBLE = {"Cf", "Cc", "Cs", "Co", "Cn", "Mn"}  # format, control, surrogate, marks


@cache
def _font(bold: bool) -> FT2Font:
    prop = font_manager.FontProperties(family=FAMILY, weight="bold" if bold else "normal")
    # our own FT2Font: matplotlib's cached one is resized by every draw
    font = FT2Font(font_manager.findfont(prop, fallback_to_default=False))
    font.set_size(100, 72)
    return font


def _find(family: str, path: str) -> str | None:
    prop = font_manager.FontProperties(family=family)
    try:
        return font_manager.findfont(prop, fallback_to_default=False)
    except ValueError:
        pass
    if not Path(path).is_file():
        return None
    font_manager.fontManager.addfont(path)  # installed after matplotlib cached its list
    try:
        return font_manager.findfont(prop, fallback_to_default=False, rebuild_if_missing=False)
    except ValueError:
        return None


@cache
def fallback_fonts() -> tuple[tuple[str, FT2Font], ...]:
    """(family, font at 100 pt) of each fallback font this system has, in order."""
    found = []
    for family, path in FALLBACKS:
        file = _find(family, path)
        if file and Path(file).stem.lower().startswith(family.lower().replace(" ", "")[:6]):
            font = FT2Font(file)
            font.set_size(100, 72)
            found.append((family, font))
    return tuple(found)


def families(text: str = "\U0001f600") -> str | list[str]:
    """The font families ``text`` is drawn with: DejaVu Sans, then the fallback fonts when
    it has a character DejaVu lacks."""
    if all(ord(c) in _charmap() or c == "\n" for c in text):
        return FAMILY
    return [FAMILY, *(family for family, _ in fallback_fonts())]


class _NoBoldWarning(logging.Filter):
    """The fallback fonts have no bold: matplotlib says so on every bold emoji."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Failed to find font weight" not in record.getMessage()


logging.getLogger("matplotlib.font_manager").addFilter(_NoBoldWarning())


@cache
def _charmap() -> frozenset[int]:
    return frozenset(_font(False).get_charmap()) & frozenset(_font(True).get_charmap())


@cache
def _fallback_charmap() -> dict[int, FT2Font]:
    out: dict[int, FT2Font] = {}
    for _, font in reversed(fallback_fonts()):
        out.update(dict.fromkeys(font.get_charmap(), font))
    return out


@cache
def char_width(char: str, bold: bool = False) -> float:
    """Advance of ``char`` at 1 pt (unhinted), in the font that draws it."""
    font = _font(bold) if ord(char) in _charmap() else _fallback_charmap().get(ord(char))
    if font is None:
        font = _font(bold)
    glyph = font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
    return glyph.linearHoriAdvance / 65536 / 100


def drawable(char: str) -> bool:
    """Whether DejaVu Sans or a fallback font has ``char``."""
    return ord(char) in _charmap() or ord(char) in _fallback_charmap()


def _shown(char: str) -> str:
    if char in "\n\t\u00ad":
        return char
    category = unicodedata.category(char)
    if category in _INVISIBLE or ord(char) in _MODIFIERS:
        return ""  # joiners, variation selectors, marks NFC left alone
    if category.startswith("Z"):
        return " "
    return char if drawable(char) else PLACEHOLDER


def clean(text: str) -> str:
    """User text as the fonts can draw it: composed (NFC), whitespace collapsed, emoji and
    symbols kept (drawn by a fallback font), a character no font has replaced by □,
    invisible ones (joiners, variation selectors, skin-tone modifiers) removed, and ``$``
    kept literal (texts are drawn with math parsing off)."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(_shown(c) for c in text)
    return _SPACES.sub(" ", text).strip()


def text_width(text: str, size: float, bold: bool = False) -> float:
    return sum(char_width(c, bold) for c in text) * size * WIDTH_SAFETY


def _split_long(word: str, width: float, size: float, bold: bool) -> list[str]:
    parts: list[str] = []
    current = ""
    for char in word:
        if current and text_width(current + char, size, bold) > width:
            parts.append(current)
            current = char
        else:
            current += char
    return [*parts, current] if current else parts


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to ``width`` points; a word longer than a line is cut."""
    lines: list[str] = []
    current = ""
    space = char_width(" ", bold) * size * WIDTH_SAFETY
    current_w = 0.0
    for word in text.split(" "):
        if not word:
            continue
        word_w = text_width(word, size, bold)
        if word_w > width:
            pieces = _split_long(word, width, size, bold)
            word, word_w = pieces[-1], text_width(pieces[-1], size, bold)
            if current:
                lines.append(current)
            lines.extend(pieces[:-1])
            current, current_w = word, word_w
            continue
        if current and current_w + space + word_w > width:
            lines.append(current)
            current, current_w = word, word_w
        elif current:
            current, current_w = current + " " + word, current_w + space + word_w
        else:
            current, current_w = word, word_w
    if current:
        lines.append(current)
    return lines


def wrap_clamped(
    text: str, width: float, size: float, max_lines: int, bold: bool = False
) -> list[str]:
    """Wrapped lines, at most ``max_lines``; a cut text ends with an ellipsis."""
    lines = wrap(clean(text), width, size, bold)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and text_width(last + ELLIPSIS, size, bold) > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + ELLIPSIS
    return kept


def line_height(size: float) -> float:
    return size * LINE_SPACING
