"""WorkshopEngine behaviour at every step: back, skip, cancel, resume, edit by going back, stale
buttons, non-text answers, every error path, concurrency and resume with a new engine."""

from __future__ import annotations

import asyncio

import pytest

from flows.conversation.engine import Answer, token_of
from flows.models import EmotionScore, Member, StageNote, Touchpoint
from flows.steps.catalog import WorkshopEngine
from flows.texts import t_plain
from tests.flows.flowkit import joined, make_engine, new_workshop


async def _at_touchpoints(store):  # type: ignore[no-untyped-def]
    engine = make_engine(store)
    _, wid, codes = await new_workshop(engine)
    player = await joined(engine, "t:p", codes["marketing"])
    await player.play({}, until="touchpoints.name")
    return engine, wid, player


async def test_first_prompt_has_progress_token_and_buttons(store) -> None:
    engine = make_engine(store)
    out = await engine.start_setup("t:f", name="F", language="en")
    prompt = out.prompt
    assert prompt is not None and prompt.step == "setup.title"
    assert prompt.progress is not None and prompt.progress.key == "progress.question"
    # title, product, template, departments; one per department (three); the final five
    assert prompt.progress.params == {"section": "New workshop", "n": 1, "total": 12}
    assert prompt.token and len(prompt.token) == 8


async def test_progress_names_the_stage_number(store) -> None:
    _, _, player = await _at_touchpoints(store)
    prompt = player.last.prompt
    assert prompt.progress.key == "progress.stage.q"
    assert prompt.progress.params["i"] == 1 and prompt.progress.params["items"] == 4
    assert prompt.params["item"] == "Awareness"


async def test_colleagues_entries_are_shown_before_asking(store) -> None:
    engine, _, player = await _at_touchpoints(store)
    assert "touchpoints.colleagues.none" in player.last.keys
    await player.text("Google ads")
    await player.press("search_ads")
    await player.play({}, until="touchpoints.name")
    other = await joined(engine, "t:q", (await _codes(engine))["sales"], name="Quinn")
    out = await other.play({}, until="touchpoints.name")
    colleagues = next(r for r in out.replies if r.key == "touchpoints.colleagues")
    assert "Google ads" in colleagues.params["items"] and "Marketing" in colleagues.params["items"]


async def _codes(engine: WorkshopEngine) -> dict[str, str]:
    from flows.models import Department, Invite

    async with engine.store.read() as uow:
        (workshop,) = await uow.workshops.list_all()
        depts = {d.id: d.key for d in await uow.items.list(workshop.id, Department)}
        return {depts[i.department_id]: i.code for i in await uow.items.list(workshop.id, Invite)}


async def test_invalid_answers_name_the_problem_and_repeat_the_question(store) -> None:
    engine = make_engine(store, text_limit=50)
    await engine.start_setup("t:f", language="en")
    cases = [
        (Answer.text("x" * 51), "engine.error.too_long", {"limit": 50, "length": 51}),
        (Answer.text("   \n "), "engine.error.empty", {}),
        (Answer.non_text(), "engine.error.non_text", {}),
    ]
    for answer, key, params in cases:
        out = await engine.advance("t:f", answer)
        assert out.replies[0].key == key and out.replies[0].params == params
        assert out.prompt.step == "setup.title"
    out = await engine.advance("t:f", Answer.text("A" * 50))
    assert out.prompt.step == "setup.product"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("12.5%", 12.5),
        ("1 200", 1200.0),
        ("1\u00a0200", 1200.0),
        ("−3", -3.0),
        ("1,200.5", 1200.5),
    ],
)
async def test_numbers_are_locale_tolerant(store, typed: str, value: float) -> None:
    from flows.conversation.validation import parse_number

    assert parse_number(typed) == value


async def test_number_scale_choice_date_errors(store) -> None:
    engine, _, player = await _at_touchpoints(store)
    await player.text("Hotline")
    out = await player.text("carrier pigeon?" * 10)  # custom channel longer than 100 chars
    assert out.replies[0].key == "engine.error.too_long"
    out = await player.text("Carrier desk")  # a custom channel: online? controllable?
    assert out.prompt.step == "touchpoints.online"
    out = await player.text("maybe")
    assert out.replies[0].key == "engine.error.choose"
    out = await player.text("yes")
    assert out.prompt.step == "touchpoints.controllable"


async def test_scale_out_of_range_and_setup_number_errors(store) -> None:
    engine = make_engine(store)
    _, _, codes = await new_workshop(engine)
    player = await joined(engine, "t:p", codes["sales"])
    await player.play({}, until="emotions.score")
    for typed in ("5", "-3", "1.5", "abc"):
        out = await player.text(typed)
        assert out.replies[0].key in {"engine.error.range", "engine.error.number"}
        assert out.prompt.step == "emotions.score"
    out = await player.text("-2")
    assert out.prompt.step == "emotions.score" and out.prompt.progress.params["n"] == 2


