"""The message of each person's live question, kept in the database (both stores): set,
swapped (the one before comes back), forgotten only when it is still the live one, and
gone with the person."""

from __future__ import annotations

from flows.models import Person
from storage.open_store import OpenStore


async def test_a_live_question_is_swapped_and_forgotten_per_person(store: OpenStore) -> None:
    async with store.write() as uow:
        await uow.people.save(Person(id="tg:1", name="Anna", chat_id=1))
        assert await uow.people.swap_live_prompt("tg:1", 10) is None
        assert await uow.people.swap_live_prompt("tg:2", 70) is None  # somebody else's
    async with store.write() as uow:
        assert await uow.people.swap_live_prompt("tg:1", 11) == 10
        await uow.people.forget_live_prompt("tg:1", 10)  # not the live one: stays
    async with store.read() as uow:
        assert await uow.people.live_prompt("tg:1") == 11
        assert await uow.people.live_prompt("tg:2") == 70
    async with store.write() as uow:
        await uow.people.forget_live_prompt("tg:1", 11)
        assert await uow.people.live_prompt("tg:1") is None
        assert await uow.people.swap_live_prompt("tg:1", 12) is None
        assert await uow.people.swap_live_prompt("tg:1", None) == 12  # no question is live
        assert await uow.people.live_prompt("tg:1") is None
        await uow.people.swap_live_prompt("tg:1", 13)
        await uow.people.delete("tg:1")
    async with store.read() as uow:
        assert await uow.people.live_prompt("tg:1") is None  # gone with the person
        assert await uow.people.live_prompt("tg:2") == 70
