"""A workshop's group chat: binding it (announcements and the map go there) and following
it when the chat's id changes (a group upgraded to a supergroup)."""

from __future__ import annotations

from flows.models import Workshop
from flows.ports import Store
from flows.workshop.facilitator import require_facilitator


async def bind_group(store: Store, person_id: str, workshop_id: str, chat_id: int) -> Workshop:
    """/bind in a group, by a facilitator of the workshop (raises AccessDenied otherwise)."""
    async with store.write() as uow:
        workshop, member = await require_facilitator(uow, person_id, workshop_id)
        workshop.group_chat_id = chat_id
        await uow.workshops.update(workshop, actor=member.id)
    return workshop


async def move_group(store: Store, old_chat_id: int, new_chat_id: int) -> int:
    """The group's chat id changed: the workshops bound to it follow. Returns how many."""
    moved = 0
    async with store.write() as uow:
        for workshop in await uow.workshops.list_all():
            if workshop.group_chat_id == old_chat_id:
                workshop.group_chat_id = new_chat_id
                await uow.workshops.update(workshop)
                moved += 1
    return moved
