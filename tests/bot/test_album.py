"""Albums: the fake Bot API takes sendMediaGroup as strictly as Telegram (2-10 photos,
each uploaded by ``attach://``, each photo's and caption's limits, one message per photo,
each counted against the rate limits), and delivery sends any number of photos as albums
none of which is a lone photo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.telegram import delivery
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.harness import BotHarness
from tests.bot.test_guards_delivery import _png


def _album(telegram: FakeTelegram, count: int, chat_id: int = 501, **first: Any) -> dict[str, Any]:
    media = [{"type": "photo", "media": f"attach://p{i}"} for i in range(count)]
    if media:
        media[0].update(first)
    files = {f"p{i}": _png(40 + i, 30) for i in range(count)}
    return telegram.handle(
        "sendMediaGroup", {"chat_id": chat_id, "media": json.dumps(media)}, files
    )


def _refused(answer: dict[str, Any]) -> str:
    assert answer["ok"] is False, answer
    return str(answer["description"])


def test_an_album_holds_two_to_ten_photos_each_a_message_of_one_group() -> None:
    telegram = FakeTelegram()
    assert "number of media" in _refused(_album(telegram, 1))
    assert "number of media" in _refused(_album(telegram, 11))
    answer = _album(telegram, 3, caption="<b>Map</b>", parse_mode="HTML")
    assert answer["ok"], answer
    messages = answer["result"]
    assert [m["photo"][0]["width"] for m in messages] == [40, 41, 42]
    assert len({m["media_group_id"] for m in messages}) == 1
    assert messages[0]["caption"] == "<b>Map</b>" and "caption" not in messages[1]
    assert len(telegram.chat_messages(501)) == 3


def test_each_photo_and_caption_of_an_album_is_checked() -> None:
    telegram = FakeTelegram()
    long = "<b>" + "x" * 1020 + "</b>"  # 1,020 characters once the tags are parsed
    assert _album(telegram, 2, caption=long, parse_mode="HTML")["ok"]
    assert "too long" in _refused(_album(telegram, 2, caption="x" * 1025))
    assert "parse entities" in _refused(_album(telegram, 2, caption="<b>x", parse_mode="HTML"))
    assert "media type" in _refused(_album(telegram, 2, type="document"))
    assert "no media" in _refused(_album(telegram, 2, media="attach://missing"))
    narrow = {"p0": _png(20, 1000), "p1": _png(40, 30)}  # aspect 50
    media = [{"type": "photo", "media": f"attach://p{i}"} for i in range(2)]
    sent = telegram.handle("sendMediaGroup", {"chat_id": 501, "media": media}, narrow)
    assert "DIMENSIONS" in _refused(sent)
    assert len(telegram.chat_messages(501)) == 2  # only the first album went out


def test_an_albums_photos_count_against_the_rate_limits() -> None:
    telegram = FakeTelegram()
    telegram.rate_limit = 5
    assert _album(telegram, 4)["ok"]
    assert _refused(_album(telegram, 2)).startswith("Too Many Requests")
    assert telegram.refused_429 == 1
    group = FakeTelegram()
    group.group_rate_limit = 20
    assert _album(group, 10, chat_id=-100)["ok"] and _album(group, 10, chat_id=-100)["ok"]
    refused = _album(group, 2, chat_id=-100)
    assert _refused(refused).startswith("Too Many Requests")
    assert refused["parameters"]["retry_after"] >= 1
    assert _album(group, 2, chat_id=-200)["ok"]  # another group has its own 20 a minute


@pytest.mark.parametrize(
    ("count", "sizes"),
    [(0, []), (1, [1]), (2, [2]), (10, [10]), (11, [6, 5]), (20, [10, 10]), (21, [7, 7, 7])],
)
def test_photos_split_into_albums_of_even_sizes(count: int, sizes: list[int]) -> None:
    assert delivery.albums(count) == sizes
    assert all(s >= 2 for s in sizes) or count == 1


async def test_delivery_sends_twelve_photos_as_two_albums_the_caption_on_the_first(
    tmp_path: Path,
) -> None:
    paths = []
    for i in range(12):
        paths.append(tmp_path / f"p{i}.png")
        paths[-1].write_bytes(_png(30 + i, 20))
    async with BotHarness(tmp_path) as bot:
        sent = await delivery.send_album(bot.app, 501, paths, caption="<b>The map</b>")
        assert sent is not None and [m.photo[-1].width for m in sent] == list(range(30, 42))
        calls = bot.telegram.sent(501, "sendMediaGroup")
        assert len(calls) == 2
        captions = [[m.get("caption") for m in _media(c.params["media"])] for c in calls]
        assert captions == [["<b>The map</b>"] + [None] * 5, [None] * 6]
        one = await delivery.send_album(bot.app, 501, paths[:1], caption="One")
        assert one is not None and len(one) == 1
        assert bot.telegram.sent(501, "sendPhoto")[-1].params["caption"] == "One"


async def test_an_album_to_someone_who_blocked_the_bot_marks_them(tmp_path: Path) -> None:
    paths = [tmp_path / "a.png", tmp_path / "b.png"]
    for path in paths:
        path.write_bytes(_png(30, 20))
    async with BotHarness(tmp_path) as bot:
        bot.telegram.user(502, "Eve")
        await bot.say(502, "/help")
        bot.telegram.blocked.add(502)
        assert await delivery.send_album(bot.app, 502, paths, person_id="tg:502") is None
        async with bot.services.store.read() as uow:
            eve = await uow.people.get("tg:502")
        assert eve is not None and eve.unreachable


def _media(value: Any) -> list[dict[str, Any]]:
    return json.loads(value) if isinstance(value, str) else list(value)
