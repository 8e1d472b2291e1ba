"""Reading an interactive map page as a person's browser would get it: its inline data
and its words, without running it (the browser tests run it)."""

from __future__ import annotations

import json
import re
from typing import Any

_BLOCK = r'<script id="{}" type="application/json">(.*?)</script>'


def inline_json(page: str, block: str = "cjm-data") -> Any:
    found = re.search(_BLOCK.format(block), page, re.S)
    assert found, f"no {block} block in the page"
    return json.loads(found.group(1))


def requests_out(page: str) -> list[str]:
    """Anything in the page that would make the browser fetch something by itself."""
    patterns = (
        r"<link\b[^>]*>",
        r"<script\b[^>]*\bsrc=",
        r"<img\b[^>]*\bsrc=\"(?!data:)",
        r"<iframe\b",
        r"@import",
        r"url\((?!data:)",
        r"@font-face",
    )
    return [m.group(0) for p in patterns for m in re.finditer(p, page, re.I)]


def paragraphs(data: Any, card: list[Any]) -> list[str]:
    """A card's paragraphs as the page shows them (shared ones are written once)."""
    return [data["strings"][x] if isinstance(x, int) else x for x in card[6]]


def titles(data: Any) -> set[str]:
    return {paragraphs(data, c)[0] for c in data["cards"]}
