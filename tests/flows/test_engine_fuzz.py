"""Property: any sequence of arbitrary answers at any step never raises, always returns
a prompt, and never loses an answer already stored."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.conversation.engine import Answer
from flows.models import Item
from storage.store import SqliteStore
from tests.flows.flowkit import joined, make_engine, new_workshop

BUTTONS = [
    "!back",
    "!skip",
    "!done",
    "!next",
    "!cancel",
    "!resume",
    "y",
    "n",
    "-2",
    "2",
    "3",
    "aida",
    "custom",
    "website",
    "call_center",
    "me",
    "invite",
    "yes",
    "create",
    "S",
    "ctr",
    "percent",
    "higher",
    "analytics",
    "status",
    "map",
    "stages",
    "x" * 40,
]
TEXTS = st.one_of(
    st.text(max_size=60),
    st.text(min_size=900, max_size=10_000),
    st.sampled_from(
        [
            "<b>bold</b>",
            "<script>alert(1)</script>",
            "&amp;",
            "12,5",
            "1 200",
            "12.5%",
            "-1",
            "31.12",
            "10:00",
            "Europe/Moscow",
            "😀🚗",
            "   ",
            "yes",
        ]
    ),
)
ANSWERS = st.one_of(
    TEXTS.map(Answer.text),
    st.sampled_from(BUTTONS).map(Answer.button),
    st.sampled_from(["back", "skip", "done", "resume", "bogus"]).map(Answer.command),
    st.just(Answer.non_text()),
)


def _snapshot(items: list[Item]) -> dict[str, Item]:
    return {i.id: i for i in items}


async def _run(answers: list[Answer], section_start: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = await SqliteStore.open(Path(folder) / "f.db")
        try:
            engine = make_engine(store)
            _, wid, codes = await new_workshop(engine)
            pid = "t:p"
            if section_start:
                await joined(engine, pid, codes["support"])
            else:
                await engine.start_setup(pid, language="en")
            for answer in answers:
                async with store.read() as uow:
                    before = await uow.items.all_of_workshop(wid, include_deleted=True)
                out = await engine.advance(pid, answer)
                if out.keys == ["setup.cancelled"]:  # cancelling setup ends it, by design
                    assert not section_start
                    break
                assert out.prompt is not None, out.keys
                async with store.read() as uow:
                    after = _snapshot(await uow.items.all_of_workshop(wid, include_deleted=True))
                for item in before:
                    assert item.id in after and after[item.id].deleted_at is None
        finally:
            await store.close()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ANSWERS, max_size=30))
async def test_arbitrary_answers_in_sections(answers: list[Answer]) -> None:
    await _run(answers, section_start=True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ANSWERS, max_size=30))
async def test_arbitrary_answers_in_setup(answers: list[Answer]) -> None:
    await _run(answers, section_start=False)