async def test_setup_validates_cadence_timezone_time_and_lists(store) -> None:
    engine = make_engine(store)
    from flows.conversation.player import Player

    p = Player(engine, "t:f")
    p._keep(await engine.start_setup("t:f", language="en"))
    await p.play({"setup.title": ["T"], "setup.template": ["=custom"]}, until="setup.stages")
    assert (await p.press("!done")).replies[0].key == "engine.error.pick_one"
    await p.text("One")
    assert p.last.replies[0].key == "engine.list.so_far"
    await p.play({"setup.stages": ["!done"]}, until="setup.departments")
    for value in ("marketing", "sales", "support"):
        await p.press(value)  # unselect all
    assert (await p.press("!done")).replies[0].key == "engine.error.pick_one"
    await p.play(
        {"setup.departments": ["=sales", "!done"], "setup.personas": ["P", "!done"]},
        until="setup.cadence",
    )
    for typed, key in (("0", "engine.error.range"), ("soon", "engine.error.number")):
        assert (await p.text(typed)).replies[0].key == key
    await p.text("1 4")
    assert (await p.text("Mars/Olympus")).replies[0].key == "engine.error.timezone"
    await p.text("Asia/Tokyo")
    assert (await p.text("25:00")).replies[0].key == "engine.error.time"
    out = await p.text("8.30")
    assert out.prompt.step == "setup.confirm" and out.prompt.params["cadence"] == 14


async def test_stale_button_says_closed_and_shows_current_question(store) -> None:
    engine = make_engine(store)
    first = await engine.start_setup("t:f", language="en")
    await engine.advance("t:f", Answer.text("Title"))
    out = await engine.advance("t:f", Answer.button("!skip", first.prompt.token))
    assert out.replies[0].key == "engine.closed" and out.prompt.step == "setup.product"
    out = await engine.advance("t:f", Answer.button("aida"))  # a value from another step
    assert out.replies[0].key == "engine.closed" and out.prompt.step == "setup.product"


async def test_back_then_new_answer_edits_the_saved_item(store) -> None:
    engine, wid, player = await _at_touchpoints(store)
    await player.text("Banner — Top of page")
    out = await player.press("banner_ads")
    assert out.keys[0] == "touchpoints.saved"
    await player.press("!back")
    assert player.step == "touchpoints.channel"
    await player.press("search_ads")
    async with store.read() as uow:
        tps = await uow.items.list(wid, Touchpoint)
        history = await uow.items.history(tps[0].id)
    assert [(t.name, t.channel, t.description) for t in tps] == [
        ("Banner", "search_ads", "Top of page")
    ]
    assert [h.action for h in history] == ["create", "update"]


async def test_back_says_what_it_took_back(store) -> None:
    engine, wid, player = await _at_touchpoints(store)
    await player.text("Banner")
    await player.press("banner_ads")
    out = await player.press("!back")
    assert out.keys[0] == "engine.back.took" and player.step == "touchpoints.channel"
    assert t_plain("en", out.keys[0], **out.replies[0].params) == (
        "↩ Took back your answer «Banner ads»."
    )  # the option's label, not its code
    out = await player.press("!back")
    assert out.replies[0].params == {"answer": "Banner"} and player.step == "touchpoints.name"


async def test_back_after_a_skip_or_a_finished_list_says_so(store) -> None:
    engine = make_engine(store)
    await engine.start_setup("t:f", language="en")
    await engine.advance("t:f", Answer.text("Title"))
    await engine.skip("t:f")
    out = await engine.back("t:f")
    assert out.replies[0].key == "engine.back.skipped" and out.prompt.step == "setup.product"
    await engine.advance("t:f", Answer.text("Cars"))
    await engine.advance("t:f", Answer.button("custom"))
    await engine.advance("t:f", Answer.text("Visit"))
    await engine.advance("t:f", Answer.text("Buy " + "x" * 90))
    out = await engine.back("t:f")  # the list's last item, shortened
    assert out.replies[0].key == "engine.back.took" and out.prompt.step == "setup.stages"
    assert out.replies[0].params == {"answer": "Buy " + "x" * 75 + "…"}
    await engine.advance("t:f", Answer.button("!done"))
    out = await engine.back("t:f")
    assert out.replies[0].key == "engine.back.done" and out.prompt.step == "setup.stages"


async def test_back_at_the_first_question_says_so(store) -> None:
    engine = make_engine(store)
    await engine.start_setup("t:f", language="en")
    out = await engine.back("t:f")
    assert out.replies[0].key == "engine.back.none" and out.prompt.step == "setup.title"


async def test_skip_only_where_allowed(store) -> None:
    engine = make_engine(store)
    await engine.start_setup("t:f", language="en")
    out = await engine.skip("t:f")
    assert out.replies[0].key == "engine.error.no_skip"
    await engine.advance("t:f", Answer.text("T"))
    out = await engine.skip("t:f")
    assert out.prompt.step == "setup.template"


