"""Text without drawing: clean user text for the font, measure it, wrap it.

Widths come from the DejaVu Sans font files that ship with matplotlib, one glyph advance
per character (cached), so the layout wraps hundreds of cells without asking a renderer.
Matplotlib draws a multi-line text of ``n`` lines at ``size`` points exactly
``n * LINE_SPACING * size`` points tall, which the layout relies on.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font, LoadFlags

FAMILY = "DejaVu Sans"
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


@cache
def _charmap() -> frozenset[int]:
    return frozenset(_font(False).get_charmap()) & frozenset(_font(True).get_charmap())


@cache
def char_width(char: str, bold: bool = False) -> float:
    """Advance of ``char`` at 1 pt (unhinted)."""
    glyph = _font(bold).load_char(ord(char), flags=LoadFlags.NO_HINTING)
    return glyph.linearHoriAdvance / 65536 / 100


def _keep(char: str) -> bool:
    if ord(char) not in _charmap():
        return False
    category = unicodedata.category(char)
    return category not in _INVISIBLE or char in "\u00ad"


def clean(text: str) -> str:
    """User text as the font can draw it: composed (NFC), whitespace collapsed, glyphs the
    font lacks (emoji, pictographs, joiners, variation selectors) removed, and ``$`` kept
    literal (texts are drawn with math parsing off)."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(c if c in "\n\t" or _keep(c) else " " for c in text)
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
