"""Several items in one message and one-tap endings: all of a section's emotion scores
typed at once, "Me — for all" owners, "Nothing more in this section"."""

from __future__ import annotations

from flows.models import EmotionScore, Stage, Touchpoint
from storage.store import SqliteStore
from tests.flows.flowkit import joined, make_engine, new_workshop


async def test_emotion_scores_of_all_stages_in_one_message(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)  # four stages (AIDA)
    pat = await joined(engine, "t:pat", codes["sales"])
    await pat.play({}, until="emotions.score")
    out = await pat.text("1 1 2 -1 0")  # five scores for four stages
    assert out.replies[0].key == "busy.emotions.too_many"
    assert out.replies[0].params == {"count": 5, "left": 4}
    await pat.press("-2")  # a tap for the first stage
    out = await pat.text("+1, 2 -1")  # and the three left at once
    assert pat.step is not None and not pat.step.startswith("emotions.")
    async with store.read() as uow:
        order = {s.id: s.order for s in await uow.items.list(ws, Stage)}
        scores = sorted(
            (order[e.stage_id], e.score) for e in await uow.items.list(ws, EmotionScore)
        )
    assert scores == [(0, -2), (1, 1), (2, 2), (3, -1)]


async def test_me_for_all_owners_and_nothing_more_in_a_section(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"])
    await pat.play({}, until="touchpoints.name")
    await pat.text("Site\nShop\nHotline")
    for channel in ("website", "store_office_showroom", "call_center"):
        await pat.press(channel)
    assert pat.step == "touchpoints.name" and pat.last.prompt.params["item"] == "Interest"  # type: ignore[union-attr]
    await pat.press("!rest")  # nothing more in this section: the other stages left out
    assert pat.step == "owners.owner"
    values = [b.value for row in pat.last.prompt.buttons for b in row]  # type: ignore[union-attr]
    assert values[:2] == ["me", "me_all"]
    await pat.press("me_all")  # one tap for the three
    assert pat.step is not None and not pat.step.startswith("owners.")
    async with store.read() as uow:
        me = await uow.items.member_of(ws, "t:pat")
        found = await uow.items.list(ws, Touchpoint)
    assert me is not None and [(t.name, t.owner_id) for t in found] == [
        ("Site", me.id),
        ("Shop", me.id),
        ("Hotline", me.id),
    ]
