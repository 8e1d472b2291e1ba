"""Who may do what: the person's current workshop and their role in it."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.telegram.handlers.common import Context, language, person_id, services
from flows.models import Member, Role, Workshop
from flows.texts import t


@dataclass
class Seat:
    workshop: Workshop
    member: Member
    lang: str

    @property
    def facilitator(self) -> bool:
        return self.member.role == Role.FACILITATOR


async def seat(
    update: Update, context: Context, *, facilitator: bool = False, bound: bool = True
) -> Seat | None:
    """The person's current workshop (in a group: the workshop bound to it) and their
    membership; tells them why not when there is none (not a member, or not a facilitator
    when ``facilitator`` is asked). ``bound=False`` (for /bind) uses the current workshop
    in a group too."""
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None
    lang = await language(context, user)
    svc = services(context)
    chat = update.effective_chat
    async with svc.store.read() as uow:
        person = await uow.people.get(person_id(user))
        workshop_id = person.current_workshop_id if person else None
        if bound and chat is not None and chat.type != "private":  # the group's workshop
            bound = [w for w in await uow.workshops.list_all() if w.group_chat_id == chat.id]
            workshop_id = bound[0].id if bound else None
        workshop = await uow.workshops.get(workshop_id) if workshop_id else None
        member = await uow.items.member_of(workshop_id, person_id(user)) if workshop_id else None
    if workshop is None or member is None:
        await message.reply_text(t(lang, "bot.error.no_workshop"))
        return None
    found = Seat(workshop, member, lang)
    if facilitator and not found.facilitator:
        await message.reply_text(t(lang, "bot.error.not_facilitator", workshop=workshop.title))
        return None
    return found
