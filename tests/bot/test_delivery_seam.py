"""Every message leaves through bot/telegram/delivery.py: no other module of the
Telegram adapter calls a Bot API send, edit or answer itself (so "Forbidden -> unreachable
-> facilitators told" cannot be forgotten on some path)."""

from __future__ import annotations

import ast
from pathlib import Path

import bot.telegram

SENDS = {
    "send_message",
    "send_photo",
    "send_document",
    "send_chat_action",
    "send_media_group",
    "copy_message",
    "forward_message",
    "edit_message_text",
    "edit_message_reply_markup",
    "edit_text",
    "edit_reply_markup",
    "reply_text",
    "reply_photo",
    "reply_document",
    "answer_callback_query",
    "answer",
}
ADAPTER = Path(bot.telegram.__file__).parent


def direct_sends(source: str) -> list[tuple[str, int]]:
    """(method, line) of every Bot API send called on anything but the delivery module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func.value
            seam = isinstance(target, ast.Name) and target.id == "delivery"
            if node.func.attr in SENDS and not seam:
                found.append((node.func.attr, node.lineno))
    return found


def test_the_check_finds_a_direct_send_and_lets_delivery_through() -> None:
    assert direct_sends("await update.message.reply_text('hi')") == [("reply_text", 1)]
    assert direct_sends("await context.bot.send_message(1, 'x')") == [("send_message", 1)]
    assert direct_sends("await delivery.answer(context)") == []


def test_only_delivery_sends() -> None:
    offenders = [
        f"{path.relative_to(ADAPTER)}:{line} {method}"
        for path in sorted(ADAPTER.rglob("*.py"))
        if path.name != "delivery.py"
        for method, line in direct_sends(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "sends outside delivery.py:\n" + "\n".join(offenders)
