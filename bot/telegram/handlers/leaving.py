"""Leaving, removing and forgetting in chat: /leave, /remove (facilitators) and /forget_me,
each confirmed with a button (a tap, never a typed word). A confirmation about a
membership that ended — or a /forget_me older than a quarter of an hour — says it is
closed. The use cases are in flows.workshop.leaving and flows.workshop.forgetting."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.operations import drop_cached_maps
from bot.telegram import delivery
from bot.telegram.callback_data import Action, Callback, ConfirmPress, decode, encode
from bot.telegram.handlers.access import seat
from bot.telegram.handlers.common import Context, say
from flows.texts import t
from flows.workshop import forgetting, leaving
from flows.workshop.facilitator import AccessDenied, NotFound
from flows.workshop.membership import STALE
from flows.workshop.messages import Result

T = TypeVar("T")
Fields = tuple[str, ...]


def _button(text: str, action: Action, *fields: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text, callback_data=encode(action, *fields))]


def _markup(
    lang: str, confirm: leaving.Confirm, action: Action, label: str, yes: Fields, choice: Fields
) -> InlineKeyboardMarkup | None:
    """One button per member to choose (``choice`` fields, then the member id), "do it"
    (``yes`` fields) when it can be done, and Cancel."""
    rows = [
        _button(text, action, ConfirmPress.CHOOSE, *choice, mid) for text, mid in confirm.choices
    ]
    if confirm.ok:
        rows.append(_button(t(lang, label), action, ConfirmPress.YES, *yes))
    if rows:
        rows.append(_button(t(lang, "people.button.cancel"), action, ConfirmPress.NO))
    return InlineKeyboardMarkup(rows) if rows else None


def _pressed(update: Update, count: int) -> tuple[str, ...]:
    """The button's press and its next ``count`` fields ("" for those it lacks)."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data) or Callback(Action.LEAVE, ())
    return tuple(callback.field(i) for i in range(count + 1))


async def _shown(context: Context, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """The pressed message becomes ``text`` (with ``markup``: the next question)."""
    await delivery.answer(context)
    await delivery.edit(context, text, markup)


async def _try(context: Context, lang: str, work: Awaitable[T]) -> T | None:
    """The use case's answer; None when it refused (a stale confirmation, no access): the
    pressed message then says why, without buttons."""
    try:
        return await work
    except (AccessDenied, NotFound) as exc:
        await _shown(context, t(lang, exc.key), None)
        return None


# ------------------------------------------------------------------------------ /leave


async def on_leave(update: Update, context: Context) -> None:
    """/leave: what leaving changes, with Leave / Cancel — or, for the last facilitator,
    the members to hand the workshop over to."""
    found = await seat(context)
    if found is None:
        return
    store, ws = context.services.store, found.workshop.id
    preview = await leaving.leave_preview(store, found.person_id, ws, found.lang)
    fields = (ws, preview.member_id)
    markup = _markup(found.lang, preview, Action.LEAVE, "people.leave.button", fields, fields)
    await delivery.reply(context, delivery.said(found.lang, preview), markup)


async def on_leave_button(update: Update, context: Context) -> None:
    press, ws, me, heir = _pressed(update, 3)
    lang, svc = await context.language(), context.services
    if press == ConfirmPress.CHOOSE:
        work = leaving.heir_preview(svc.store, context.person_id, ws, me, heir, lang)
        await _ask(context, lang, work, Action.LEAVE, "people.leave.heir.button", (ws, me, heir))
    elif press == ConfirmPress.YES:
        await _done(context, lang, await _try(context, lang, _leave(context, ws, me, heir)))
    else:
        await _shown(context, t(lang, "people.cancelled"), None)


def _leave(context: Context, ws: str, me: str, heir: str) -> Awaitable[Result]:
    svc = context.services
    return leaving.leave(
        svc.store,
        svc.clock,
        context.person_id,
        ws,
        member_id=me,
        heir_id=heir or None,
        default_lang=svc.settings.default_language,
    )


async def _ask(
    context: Context,
    lang: str,
    work: Awaitable[leaving.Confirm],
    action: Action,
    label: str,
    yes: Fields,
) -> None:
    """The next confirmation in place of the pressed message."""
    confirm = await _try(context, lang, work)
    if confirm is not None:
        markup = _markup(lang, confirm, action, label, yes, ())
        await _shown(context, delivery.said(lang, confirm), markup)


async def _done(context: Context, lang: str, result: Result | None) -> None:
    """The pressed confirmation says what was done; the others are told."""
    if result is not None:
        context.forget()  # their memberships changed
        await delivery.answer(context)
        await say(context, lang, result, edit=True)


# ----------------------------------------------------------------------------- /remove


async def on_remove(update: Update, context: Context) -> None:
    """/remove (facilitators): the members, one button each; then a confirmation."""
    found = await seat(context, facilitator=True)
    if found is None:
        return
    store, ws = context.services.store, found.workshop.id
    choices = await leaving.remove_choices(store, found.person_id, ws, found.lang)
    markup = _markup(found.lang, choices, Action.REMOVE, "people.remove.button", (), (ws,))
    await delivery.reply(context, delivery.said(found.lang, choices), markup)


async def on_remove_button(update: Update, context: Context) -> None:
    press, ws, member = _pressed(update, 2)
    lang, svc = await context.language(), context.services
    if press == ConfirmPress.CHOOSE:
        work = leaving.remove_preview(svc.store, context.person_id, ws, member, lang)
        await _ask(context, lang, work, Action.REMOVE, "people.remove.button", (ws, member))
    elif press == ConfirmPress.YES:
        await _done(context, lang, await _try(context, lang, _remove(context, lang, ws, member)))
    else:
        await _shown(context, t(lang, "people.cancelled"), None)


def _remove(context: Context, lang: str, ws: str, member: str) -> Awaitable[Result]:
    svc = context.services
    return leaving.remove_member(
        svc.store,
        svc.clock,
        context.person_id,
        ws,
        member,
        lang=lang,
        default_lang=svc.settings.default_language,
    )


# -------------------------------------------------------------------------- /forget_me


async def on_forget_me(update: Update, context: Context) -> None:
    """/forget_me: what will be erased and what stays, with Erase / Cancel."""
    lang, svc = await context.language(), context.services
    preview = await forgetting.forget_preview(svc.store, context.person_id, lang)
    asked = leaving.confirmation_stamp(svc.clock.now())
    markup = _markup(lang, preview, Action.FORGET, "people.forget.button", (asked,), ())
    await delivery.reply(context, delivery.said(lang, preview), markup)


async def on_forget_button(update: Update, context: Context) -> None:
    (press, asked), lang, svc = _pressed(update, 1), await context.language(), context.services
    if press != ConfirmPress.YES:
        await _shown(context, t(lang, "people.cancelled"), None)
    elif not leaving.confirmation_open(asked, svc.clock.now()):
        await _shown(context, t(lang, STALE), None)
    else:
        work = forgetting.forget_person(
            svc.store, svc.clock, context.person_id, svc.settings.default_language
        )
        result = await _try(context, lang, work)
        if result is not None:
            drop_cached_maps(svc.renderer.cache_dir)  # earlier renders showed the name
        await _done(context, lang, result)
