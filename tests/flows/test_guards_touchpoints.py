"""The touchpoints section per stage: colleagues' touchpoints first (with channel and
department) or a note that there are none yet; a catalogue channel knows whether it is
online and is the company's, a typed channel asks both. Several touchpoints come in one
message, one per line."""

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
    assert out.replies[1].key == "touchpoints.colleagues"
    label = t_plain("en", f"channel.{call}")
    assert out.replies[1].params == {
        "stage": "Awareness",
        "items": f"• Hotline — {label} (Sales)\n• Fair — Trade fair (—)",
    }
    # one message, one touchpoint per line (a description after a dash); then a channel each
    out = await pat.text("Site — Main site\n\nBillboard")
    assert pat.step == "touchpoints.channel" and out.prompt.params["name"] == "Site"  # type: ignore[union-attr]
    out = await pat.press(Channel.WEBSITE.value)  # the catalogue knows: online, ours
    assert out.keys[0] == "touchpoints.saved"
    assert pat.step == "touchpoints.channel" and out.prompt.params["name"] == "Billboard"  # type: ignore[union-attr]
    await pat.text("Street poster")  # a channel of one's own: online? controllable?
    assert pat.step == "touchpoints.online"
    await pat.press("n")
    assert pat.step == "touchpoints.controllable"
    out = await pat.press("n")
    assert [(r.key, r.params) for r in out.replies][1] == (
        "touchpoints.colleagues.none",
        {"stage": "Interest"},
    )  # the list done: the next stage
    buttons = [b.value for row in out.prompt.buttons for b in row]  # type: ignore[union-attr]
    assert "!next" in buttons and "!rest" in buttons  # nothing to add / nothing more

    async with store.read() as uow:
        found = {t.name: t for t in await uow.items.list(ws, Touchpoint)}
    site, board = found["Site"], found["Billboard"]
    assert (site.channel, site.online, site.controllable, site.description) == (
        Channel.WEBSITE.value,
        True,
        True,
        "Main site",
    )
    assert (board.channel, board.online, board.controllable, board.description) == (
        "Street poster",
        False,
        False,
        "",
    )
    assert site.stage_id == board.stage_id == first.id
    assert site.department_id == me.department_id and site.author_id == me.id
