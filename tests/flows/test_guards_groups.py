"""A workshop's group chat: binding is recorded under the facilitator who did it, and when
a group becomes a supergroup every workshop bound to it follows (and says how many)."""

from __future__ import annotations

from flows.workshop import groups
from storage.store import SqliteStore
from tests.builders import review_workshop

FACILITATOR = "tg:9000"


async def test_binding_is_audited_and_every_bound_workshop_follows_the_new_chat(
    store: SqliteStore,
) -> None:
    first = await review_workshop(store, owners=1)
    second = await review_workshop(store, owners=1)
    third = await review_workshop(store, owners=1)
    assert await groups.move_group(store, -100, -200) == 0  # nothing bound yet
    for built in (first, second):
        await groups.bind_group(store, FACILITATOR, built.id, -100)
    await groups.bind_group(store, FACILITATOR, third.id, -300)
    async with store.read() as uow:
        bound = (await uow.items.history(first.id))[-1]
    assert first.facilitator is not None and bound.actor == first.facilitator.id
    assert bound.data["group_chat_id"] == -100

    assert await groups.move_group(store, -100, -200) == 2
    async with store.read() as uow:
        chats = [(await uow.workshops.get(b.id)).group_chat_id for b in (first, second, third)]  # type: ignore[union-attr]
    assert chats == [-200, -200, -300]
