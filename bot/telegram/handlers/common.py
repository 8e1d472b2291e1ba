"""What every handler needs: the services, who is writing, and their language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update, User
from telegram.ext import ContextTypes

from bot.telegram.services import Services
from flows.models import Person
from flows.texts import normalize_language

Context = ContextTypes.DEFAULT_TYPE


def services(context: Context) -> Services:
    return context.application.bot_data["services"]


def person_id(user: User) -> str:
    return f"tg:{user.id}"


def display_name(user: User) -> str:
    return user.full_name or user.username or str(user.id)


async def language(context: Context, user: User) -> str:
    """The person's chosen language, else their Telegram language, else the default."""
    svc = services(context)
    async with svc.store.read() as uow:
        person = await uow.people.get(person_id(user))
    default = svc.settings.default_language
    if person is not None and person.language:
        return person.language
    return normalize_language(user.language_code, default)


async def remember_chat(context: Context, update: Update) -> Person | None:
    """Record the private chat of a person (reminders need it) and clear 'unreachable'."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != "private":
        return None
    svc = services(context)
    async with svc.store.read() as uow:
        person = await uow.people.get(person_id(user))
    if person is not None and person.chat_id == chat.id and not person.unreachable:
        return person
    async with svc.store.write() as uow:
        person = await uow.people.get(person_id(user)) or Person(
            id=person_id(user), name=display_name(user)
        )
        person.chat_id = chat.id
        person.unreachable = False
        if not person.language and user.language_code:
            person.language = normalize_language(user.language_code, svc.settings.default_language)
        await uow.people.save(person)
    return person


def local_date(when: datetime, timezone: str) -> str:
    """A date as people read it where they are."""
    return when.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y")
