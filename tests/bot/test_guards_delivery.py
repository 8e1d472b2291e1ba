"""What leaves through bot/telegram/delivery.py, as a person in the chat sees it: long
messages keep their question, buttons keep their labels short, and a chat that refuses a
message (blocked, a group that removed the bot) never breaks what the bot does next."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from types import SimpleNamespace

from telegram import Update
from telegram.constants import ChatAction

from bot.telegram import delivery
from bot.telegram.callback_data import Action, decode
from flows.conversation.outcome import Button, Line, Outcome, Reply
from flows.models import Person
from flows.workshop.messages import Notice
from tests.bot.harness import BotHarness

GROUP = -100500


def test_a_long_message_is_cut_in_its_context_never_in_the_question() -> None:
    question = "Which channel do customers use first?"
    text = delivery.fit(["x" * 5000, "y" * 100, question])
    assert len(text) <= delivery.TEXT_LIMIT
    assert text.endswith("\n\n" + "y" * 100 + "\n\n" + question)
    assert text.startswith("x") and "…" in text


def test_a_short_message_is_only_joined_with_blank_lines() -> None:
    assert delivery.fit(["a", "b", "c"]) == "a\n\nb\n\nc"
    assert delivery.fit(["q" * delivery.TEXT_LIMIT]) == "q" * delivery.TEXT_LIMIT


def test_a_question_too_long_by_itself_is_cut_to_the_limit() -> None:
    text = delivery.fit(["q" * 5000])
    assert len(text) == delivery.TEXT_LIMIT and text.endswith("q…")
    assert delivery.fit(["abc def"], limit=5) == "abc…"


def test_cutting_html_never_leaves_a_broken_tag_or_entity() -> None:
    assert delivery._cut_html("<b>Tom &amp; Jerry</b> went home", 9) == "Tom &amp; Jer…"
    assert delivery._cut_html("<b>short</b>", 50) == "<b>short</b>"
    assert delivery._cut_html("<b>short</b>", 0) == ""
    assert delivery._cut_html("a < b", 3) == "a &lt;…"


def test_a_typed_label_is_shortened_to_sixty_characters_and_ticked_when_chosen() -> None:
    assert delivery.button_label(Button(value="1", label="x" * 60), "en") == "x" * 60
    assert delivery.button_label(Button(value="1", label="x" * 61), "en") == "x" * 60 + "…"
    ticked = delivery.button_label(Button(value="1", label="y" * 70, selected=True), "en")
    assert ticked == "✓ " + "y" * 58 + "…"
    assert delivery.button_label(Button(value="1", label_key="bot.menu.map"), "en") == (
        "The shared map"
    )


def test_buttons_carry_the_question_token_and_their_value() -> None:
    prompt = Reply(
        key="bot.menu.map",
        kind="prompt",
        token="tok1",
        buttons=[
            [Button(value="v1", label="One"), Button(value="v2", label="Two")],
            [Button(value="v3", label="Three")],
        ],
    )
    markup = delivery.keyboard(Outcome(replies=[prompt]))
    assert markup is not None
    rows = markup.inline_keyboard
    assert [[b.text for b in row] for row in rows] == [["One", "Two"], ["Three"]]
    pressed = decode(rows[0][1].callback_data)  # type: ignore[arg-type]
    assert pressed is not None and pressed.action == Action.ANSWER
    assert pressed.fields == ("tok1", "v2")
    assert delivery.keyboard(Outcome(replies=[prompt.model_copy(update={"token": None})])) is None
    assert delivery.keyboard(Outcome(replies=[prompt.model_copy(update={"buttons": []})])) is None
    assert delivery.keyboard(Outcome()) is None


def test_the_progress_line_is_in_italics_above_its_question_after_the_infos() -> None:
    outcome = Outcome(
        replies=[
            Reply(key="bot.menu.help"),
            Reply(key="bot.menu.map", kind="prompt", progress=Line(key="bot.menu.status")),
        ]
    )
    assert delivery.message_text(outcome) == (
        "How this bot works\n\n<i>Workshop progress, gaps and disagreements</i>\nThe shared map"
    )
    assert delivery.message_text(Outcome()) == ""


async def test_a_group_that_refuses_is_only_logged(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        bot.telegram.blocked.add(GROUP)
        assert await delivery.to_group(bot.app, GROUP, "Map v2 is out") is None
        assert await delivery.to_group(bot.app, GROUP + 1, "   ") is None  # a bad request
        sent = await delivery.to_group(bot.app, GROUP + 2, "Map v2 is out")
        assert sent is not None and sent.chat_id == GROUP + 2
        assert bot.telegram.last(GROUP + 2)["text"] == "Map v2 is out"
        await delivery.chat_action(bot.app, GROUP, ChatAction.TYPING)  # refused: no error


async def test_a_person_who_blocked_the_bot_is_marked_and_not_sent_to_again(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path) as bot:
        bot.telegram.user(301, "Ann")
        await bot.say(301, "/help")
        bot.telegram.blocked.add(301)
        assert await delivery.send(bot.app, 301, "hello", person_id="tg:301") is None
        async with bot.services.store.read() as uow:
            ann = await uow.people.get("tg:301")
        assert ann is not None and ann.unreachable
        calls = len(bot.telegram.calls)
        assert await delivery.to_person(bot.app, ann, "again?") is None
        assert len(bot.telegram.calls) == calls  # not even tried


async def test_a_refusal_without_a_person_marks_nobody(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        bot.telegram.user(302, "Bob")
        await bot.say(302, "/help")
        bot.telegram.blocked.add(302)
        assert await delivery.send(bot.app, 302, "hello") is None
        async with bot.services.store.read() as uow:
            bob = await uow.people.get("tg:302")
        assert bob is not None and not bob.unreachable


async def test_notices_count_only_those_that_arrived(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        reachable = Person(id="tg:401", chat_id=401)
        blocked = Person(id="tg:402", chat_id=402)
        no_chat = Person(id="tg:403")
        bot.telegram.blocked.add(402)
        notices = [Notice(p, "en", "bot.menu.map") for p in (reachable, blocked, no_chat)]
        assert await delivery.deliver_notices(bot.app, notices) == 1
        assert bot.telegram.last(401)["text"] == "The shared map"


def _png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def test_files_go_as_photo_or_document_with_their_caption(tmp_path: Path) -> None:
    picture, table = tmp_path / "map.png", tmp_path / "map.csv"
    picture.write_bytes(_png())
    table.write_text("stage,touchpoint\nVisit,Web\n", encoding="utf-8")
    async with BotHarness(tmp_path) as bot:
        sent = await delivery.send_file(bot.app, 501, picture, photo=True, caption="The map")
        assert sent is not None and sent.photo
        doc = await delivery.send_file(
            bot.app, 501, table, caption="As a table", filename="map.csv"
        )
        assert doc is not None and doc.document is not None
        photo_call, doc_call = (
            bot.telegram.sent(501, "sendPhoto")[0],
            bot.telegram.sent(501, "sendDocument")[0],
        )
        assert photo_call.params["caption"] == "The map"
        assert list(photo_call.files.values()) == [picture.read_bytes()]
        assert doc_call.params["caption"] == "As a table"
        assert list(doc_call.files.values()) == [table.read_bytes()]
        assert "map.csv" in doc_call.names.values()


async def test_a_file_to_someone_who_blocked_the_bot_marks_them(tmp_path: Path) -> None:
    table = tmp_path / "map.csv"
    table.write_text("x\n", encoding="utf-8")
    async with BotHarness(tmp_path) as bot:
        bot.telegram.user(502, "Eve")
        await bot.say(502, "/help")
        bot.telegram.blocked.add(502)
        assert await delivery.send_file(bot.app, 502, table, person_id="tg:502") is None
        async with bot.services.store.read() as uow:
            eve = await uow.people.get("tg:502")
        assert eve is not None and eve.unreachable


async def test_a_typing_hint_reaches_the_chat(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        await delivery.chat_action(bot.app, 503, ChatAction.UPLOAD_PHOTO)
        (call,) = bot.telegram.sent(503, "sendChatAction")
        assert call.params["action"] == "upload_photo"


def test_when_the_first_context_is_not_enough_the_next_one_is_cut_too() -> None:
    text = delivery.fit(["a" * 10, "b" * 5000, "Why?"])
    assert len(text) == delivery.TEXT_LIMIT  # cut exactly to the limit, not shorter
    assert text.startswith("b") and "a" not in text
    assert text.endswith("b…\n\nWhy?")


async def test_a_person_gets_the_buttons_and_a_refusal_marks_them(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        bot.telegram.user(601, "Ann")
        await bot.say(601, "/help")
        async with bot.services.store.read() as uow:
            ann = await uow.people.get("tg:601")
        assert ann is not None
        markup = delivery.keyboard(
            Outcome(
                replies=[
                    Reply(
                        key="bot.menu.map",
                        kind="prompt",
                        token="t",
                        buttons=[[Button(value="v", label="Go")]],
                    )
                ]
            )
        )
        sent = await delivery.to_person(bot.app, ann, "Pick one", markup)
        assert sent is not None
        assert bot.telegram.buttons(bot.telegram.last(601)) == [("Go", "c1|a|t|v")]
        quiet = await delivery.send(bot.app, 601, "shh", disable_notification=True)
        assert quiet is not None
        assert bot.telegram.sent(601, "sendMessage")[-1].params.get("disable_notification") in (
            True,
            "true",
            "True",
        )
        bot.telegram.blocked.add(601)
        assert await delivery.to_person(bot.app, ann, "again") is None
        async with bot.services.store.read() as uow:
            marked = await uow.people.get("tg:601")
        assert marked is not None and marked.unreachable


def _context(bot: BotHarness, update: dict, person_id: str) -> SimpleNamespace:  # type: ignore[type-arg]
    """What delivery reads of an update's context: its chat, the update, who and the app."""
    bot.telegram.updates.remove(update)
    incoming = Update.de_json(update, bot.app.bot)
    return SimpleNamespace(
        chat=incoming.effective_chat,
        incoming=incoming,
        person_id=person_id,
        application=bot.app,
        bot=bot.app.bot,
    )