async def test_cancel_setup_creates_nothing(store) -> None:
    engine = make_engine(store)
    await engine.start_setup("t:f", language="en")
    await engine.advance("t:f", Answer.text("T"))
    out = await engine.cancel("t:f")
    assert out.keys == ["setup.cancelled"] and out.prompt is None
    async with store.read() as uow:
        assert await uow.workshops.list_all() == []
    out = await engine.advance("t:f", Answer.text("hello"))
    assert out.keys == ["engine.nothing"]


async def test_cancel_in_a_section_pauses_and_keeps_saved_answers(store) -> None:
    engine, wid, player = await _at_touchpoints(store)
    await player.text("Kiosk")
    await player.press("store_office_showroom")
    await player.press("!skip")
    await player.press("!skip")  # saved
    await player.text("Half-done")
    out = await engine.cancel("t:p")
    assert out.prompt.key == "engine.paused"
    out = await engine.advance("t:p", Answer.button("!resume", out.prompt.token))
    assert out.prompt.step == "touchpoints.name"
    async with store.read() as uow:
        assert [t.name for t in await uow.items.list(wid, Touchpoint)] == ["Kiosk"]


async def test_a_new_engine_resumes_every_member_at_the_same_step(store) -> None:
    engine = make_engine(store)
    fac, _, codes = await new_workshop(engine)
    a = await joined(engine, "t:a", codes["marketing"], "Ann")
    b = await joined(engine, "t:b", codes["support"], "Bob")
    await a.play({}, until="emotions.score")
    await b.play({"stages.goal": ["Find a dentist"]}, until="stages.actions")
    fresh = WorkshopEngine(store, engine.clock)
    for player in (a, b, fac):
        out = await fresh.resume(player.person_id)
        assert out.prompt.step == player.step
        assert out.prompt.token == player.last.prompt.token


async def test_two_answers_at_once_never_corrupt_the_position(store) -> None:
    engine, wid, player = await _at_touchpoints(store)
    answers = [Answer.text(f"TP {i}") for i in range(6)]
    results = await asyncio.gather(*(engine.advance("t:p", a) for a in answers))
    assert all(r.prompt is not None for r in results)
    async with store.read() as uow:
        position = await uow.positions.get("t:p", wid)
    # processed one after the other: name, then a custom channel, then "online?" refuses text
    assert position.draft["name"] == "TP 0" and position.draft["channel"] == "TP 1"
    assert position.step == "touchpoints.online"
    assert [r.prompt.step for r in results][:2] == ["touchpoints.channel", "touchpoints.online"]


async def test_emotion_score_is_one_per_person_and_stage_when_redone(store) -> None:
    engine = make_engine(store)
    _, wid, codes = await new_workshop(engine)
    player = await joined(engine, "t:p", codes["support"])
    await player.play({"emotions.score": ["=1"] * 4})
    await player.press("emotions")  # from the home menu: go through Emotions again
    await player.play({"emotions.score": ["=-2"] * 4})
    async with store.read() as uow:
        scores = await uow.items.list(wid, EmotionScore)
        notes = await uow.items.list(wid, StageNote)
        (member,) = [m for m in await uow.items.list(wid, Member) if m.person_id == "t:p"]
    assert [s.score for s in scores] == [-2] * 4
    assert member.finished_at is not None and notes == []


async def test_join_with_a_bad_or_revoked_code(store) -> None:
    from flows.workshop import facilitator

    engine = make_engine(store)
    _, wid, codes = await new_workshop(engine)
    out = await engine.join("t:x", "nope")
    assert out.keys == ["join.invite.unknown"]
    async with store.read() as uow:
        from flows.models import Invite

        invite = next(i for i in await uow.items.list(wid, Invite) if i.code == codes["sales"])
    await facilitator.revoke_invite(store, engine.clock, "t:fac", wid, invite.id)
    out = await engine.join("t:x", codes["sales"])
    assert out.keys == ["join.invite.unknown"]


async def test_token_changes_with_every_move(store) -> None:
    engine = make_engine(store)
    first = await engine.start_setup("t:f")
    second = await engine.advance("t:f", Answer.text("x"))
    assert first.prompt.token != second.prompt.token
    assert await engine.current_token("t:f") == second.prompt.token
    async with store.read() as uow:
        stored = await uow.positions.get("t:f", "")
    assert stored is not None and token_of(stored) == second.prompt.token


async def test_an_answer_meeting_a_position_changed_meanwhile_is_tried_again_once(
    store, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Another process moved the person's position between our read and our write: the
    whole answer is tried again on the fresh position, and stored once."""
    from storage.positions import StalePosition
    from tests.backends import position_repo

    engine = make_engine(store)
    await engine.start_setup("t:f")
    repo = position_repo(store)
    real_save = repo.save
    calls = {"n": 0}

    async def conflicting_once(self, position):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise StalePosition("changed meanwhile")
        await real_save(self, position)

    monkeypatch.setattr(repo, "save", conflicting_once)
    out = await engine.advance("t:f", Answer.text("Clinic"))
    assert calls["n"] == 2
    assert out.prompt is not None and out.prompt.step == "setup.product"
    async with store.read() as uow:
        stored = await uow.positions.get("t:f", "")
    assert stored is not None and stored.draft.get("title") == "Clinic"
