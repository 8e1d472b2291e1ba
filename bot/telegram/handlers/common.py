"""What every handler needs: the context (the person loaded once per update), the
services, and answering with a use case's result."""

from __future__ import annotations

from bot.telegram import delivery
from bot.telegram.context import BotContext, display_name, person_id_of
from bot.telegram.effects import follow_up
from bot.telegram.services import Services
from flows.texts import t
from flows.workshop.messages import Result

Context = BotContext

__all__ = ["Context", "display_name", "person_id_of", "refuse", "say", "services", "tell"]


def services(context: Context) -> Services:
    return context.services


async def tell(context: Context, key: str, **params: object) -> None:
    """A catalog message in the person's language, as the answer to the update."""
    await delivery.reply(context, t(await context.language(), key, **params))


async def say(context: Context, lang: str, result: Result, *, edit: bool = False) -> None:
    """A use case's answer (a new message, or the pressed one edited), then what follows."""
    text = delivery.said(lang, result)
    await (delivery.edit(context, text) if edit else delivery.reply(context, text))
    await follow_up(context.application, result)


async def refuse(context: Context, key: str, *, alert: bool = False) -> None:
    """Why not (an ``AccessDenied``/``NotFound``/``ReviewError`` key): as an alert on a
    button press, else as the answer."""
    lang = await context.language()
    if alert:
        await delivery.answer(context, t(lang, key), alert=True)
    else:
        await delivery.reply(context, t(lang, key))
