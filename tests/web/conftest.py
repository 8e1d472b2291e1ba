"""Two workshops for the interactive map's tests, and the Mini App's server on loopback."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.telegram.webapp.initdata import sign
from bot.telegram.webapp.server import WebAppConfig, WebAppServer
from flows.models import EvidenceKind, NoteLane, Role
from storage.store import SqliteStore
from tests.builders import WorkshopBuilder
from tests.web.browser import chromium  # noqa: F401  (the browser tests' fixture)

TOKEN = "123456789:" + "A" * 35
OTHER_TOKEN = "987654321:" + "B" * 35
FAC, OLGA, STRANGER = 9000, 101, 202  # Telegram user ids
READINGS = (31.0, 38.0, 35.0, 44.0, 52.0)


@dataclass
class Workshops:
    ours: WorkshopBuilder  # Fac (facilitator, Sales) and Olga (Support)
    theirs: WorkshopBuilder  # only the stranger


async def build_workshops(store: SqliteStore) -> Workshops:
    b = WorkshopBuilder("Dealership journey", product="Cars", language="en")
    sales = b.department("sales", "Sales")
    support = b.department("support", "Support")
    fac = b.member("Fac", tg=FAC, role=Role.FACILITATOR, department=sales)
    olga = b.member("Olga", tg=OLGA, department=support)
    drive = b.stage("Test drive")
    buy = b.stage("Purchase")
    b.stage("Service")
    showroom = b.touchpoint(drive, "Showroom visit", owner=fac, author=fac, channel="website")
    hotline = b.touchpoint(buy, "Service hotline", owner=olga, author=olga, channel="call_center")
    start = datetime(2025, 9, 1, tzinfo=UTC)
    b.kpi(
        hotline,
        "Hotline NPS",
        target=50,
        readings=[(start + timedelta(days=30 * i), v) for i, v in enumerate(READINGS)],
    )
    b.kpi(showroom, "Visits to orders", unit="%", target=20)
    pain = b.pain(
        buy,
        "Nobody answers after 6 pm",
        touchpoint=hotline,
        evidence_kind=EvidenceKind.TICKETS,
        evidence="Zendesk report https://tickets.example/r/42",
        severity=3,
        anonymous=True,
        department=support,
    )
    b.idea(pain, "Evening shift on the hotline", quick_win=True)
    b.note(drive, NoteLane.GOAL, "Feel the car on a real road", department_id=sales.id)
    b.emotion(drive, 1, author=fac)
    ours = await b.save(store)
    o = WorkshopBuilder("Secret bakery", language="en")
    baker = o.member("Baker", tg=STRANGER, role=Role.FACILITATOR)
    o.touchpoint(o.stage("Oven"), "Secret sourdough oven", owner=baker)
    return Workshops(ours, await o.save(store))


def init_data(
    user_id: int, *, token: str = TOKEN, age_s: float = 5, lang: str = "en", **extra: str
) -> str:
    fields = {
        "query_id": "AAE-test",
        "user": json.dumps({"id": user_id, "first_name": "T", "language_code": lang}),
        "auth_date": str(int(time.time() - age_s)),
        **extra,
    }
    return sign(fields, token)


@pytest.fixture
async def workshops(store: SqliteStore) -> Workshops:
    return await build_workshops(store)


@pytest.fixture
async def webapp(store: SqliteStore, workshops: Workshops) -> AsyncIterator[WebAppServer]:
    config = WebAppConfig(
        url="https://maps.example/cjm/app", token=TOKEN, max_age_s=3600, poll_s=0.3
    )
    server = WebAppServer(store, config)
    await server.start("127.0.0.1", 0)
    try:
        yield server
    finally:
        await server.stop()
