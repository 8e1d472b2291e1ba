"""Group chats: binding a workshop to a group, supergroup upgrades, and the bot being
blocked or unblocked in private chats (the use cases are in flows.workshop.groups and
flows.workshop.people)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus

from bot.telegram import delivery
from bot.telegram.context import person_id_of
from bot.telegram.handlers.access import seat
from bot.telegram.handlers.common import Context, refuse, tell
from flows.texts import t
from flows.workshop import groups, people
from flows.workshop.facilitator import AccessDenied

GONE = (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT)


async def on_bind(update: Update, context: Context) -> None:
    """/bind in a group, by a facilitator: announcements and the map go there."""
    if context.private or context.chat is None:
        await tell(context, "bot.group.bind_in_group")
        return
    found = await seat(context, facilitator=True, bound=False)
    if found is None:
        return
    store, chat_id = context.services.store, context.chat.id
    try:
        workshop = await groups.bind_group(store, found.person_id, found.workshop.id, chat_id)
    except AccessDenied as exc:
        await refuse(context, exc.key)
        return
    await delivery.reply(context, t(found.lang, "bot.group.bound", workshop=workshop.title))


async def on_migrate(update: Update, context: Context) -> None:
    """A group became a supergroup: its chat id changed; follow it."""
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None or context.chat is None:
        return
    await groups.move_group(context.services.store, context.chat.id, message.migrate_to_chat_id)


async def on_my_chat_member(update: Update, context: Context) -> None:
    """A person blocked (or unblocked) the bot in their private chat."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    pid = person_id_of(change.from_user)
    if change.new_chat_member.status in GONE:
        await delivery.unreachable(context.application, pid)
    elif change.new_chat_member.status == ChatMemberStatus.MEMBER:
        await people.mark_reachable(context.services.store, pid)