async def test_in_a_group_the_answer_quotes_the_message_in_private_it_does_not(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path) as bot:
        bot.telegram.user(701, "Ann")
        await bot.say(701, "/help")  # the bot knows Ann
        group = _context(bot, bot.telegram.text_update(701, "/map", chat_id=GROUP), "tg:701")
        asked = group.incoming.effective_message.message_id
        assert await delivery.reply(group, "Here", preview=False) is not None
        call = bot.telegram.sent(GROUP, "sendMessage")[-1]
        assert f'"message_id": {asked}' in str(call.params.get("reply_parameters")).replace(
            "'", '"'
        )
        assert "link_preview_options" in call.params
        await delivery.reply(group, "Unquoted", quote=False)
        assert "reply_parameters" not in bot.telegram.sent(GROUP, "sendMessage")[-1].params

        private = _context(bot, bot.telegram.text_update(701, "/help"), "tg:701")
        await delivery.reply(private, "Hi")
        call = bot.telegram.sent(701, "sendMessage")[-1]
        assert "reply_parameters" not in call.params and "link_preview_options" not in call.params
        bot.telegram.blocked.update({701, GROUP})
        assert await delivery.reply(group, "x") is None
        async with bot.services.store.read() as uow:
            ann = await uow.people.get("tg:701")
        assert ann is not None and not ann.unreachable  # a group's refusal is not hers
        assert await delivery.reply(private, "x") is None
        async with bot.services.store.read() as uow:
            ann = await uow.people.get("tg:701")
        assert ann is not None and ann.unreachable


