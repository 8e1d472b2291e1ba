"""Odd input gets a clear message: text that draws nothing is an empty answer."""

from __future__ import annotations

import pytest

from flows.conversation.engine import Answer
from flows.conversation.validation import Invalid, clean_text
from tests.flows.flowkit import make_engine

INVISIBLE = [
    "\u200b",
    "\u200d\u200d",
    "\u2060",
    "\ufeff",
    "\u2800\u2800",
    "\u200e\u200f",
    " \u200b \u3164 ",
    "\u00a0\u202f\u2009",
]


@pytest.mark.parametrize("raw", INVISIBLE)
def test_invisible_only_text_is_empty(raw: str) -> None:
    with pytest.raises(Invalid) as refused:
        clean_text(raw, 100)
    assert refused.value.text.key == "engine.error.empty"


def test_visible_text_keeps_its_inner_joiners_and_loses_invisible_ends() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(f"\u200b {family} Kowalski\u2060 ", 100) == f"{family} Kowalski"


async def test_an_invisible_title_is_refused_and_asked_again(store) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(store)
    first = await engine.start_setup("t:fac", name="Fay", language="en")
    assert first.prompt is not None and first.prompt.step == "setup.title"
    out = await engine.advance("t:fac", Answer.text("\u200b\u2800\ufeff"))
    assert [r.key for r in out.replies] == ["engine.error.empty", "setup.title.ask"]
    out = await engine.advance("t:fac", Answer.text("Clinic"))
    assert out.prompt is not None and out.prompt.step == "setup.product"
