"""What ``/back`` took back, in words: the answer the person gave to the question they
are back at (a typed text, the chosen option's label, "skipped", or a list's last item)."""

from __future__ import annotations

from typing import Any

from flows.conversation import runner
from flows.conversation.spec import Ctx, Kind, Step, Text
from flows.texts import t_plain

SHOWN = 80  # characters of a long answer repeated in the message
SAID = "_said"  # draft key: [field, value] of the last answer (the item may have moved on)
_NOTHING = object()


def plain(value: Any) -> Any:
    """The answer as kept: a typed custom option's text, a list's first line."""
    if isinstance(value, tuple):
        value = value[1]
    if isinstance(value, list) and value and not isinstance(value[0], str | int):
        return value
    return value[0] if isinstance(value, list) and value else value


async def took_back(ctx: Ctx, before: dict[str, Any]) -> Text:
    """``before``: the draft as it was before going back; the position is restored."""
    step = runner.step_of(ctx)
    name = step.field_name
    was, now = before.get(name, _NOTHING), ctx.position.draft.get(name, _NOTHING)
    said = before.get(SAID)
    if was is _NOTHING and isinstance(said, list) and len(said) == 2 and said[0] == name:
        was = said[1]  # the answer that ended the item (its fields are cleared since)
    if was == now or was is _NOTHING:  # e.g. "Done" on a list: no answer of theirs
        return Text("engine.back.done")
    if was is None:
        return Text("engine.back.skipped")
    if step.many and isinstance(was, list):  # the list's last item
        was = was[-1]
    return Text("engine.back.took", {"answer": _short(await _words(ctx, step, was))})


async def _words(ctx: Ctx, step: Step, value: Any) -> str:
    if isinstance(value, bool):
        return t_plain(ctx.lang, "engine.yes" if value else "engine.no")
    if isinstance(value, list):  # a multiple choice
        return ", ".join([await _words(ctx, step, v) for v in value])
    if step.kind in (Kind.TEXT, Kind.NUMBER, Kind.DATE, Kind.TIME) or step.many:
        return str(value)
    for option in await runner.options(ctx, step):
        if option.value == str(value):
            return option.label or t_plain(ctx.lang, option.key, **dict(option.params))
    return str(value)


def _short(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"
