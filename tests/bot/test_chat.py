"""SPEC §5 in chat, through the real Application: limits, non-text, stale buttons,
commands mid-flow, escaping, duplicates, blocked users, languages."""

from __future__ import annotations

from pathlib import Path

from flows.models import NoteLane, StageNote
from tests.bot.harness import BotHarness
from tests.bot.workshop import FACILITATOR, create_workshop, join

ANNA = 21


async def test_a_too_long_answer_names_the_limit_and_asks_again(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        await bot.say(FACILITATOR, "/new")
        reply = await bot.say(FACILITATOR, "x" * 1500)
        assert "limit is 200" in reply["text"] and "question 1 of" in reply["text"]
        ok = await bot.say(FACILITATOR, "Car buyer journey")
        assert "question 2 of" in ok["text"]


async def test_a_sticker_where_text_is_expected_gets_a_polite_reprompt(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        first = await bot.say(FACILITATOR, "/new")
        await bot.feed(bot.telegram.sticker_update(FACILITATOR))
        reply = bot.telegram.last(FACILITATOR)
        assert reply["message_id"] != first["message_id"]
        assert "question 1 of" in reply["text"] and reply["text"] != first["text"]


async def test_a_button_press_edits_its_message_and_a_stale_one_says_closed(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path) as bot:
        await bot.say(FACILITATOR, "/new")
        await bot.say(FACILITATOR, "Car buyer journey")
        question = await bot.say(FACILITATOR, "Used cars")
        stale = next(d for label, d in bot.telegram.buttons(question) if "AIDA" in label)
        count = len(bot.telegram.chat_messages(FACILITATOR))
        edited = await bot.press(FACILITATOR, question, "AIDA")
        assert edited["message_id"] == question["message_id"]
        assert len(bot.telegram.chat_messages(FACILITATOR)) == count  # no new message
        await bot.feed(bot.telegram.press(FACILITATOR, question["message_id"], stale))
        answer = next(c for c in reversed(bot.telegram.calls) if c.method == "answerCallbackQuery")
        assert "closed" in answer.params["text"]
        current = bot.telegram.last(FACILITATOR)
        assert "departments" in current["text"].lower()


async def test_commands_in_the_middle_of_a_flow_keep_its_position(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        await bot.say(FACILITATOR, "/new")
        second = await bot.say(FACILITATOR, "Car buyer journey")
        await bot.say(FACILITATOR, "/help")
        await bot.say(FACILITATOR, "/my")
        again = await bot.say(FACILITATOR, "/continue")
        assert again["text"].splitlines()[-1] == second["text"].splitlines()[-1]


async def test_user_text_is_escaped_when_echoed(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        await join(bot, ANNA, codes["marketing"], "<b>Anna</b> & co")
        notices = [m["text"] for m in bot.telegram.chat_messages(FACILITATOR)]
        joined = next(n for n in notices if "Anna" in n)
        assert "&lt;b&gt;Anna&lt;/b&gt; &amp; co" in joined


async def test_an_update_delivered_twice_is_stored_once(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        question = await join(bot, ANNA, codes["marketing"], "Anna")
        assert "describe it in one message" in question["text"]
        update = bot.telegram.text_update(ANNA, "Segment: Families with one child")
        bot.telegram.updates.remove(update)
        from telegram import Update

        replies = len(bot.telegram.sent(ANNA, "sendMessage"))
        for _ in range(2):
            await bot.app.process_update(Update.de_json(update, bot.app.bot))
        assert len(bot.telegram.sent(ANNA, "sendMessage")) == replies + 1  # answered once
        assert "data or a hypothesis" in bot.telegram.last(ANNA)["text"]  # one question on
        async with bot.services.store.read() as uow:
            position = await uow.positions.get(f"tg:{ANNA}", ws_id)
        assert position is not None and position.step == "persona.basis"
        assert position.draft.get("form") == "Segment: Families with one child"


async def test_a_person_who_blocks_the_bot_is_marked_and_facilitators_told(
    tmp_path: Path,
) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        await join(bot, ANNA, codes["sales"], "Anna")
        bot.telegram.blocked.add(ANNA)
        await bot.say(ANNA, "something")  # the reply cannot be delivered
        async with bot.services.store.read() as uow:
            member = await uow.items.member_of(ws_id, f"tg:{ANNA}")
        assert member is not None and member.unreachable
        notice = bot.telegram.last(FACILITATOR)["text"]
        assert "Anna" in notice and "blocked" in notice


async def test_language_follows_telegram_and_can_be_changed(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        bot.telegram.user(30, "Иван", "ru")
        hello = await bot.say(30, "/start")
        assert "Здравствуйте" in hello["text"]
        menu = await bot.say(30, "/language")
        done = await bot.press(30, menu, "English")
        assert "English" in done["text"]
        assert "Hello" in (await bot.say(30, "/start"))["text"]


async def test_the_facilitator_allow_list_is_honoured(tmp_path: Path) -> None:
    async with BotHarness(tmp_path, facilitator_allowlist=[FACILITATOR]) as bot:
        refused = await bot.say(77, "/new")
        assert "Only facilitators" in refused["text"]
        allowed = await bot.say(FACILITATOR, "/new")
        assert "question 1 of" in allowed["text"]


async def test_answers_are_stored_with_author_and_department(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        ws_id, codes = await create_workshop(bot)
        persona = await join(bot, ANNA, codes["support"], "Anna")
        await bot.press(ANNA, persona, "Nothing to add")  # on to the stages
        await bot.say(  # the first stage's goal, actions and thoughts in one message
            ANNA,
            "Get the car fixed quickly\n"
            "Actions: Calls the hotline\n"
            "Thoughts: Will it be expensive?",
        )
        async with bot.services.store.read() as uow:
            member = await uow.items.member_of(ws_id, f"tg:{ANNA}")
            notes = await uow.items.list(ws_id, StageNote)
        assert member is not None and member.department_id
        assert sorted((n.lane, n.text) for n in notes) == [
            (NoteLane.ACTIONS, "Calls the hotline"),
            (NoteLane.GOAL, "Get the car fixed quickly"),
            (NoteLane.THOUGHTS, "Will it be expensive?"),
        ]
        assert {(n.author_id, n.department_id) for n in notes} == {
            (member.id, member.department_id)
        }


async def test_5xx_answers_are_retried_and_the_reply_arrives_once(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        bot.telegram.fail_5xx[FACILITATOR] = 2
        reply = await bot.say(FACILITATOR, "/new")
        assert "question 1 of" in reply["text"]
        attempts = bot.telegram.sent(FACILITATOR, "sendMessage")
        assert len(attempts) == 3 and len(bot.telegram.chat_messages(FACILITATOR)) == 1


async def test_timeouts_are_retried(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        bot.telegram.timeouts = 2
        reply = await bot.say(FACILITATOR, "/new")
        assert "question 1 of" in reply["text"]
        assert len(bot.telegram.chat_messages(FACILITATOR)) == 1


async def test_a_chosen_language_sticks_when_starting_a_workshop(tmp_path: Path) -> None:
    async with BotHarness(tmp_path) as bot:
        bot.telegram.user(31, "Jan", "en")
        menu = await bot.say(31, "/language")
        await bot.press(31, menu, "Русский")
        setup = await bot.say(31, "/new")
        assert "Новый воркшоп" in setup["text"]
