"""The context every handler gets (python-telegram-bot's ``ContextTypes(context=...)``):
the services, and — loaded on first use, then kept for the rest of the update — the person
writing, their language and the workshop they act in with their membership.

python-telegram-bot builds one context per update and hands the same one to every handler
group, so the update-id check in front of the handlers and the handler itself share what
was loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Chat, Update, User
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.telegram.services import Services
from flows.models import Member, Person, Role, Workshop
from flows.texts import normalize_language
from flows.workshop import people


@dataclass
class Seat:
    """The workshop a person acts in, their membership, and their language."""

    workshop: Workshop
    member: Member
    lang: str

    @property
    def facilitator(self) -> bool:
        return self.member.role == Role.FACILITATOR

    @property
    def person_id(self) -> str:
        return self.member.person_id or ""


_UNKNOWN: Any = object()


def person_id_of(user: User) -> str:
    return f"tg:{user.id}"


def display_name(user: User) -> str:
    return user.full_name or user.username or str(user.id)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.incoming: Update | None = None
        # set when the answer's own transaction records this update (a typed answer)
        self.recorded_by_answer: str | None = None
        self._person: Person | None = _UNKNOWN
        self._seats: dict[bool, Seat | None] = {}

    @classmethod
    def from_update(
        cls, update: object, application: Application[Any, Any, Any, Any, Any, Any]
    ) -> BotContext:
        context = super().from_update(update, application)
        if isinstance(update, Update):
            context.incoming = update
        return context

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]

    @property
    def user(self) -> User:
        assert self.incoming is not None and self.incoming.effective_user is not None
        return self.incoming.effective_user

    @property
    def person_id(self) -> str:
        return person_id_of(self.user)

    @property
    def chat(self) -> Chat | None:
        return self.incoming.effective_chat if self.incoming else None

    @property
    def private(self) -> bool:
        return self.chat is not None and self.chat.type == Chat.PRIVATE

    @property
    def update_key(self) -> str:
        assert self.incoming is not None
        return f"tg:{self.incoming.update_id}"

    async def first_time(self) -> bool:
        """False when this update was handled before (Telegram delivered it again)."""
        async with self.services.store.write() as uow:
            return await uow.updates.first_time(self.update_key)

    async def person(self) -> Person | None:
        if self._person is _UNKNOWN:
            self._person = await people.person(self.services.store, self.person_id)
        return self._person

    def remember(self, person: Person | None) -> None:
        """A use case loaded or changed the person: keep it for the rest of the update."""
        self._person = person
        self._seats.clear()

    def forget(self) -> None:
        """A use case changed the person: read them again when next asked."""
        self.remember(_UNKNOWN)

    async def language(self) -> str:
        """The person's chosen language, else their Telegram language, else the default."""
        person = await self.person()
        if person is not None and person.language:
            return person.language
        return normalize_language(self.user.language_code, self.services.settings.default_language)

    async def seat(self, *, bound: bool = True) -> Seat | None:
        """The person's current workshop (in a group: the workshop bound to it, unless
        ``bound=False``) and their membership; None when they are not a member."""
        if bound not in self._seats:
            person = await self.person()
            group = self.chat.id if bound and self.chat and not self.private else None
            current = person.current_workshop_id if person else None
            found = await people.seat(
                self.services.store, self.person_id, current, group_chat_id=group
            )
            lang = await self.language()
            self._seats[bound] = Seat(found[0], found[1], lang) if found else None
        return self._seats[bound]


CONTEXT_TYPES = ContextTypes(context=BotContext)