async def test_a_press_edits_its_message_or_sends_a_new_one_when_it_cannot(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path) as bot:
        bot.telegram.user(702, "Bob")
        await bot.say(702, "/help")
        question = await delivery.send(bot.app, 702, "Question?")
        assert question is not None
        context = _context(bot, bot.telegram.press(702, question.message_id, "c1|a|t|v"), "tg:702")
        assert delivery.pressed(context) is not None
        edited = await delivery.edit(context, "Answered")
        assert edited is not None and edited.message_id == question.message_id
        assert bot.telegram.messages[(702, question.message_id)]["text"] == "Answered"
        same = await delivery.edit(context, "Answered")  # "not modified": nothing new
        assert same is not None and same.message_id == question.message_id
        assert len(bot.telegram.chat_messages(702)) == 2  # /help's answer and the question

        del bot.telegram.messages[(702, question.message_id)]  # deleted meanwhile
        fresh = await delivery.edit(context, "Answered again")
        assert fresh is not None and fresh.message_id != question.message_id
        assert bot.telegram.last(702)["text"] == "Answered again"

        await delivery.answer(context, "Saved", alert=True)
        call = bot.telegram.calls[-1]
        assert call.method == "answerCallbackQuery" and call.params["text"] == "Saved"
        assert call.params.get("show_alert") in (True, "true", "True")

        outcome = Outcome(
            replies=[
                Reply(
                    key="bot.menu.map",
                    kind="prompt",
                    token="t",
                    buttons=[[Button(value="v", label="Go")]],
                )
            ]
        )
        assert await delivery.send_outcome(context, outcome) is True
        last = bot.telegram.last(702)
        assert last["text"] == "The shared map" and bot.telegram.buttons(last) == [
            ("Go", "c1|a|t|v")
        ]
        assert await delivery.send_outcome(context, Outcome()) is True  # nothing to say
        bot.telegram.blocked.add(702)
        assert await delivery.send_outcome(context, outcome, edit_pressed=True) is False
        assert await delivery.send_outcome(context, outcome) is False
