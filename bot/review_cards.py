"""The owner's review card: touchpoint, stage, KPIs against target with trend, open pain
points, last confirmation; buttons Up to date · Update KPI · Add pain point · Snooze 7
days · Hand over. Several due touchpoints come as one list message."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callback_data import encode
from bot.services import Services
from flows.insights import kpi_status, stage_label
from flows.models import JourneyMap, Member, PainStatus, Review
from flows.queries import load_map
from flows.texts import t

RAG_MARK = {"green": "🟢", "amber": "🟡", "red": "🔴", "none": ""}
TREND_MARK = {"up": " ↗", "down": " ↘", "flat": " →", None: ""}
LABEL_LIMIT = 40


def number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ")


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


def local_date(journey: JourneyMap, owner: Member, when: object) -> str:
    from datetime import datetime

    if not isinstance(when, datetime):
        return ""
    zone = ZoneInfo(owner.timezone or journey.workshop.timezone)
    return when.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def touchpoint_text(journey: JourneyMap, owner: Member, item: Review, lang: str) -> str:
    tp = next(t_ for t_ in journey.touchpoints if t_.id == item.touchpoint_id)
    stage = next((s for s in journey.stages if s.id == tp.stage_id), None)
    confirmed = (
        local_date(journey, owner, tp.last_confirmed_at)
        if tp.last_confirmed_at
        else t(lang, "review.card.never")
    )
    lines = [
        t(
            lang,
            "review.card",
            touchpoint=tp.name,
            stage=stage_label(stage, lang) if stage else "",
            confirmed=confirmed,
        )
    ]
    for kpi in (k for k in journey.kpis if k.touchpoint_id == tp.id):
        status = kpi_status(kpi, journey.readings)
        key = "review.card.kpi" if status.latest is not None else "review.card.kpi_empty"
        lines.append(
            t(
                lang,
                key,
                name=kpi.name,
                value=f"{number(status.latest)} {kpi.unit}".strip(),
                target=number(status.target),
                rag=RAG_MARK[status.rag],
                trend=TREND_MARK[status.trend],
            )
        )
    pains = [p for p in journey.pains if p.touchpoint_id == tp.id and p.status == PainStatus.OPEN]
    if pains:
        lines.append(t(lang, "review.card.pains", count=len(pains)))
        lines += [t(lang, "review.card.pain_line", text=_short(p.description)) for p in pains[:5]]
    lines.append("")
    lines.append(t(lang, "review.card.question"))
    return "\n".join(lines)


def card_buttons(item: Review, lang: str, has_kpi: bool) -> InlineKeyboardMarkup:
    def button(key: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(t(lang, key), callback_data=encode("r", action, item.id))

    first = [button("review.button.ok", "ok")]
    if has_kpi:
        first.append(button("review.button.kpi", "kpi"))
    return InlineKeyboardMarkup(
        [
            first,
            [button("review.button.pain", "pain"), button("review.button.snooze", "snz")],
            [button("review.button.handover", "hand")],
        ]
    )


async def card_message(
    svc: Services, owner: Member, items: list[Review], lang: str, journey: JourneyMap | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """The card (one review) or the list (several); ``journey`` saves reloading the map
    when many owners are served at once."""
    if journey is None:
        journey = await load_map(svc.store, owner.workshop_id, at=svc.clock.now())
    if len(items) == 1:
        item = items[0]
        has_kpi = any(k.touchpoint_id == item.touchpoint_id for k in journey.kpis)
        return touchpoint_text(journey, owner, item, lang), card_buttons(item, lang, has_kpi)
    names = {tp.id: tp for tp in journey.touchpoints}
    stages = {s.id: s for s in journey.stages}
    lines = [t(lang, "review.list", count=len(items), workshop=journey.workshop.title)]
    rows = []
    for item in items:
        tp = names.get(item.touchpoint_id)
        if tp is None:
            continue
        stage = stages.get(tp.stage_id)
        lines.append(
            t(
                lang,
                "review.list.line",
                touchpoint=tp.name,
                stage=stage_label(stage, lang) if stage else "",
            )
        )
        rows.append(
            [InlineKeyboardButton(_short(tp.name), callback_data=encode("r", "open", item.id))]
        )
    lines += ["", t(lang, "review.list.footer")]
    rows.append(
        [
            InlineKeyboardButton(
                t(lang, "review.button.all_ok"), callback_data=encode("r", "all", owner.id)
            )
        ]
    )
    return "\n".join(lines), InlineKeyboardMarkup(rows)
