"""Group chats: binding a workshop to a group, supergroup upgrades, and the bot being
blocked or unblocked in private chats."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus

from bot.telegram.handlers.access import seat
from bot.telegram.handlers.common import Context, language, person_id, services
from bot.telegram.notify import mark_unreachable
from flows.texts import t


async def on_bind(update: Update, context: Context) -> None:
    """/bind in a group, by a facilitator: announcements and the map go there."""
    chat, message, user = update.effective_chat, update.effective_message, update.effective_user
    assert chat is not None and message is not None and user is not None
    if chat.type == "private":
        await message.reply_text(t(await language(context, user), "bot.group.bind_in_group"))
        return
    found = await seat(update, context, facilitator=True, bound=False)
    if found is None:
        return
    svc = services(context)
    async with svc.store.write() as uow:
        workshop = await uow.workshops.get(found.workshop.id)
        assert workshop is not None
        workshop.group_chat_id = chat.id
        await uow.workshops.update(workshop, actor=found.member.id)
    await message.reply_text(t(found.lang, "bot.group.bound", workshop=workshop.title))


async def on_migrate(update: Update, context: Context) -> None:
    """A group became a supergroup: its chat id changed; follow it."""
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None or update.effective_chat is None:
        return
    old, new = update.effective_chat.id, message.migrate_to_chat_id
    svc = services(context)
    async with svc.store.write() as uow:
        for workshop in await uow.workshops.list_all():
            if workshop.group_chat_id == old:
                workshop.group_chat_id = new
                await uow.workshops.update(workshop)


async def on_my_chat_member(update: Update, context: Context) -> None:
    """A person blocked (or unblocked) the bot in their private chat."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    status = change.new_chat_member.status
    pid = person_id(change.from_user)
    if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        await mark_unreachable(context.application, pid)
    elif status == ChatMemberStatus.MEMBER:
        svc = services(context)
        async with svc.store.write() as uow:
            person = await uow.people.get(pid)
            if person is not None and person.unreachable:
                person.unreachable = False
                await uow.people.save(person)
                for member in await uow.items.memberships(pid):
                    member.unreachable = False
                    await uow.items.update(member)
