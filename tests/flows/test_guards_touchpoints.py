"""The touchpoints section per stage: colleagues' touchpoints first (with channel and
department) or a note that there are none yet; a catalogue channel knows whether it is
online, a typed channel asks; controllable unless told otherwise."""

from __future__ import annotations

from flows.models import Channel, Department, Stage, Touchpoint
from flows.texts import t_plain
from storage.store import SqliteStore
from tests.flows.flowkit import joined, make_engine, new_workshop


async def test_touchpoints_by_catalogue_or_typed_channel(store: SqliteStore) -> None:
    engine = make_engine(store)
    _, ws, codes = await new_workshop(engine)
    pat = await joined(engine, "t:pat", codes["marketing"])
    call = Channel.CALL_CENTER.value
    async with store.write() as uow:
        first = (await uow.items.list(ws, Stage))[0]
        sales = next(d for d in await uow.items.list(ws, Department) if d.key == "sales")
        await uow.items.add(
            Touchpoint(
                workshop_id=ws,
                stage_id=first.id,
                name="Hotline",
                channel=call,
                department_id=sales.id,
            )
        )
        await uow.items.add(
            Touchpoint(workshop_id=ws, stage_id=first.id, name="Fair", channel="Trade fair")
        )
        me = await uow.items.member_of(ws, "t:pat")
    assert me is not None

    out = await pat.play({}, until="touchpoints.name")
    assert out.replies[0].key == "touchpoints.colleagues"
    label = t_plain("en", f"channel.{call}")
    assert out.replies[0].params == {
        "stage": "Awareness",
        "items": f"• Hotline — {label} (Sales)\n• Fair — Trade fair (—)",
    }
    await pat.text("Site")
    await pat.press(Channel.WEBSITE.value)
    assert pat.step == "touchpoints.controllable"  # the catalogue knows it is online
    await pat.press("n")
    out = await pat.text("Main site")
    assert out.keys == ["touchpoints.saved", "touchpoints.name.ask"]

    await pat.text("Billboard")
    await pat.text("Street poster")  # a channel of one's own
    assert pat.step == "touchpoints.online"
    await pat.press("n")
    await pat.press("!skip")
    await pat.press("!skip")
    out = await pat.press("!next")
    assert [(r.key, r.params) for r in out.replies][0] == (
        "touchpoints.colleagues.none",
        {"stage": "Interest"},
    )

    async with store.read() as uow:
        found = {t.name: t for t in await uow.items.list(ws, Touchpoint)}
    site, board = found["Site"], found["Billboard"]
    assert (site.channel, site.online, site.controllable, site.description) == (
        Channel.WEBSITE.value,
        True,
        False,
        "Main site",
    )
    assert (board.channel, board.online, board.controllable, board.description) == (
        "Street poster",
        False,
        True,
        "",
    )
    assert site.stage_id == board.stage_id == first.id
    assert site.department_id == me.department_id and site.author_id == me.id
