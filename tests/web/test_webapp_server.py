"""The Mini App's server: the map's data only for a member of that workshop, who opened it
from Telegram (initData signed with this bot's token, not too old). Everything else gets
401 or 403 with nothing of any workshop in the answer."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPResponse

from bot.telegram.webapp.initdata import InitDataError, check, sign
from bot.telegram.webapp.server import WebAppServer, page_url
from flows.models import Touchpoint
from storage.store import SqliteStore
from tests.web.conftest import FAC, OLGA, OTHER_TOKEN, STRANGER, TOKEN, Workshops, init_data
from tests.web.pages import inline_json, titles

SECRETS = ("Dealership", "Showroom", "Hotline", "Nobody answers", "Secret", "sourdough", "Olga")


async def get(server: WebAppServer, path: str, auth: str | None = None) -> HTTPResponse:
    headers = {} if auth is None else {"X-Telegram-Init-Data": auth}
    return await AsyncHTTPClient().fetch(
        f"http://127.0.0.1:{server.port}{path}", headers=headers, raise_error=False
    )


def body(resp: HTTPResponse) -> str:
    return resp.body.decode("utf-8") if resp.body else ""


def assert_tells_nothing(resp: HTTPResponse, status: int) -> None:
    assert resp.code == status
    text = body(resp)
    assert [s for s in SECRETS if s in text] == []
    assert json.loads(text) == {"error": "unauthorized" if status == 401 else "forbidden"}


async def test_a_member_with_signed_init_data_gets_the_map_and_its_revision(
    webapp: WebAppServer, workshops: Workshops
) -> None:
    wid = workshops.ours.id
    resp = await get(webapp, f"/cjm/api/map?w={wid}", init_data(OLGA))
    assert resp.code == 200 and resp.headers["Cache-Control"] == "no-store"
    got: dict[str, Any] = json.loads(body(resp))
    names = titles(got["map"])
    assert {"Showroom visit", "Service hotline", "Hotline NPS"} <= names
    assert "Secret sourdough oven" not in body(resp)
    rev = await get(webapp, f"/cjm/api/revision?w={wid}", init_data(OLGA))
    assert json.loads(body(rev)) == {"revision": got["revision"]}


@pytest.mark.parametrize(
    "auth",
    [
        pytest.param(None, id="no initData"),
        pytest.param("", id="empty"),
        pytest.param(init_data(OLGA, token=OTHER_TOKEN), id="signed with another bot's token"),
        pytest.param(init_data(OLGA).replace("%22id%22%3A+101", "%22id%22%3A+9000"), id="forged"),
        pytest.param(init_data(OLGA) + "&extra=1", id="a field added"),
        pytest.param(init_data(OLGA, age_s=3601), id="expired"),
        pytest.param(init_data(OLGA, age_s=-3600), id="from the future"),
        pytest.param("hash=abc&&&", id="garbage"),
    ],
)
async def test_untrusted_init_data_gets_401_and_nothing_of_the_workshop(
    webapp: WebAppServer, workshops: Workshops, auth: str | None
) -> None:
    for what in ("map", "revision"):
        resp = await get(webapp, f"/cjm/api/{what}?w={workshops.ours.id}", auth)
        assert_tells_nothing(resp, 401)


async def test_another_workshops_member_gets_403_and_nothing_of_it(
    webapp: WebAppServer, workshops: Workshops
) -> None:
    for what in ("map", "revision"):
        resp = await get(webapp, f"/cjm/api/{what}?w={workshops.ours.id}", init_data(STRANGER))
        assert_tells_nothing(resp, 403)
        resp = await get(webapp, f"/cjm/api/{what}?w={workshops.theirs.id}", init_data(FAC))
        assert_tells_nothing(resp, 403)
        resp = await get(webapp, f"/cjm/api/{what}?w=no-such-workshop", init_data(FAC))
        assert_tells_nothing(resp, 403)


async def test_the_page_itself_holds_no_workshop_data(
    webapp: WebAppServer, workshops: Workshops
) -> None:
    resp = await get(webapp, f"/cjm/app?w={workshops.ours.id}&l=ru")
    assert resp.code == 200
    page = body(resp)
    assert [s for s in SECRETS if s in page] == []
    assert inline_json(page) is None
    assert inline_json(page, "cjm-config")["workshop"] == workshops.ours.id
    assert inline_json(page, "cjm-ui")["search.placeholder"] == "Поиск по карте"
    assert "connect-src 'self'" in page


async def test_the_revision_changes_when_the_map_does(
    webapp: WebAppServer, workshops: Workshops, store: SqliteStore
) -> None:
    path = f"/cjm/api/revision?w={workshops.ours.id}"
    before = json.loads(body(await get(webapp, path, init_data(FAC))))["revision"]
    again = json.loads(body(await get(webapp, path, init_data(FAC))))["revision"]
    assert before == again
    async with store.write() as uow:
        stage = workshops.ours.stages[0]
        await uow.items.add(
            Touchpoint(workshop_id=workshops.ours.id, stage_id=stage.id, name="Brochure")
        )
    after = json.loads(body(await get(webapp, path, init_data(FAC))))["revision"]
    assert after != before


def test_the_signature_is_checked_as_telegram_documents() -> None:
    # the example of Telegram's documentation, computed independently here
    import hashlib
    import hmac

    fields = {"auth_date": str(int(time.time())), "user": '{"id":5,"language_code":"pl"}'}
    dcs = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, dcs.encode(), hashlib.sha256).hexdigest()
    from urllib.parse import urlencode

    user = check(urlencode({**fields, "hash": digest}), TOKEN, max_age_s=60, now=time.time())
    assert (user.id, user.language, user.person_id) == (5, "pl", "tg:5")
    assert sign(fields, TOKEN).endswith(digest)
    with pytest.raises(InitDataError, match="bad signature"):
        check(urlencode({**fields, "hash": digest[:-1] + "x"}), TOKEN, max_age_s=60, now=0)


def test_the_button_opens_the_page_for_one_workshop_in_the_persons_language() -> None:
    assert page_url("https://maps.example/app", "W1", "pl") == "https://maps.example/app?w=W1&l=pl"
    assert page_url("https://m.example/?x=1", "W1", "en") == "https://m.example/?x=1&w=W1&l=en"
