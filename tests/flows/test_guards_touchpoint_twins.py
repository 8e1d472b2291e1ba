"""A touchpoint a colleague already entered in the stage ("Instagram ads"), typed again
in another message ("instagram ad"): the person is asked whether to use it — using it
adds nothing, their department's KPIs are asked for that touchpoint and their pain point
for the stage goes to it; "Add anyway" adds theirs. Another stage's touchpoint of the
same name is not asked about; a typed department like one already there is refused."""

from __future__ import annotations

from flows.models import Department, PainPoint, Stage, Touchpoint
from flows.texts import t_plain
from storage.store import SqliteStore
from tests.flows.flowkit import joined, make_engine, new_workshop


async def _colleague_entered(store: SqliteStore, ws: str) -> tuple[Stage, Touchpoint]:
    async with store.write() as uow:
        first, second = sorted(await uow.items.list(ws, Stage), key=lambda s: s.order)[:2]
        sales = next(d for d in await uow.items.list(ws, Department) if d.key == "sales")
        ads = Touchpoint(
            workshop_id=ws,
            stage_id=first.id,
            name="Instagram ads",
            channel="social_ads",
            department_id=sales.id,
        )
        await uow.items.add(ads)
        await uow.items.add(Touchpoint(workshop_id=ws, stage_id=second.id, name="Website"))
    return first, ads


def _labels(out) -> list[str]:  # type: ignore[no-untyped-def]
    buttons = [b for row in out.prompt.buttons for b in row]
    return [b.label or t_plain("en", b.label_key, **b.label_params) for b in buttons]


async def test_using_the_colleagues_touchpoint_adds_nothing_and_links_the_pain(
    store: SqliteStore,
) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    first, ads = await _colleague_entered(store, ws)
    pat = await joined(engine, "t:pat", codes["marketing"])
    await pat.play({}, until="touchpoints.name")
    out = await pat.text("  instagram AD ")
    assert pat.step == "touchpoints.same"
    assert t_plain("en", out.prompt.key, **out.prompt.params) == (  # type: ignore[union-attr]
        "«Instagram ads» is already there — use it?"
    )
    assert _labels(out)[:2] == ["Use «Instagram ads»", "Add «instagram AD» anyway"]
    out = await pat.press("use")
    assert pat.step == "touchpoints.name"  # no channel asked: the colleague's is kept
    await pat.press("!next")  # the next stage, where a colleague has "Website"
    await pat.press("!next")  # and the one after it
    out = await pat.text("Websites")  # a name of another stage's touchpoint: nothing asked
    assert pat.step == "touchpoints.channel"
    async with store.read() as uow:
        names = sorted(t.name for t in await uow.items.list(ws, Touchpoint))
    assert names == ["Instagram ads", "Website"]

    await pat.play({"touchpoints.name": ["!rest"]}, until="kpis.name")
    asked = []  # the KPIs of marketing are asked for the colleague's touchpoint too
    while pat.step == "kpis.name":
        asked.append(str(pat.last.prompt.params))  # type: ignore[union-attr]
        await pat.press("!next")
    assert any("Instagram ads" in item for item in asked), asked
    await pat.play({}, until="pains.description")
    await pat.text("Ads promise a discount the shop does not give")
    assert pat.step == "pains.touchpoint"
    offered = [b.value for row in pat.last.prompt.buttons for b in row]  # type: ignore[union-attr]
    assert offered.count(ads.id) == 1 and len([v for v in offered if not v.startswith("!")]) == 1
    await pat.press(ads.id)
    await pat.play({"pains.severity": ["=2"], "pains.anonymous": ["=n"]}, until="pains.description")
    async with store.read() as uow:
        (pain,) = await uow.items.list(ws, PainPoint)
    assert pain.touchpoint_id == ads.id and pain.stage_id == first.id


async def test_adding_anyway_and_the_same_message_twice(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    await _colleague_entered(store, ws)
    pat = await joined(engine, "t:pat", codes["marketing"])
    await pat.play({}, until="touchpoints.name")
    await pat.text("Instagram ad\nNewsletter\nnewsletters")
    assert pat.step == "touchpoints.same"
    await pat.press("add")  # two touchpoints now: the person means another one
    assert pat.step == "touchpoints.channel"
    await pat.press("social_ads")
    assert pat.step == "touchpoints.channel"  # Newsletter: nothing like it yet
    await pat.press("email_newsletter")
    out = pat.last
    assert pat.step == "touchpoints.same"  # "newsletters", a line after "Newsletter"
    assert out.prompt is not None and out.prompt.params["name"] == "Newsletter"
    await pat.press("use")
    async with store.read() as uow:
        names = sorted(t.name for t in await uow.items.list(ws, Touchpoint))
    assert names == ["Instagram ad", "Instagram ads", "Newsletter", "Website"]


async def test_a_typed_department_like_one_already_there_is_refused(store: SqliteStore) -> None:
    from flows.conversation.player import Player
    from tests.flows.flowkit import SETUP

    engine = make_engine(store)
    fay = Player(engine, "t:fay")
    fay._keep(await engine.start_setup("t:fay", name="Fay", language="en"))
    await fay.play(SETUP, until="setup.departments")
    out = await fay.text("sale")  # Sales is a button already
    said = [t_plain("en", r.key, **r.params) for r in out.replies]
    assert said[0].startswith("«Sales» is already there — its button is above.")
    await fay.text("Legal")
    out = await fay.text("legals")
    assert out.replies[0].key == "setup.departments.same"
    assert out.replies[0].params == {"item": "Legal"}
    out = await fay.play(SETUP, until="setup.confirm")
    assert out.prompt is not None
    assert out.prompt.params["departments"] == "Marketing, Sales, Support, Legal"
