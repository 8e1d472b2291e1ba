"""The owner's review card: touchpoint, stage, KPIs against target with the trend of
all their readings as a sparkline (▁▃▅▇), open pain points, last confirmation; buttons
Up to date · Update KPI · Add pain point · Snooze 7 days · Hand over. Several due
touchpoints come as one list message."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.callback_data import Action, HandoverReply, ReviewPress, encode
from bot.telegram.delivery import keyboard, message_text
from bot.telegram.services import Services
from flows.conversation.outcome import Outcome
from flows.models import (
    JourneyMap,
    Kpi,
    KpiReading,
    Member,
    PainPoint,
    PainStatus,
    Review,
    Stage,
    Touchpoint,
)
from flows.review import actions as review_actions
from flows.review import card as review_card
from flows.review.actions import Waiting
from flows.texts import t
from flows.workshop.insights import kpi_status, stage_label
from flows.workshop.queries import load_map

RAG_MARK = {"green": "🟢", "amber": "🟡", "red": "🔴", "none": ""}
BARS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 12  # readings shown in the sparkline; more are sampled evenly, ends kept
LABEL_LIMIT = 40
PAINS_SHOWN = 5
LISTED = 20  # touchpoints listed (and buttons) in one message; "All up to date" covers all


def sparkline(values: tuple[float, ...]) -> str:
    """The trend over every reading as bars (``▁▃▅▇``), oldest first and the latest last
    ("" for fewer than two: no trend yet); a flat series is a flat line."""
    if len(values) < 2:
        return ""
    if len(values) > SPARK_WIDTH:
        last = len(values) - 1
        values = tuple(values[round(i * last / (SPARK_WIDTH - 1))] for i in range(SPARK_WIDTH))
    low, high = min(values), max(values)
    if high == low:
        return BARS[3] * len(values)
    top = len(BARS) - 1
    return "".join(BARS[round((v - low) / (high - low) * top)] for v in values)


def short(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


class Cards:
    """Review messages for one workshop's map, with lookups built once (a delivery to
    thousands of owners reads the map once)."""

    def __init__(self, journey: JourneyMap) -> None:
        self.journey = journey
        self.touchpoints: dict[str, Touchpoint] = {tp.id: tp for tp in journey.touchpoints}
        self.stages: dict[str, Stage] = {s.id: s for s in journey.stages}
        self.kpis: dict[str, list[Kpi]] = defaultdict(list)
        for kpi in journey.kpis:
            self.kpis[kpi.touchpoint_id or ""].append(kpi)
        self.readings: dict[str, list[KpiReading]] = defaultdict(list)
        for reading in journey.readings:
            self.readings[reading.kpi_id].append(reading)
        self.pains: dict[str, list[PainPoint]] = defaultdict(list)
        for pain in journey.pains:
            if pain.status == PainStatus.OPEN:
                self.pains[pain.touchpoint_id or ""].append(pain)

    def _stage(self, tp: Touchpoint, lang: str) -> str:
        stage = self.stages.get(tp.stage_id)
        return stage_label(stage, lang) if stage else ""

    def _when(self, owner: Member, when: datetime | None, lang: str) -> str:
        if when is None:
            return t(lang, "review.card.never")
        zone = ZoneInfo(owner.timezone or self.journey.workshop.timezone)
        return when.astimezone(zone).strftime("%d.%m.%Y")

    def card(self, owner: Member, item: Review, lang: str) -> tuple[str, InlineKeyboardMarkup]:
        tp = self.touchpoints[item.touchpoint_id]
        lines = [
            t(
                lang,
                "review.card",
                touchpoint=tp.name,
                stage=self._stage(tp, lang),
                confirmed=self._when(owner, tp.last_confirmed_at, lang),
            )
        ]
        for kpi in self.kpis.get(tp.id, []):
            status = kpi_status(kpi, self.readings.get(kpi.id, []))
            key = "review.card.kpi" if status.latest is not None else "review.card.kpi_empty"
            lines.append(
                t(
                    lang,
                    key,
                    name=kpi.name,
                    value=review_card.kpi_value(kpi, status.latest, lang),
                    target=review_card.target(kpi, lang),
                    rag=RAG_MARK[status.rag],
                    trend=f" {spark}" if (spark := sparkline(status.values)) else "",
                )
            )
        pains = self.pains.get(tp.id, [])
        if pains:
            lines.append(t(lang, "review.card.pains", count=len(pains)))
            lines += [
                t(lang, "review.card.pain_line", text=short(p.description))
                for p in pains[:PAINS_SHOWN]
            ]
        lines += ["", t(lang, "review.card.question")]
        return "\n".join(lines), self.buttons(item, lang, bool(self.kpis.get(tp.id)))

    @staticmethod
    def buttons(item: Review, lang: str, has_kpi: bool) -> InlineKeyboardMarkup:
        def button(key: str, press: ReviewPress) -> InlineKeyboardButton:
            return InlineKeyboardButton(
                t(lang, key), callback_data=encode(Action.REVIEW, press, item.id)
            )

        first = [button("review.button.ok", ReviewPress.OK)]
        if has_kpi:
            first.append(button("review.button.kpi", ReviewPress.KPI))
        return InlineKeyboardMarkup(
            [
                first,
                [
                    button("review.button.pain", ReviewPress.PAIN),
                    button("review.button.snooze", ReviewPress.SNOOZE),
                ],
                [button("review.button.handover", ReviewPress.HAND)],
            ]
        )

    def listing(
        self, owner: Member, items: list[Review], lang: str
    ) -> tuple[str, InlineKeyboardMarkup]:
        lines = [t(lang, "review.list", count=len(items), workshop=self.journey.workshop.title)]
        rows = []
        shown = [i for i in items if i.touchpoint_id in self.touchpoints][:LISTED]
        for item in shown:
            tp = self.touchpoints[item.touchpoint_id]
            lines.append(
                t(lang, "review.list.line", touchpoint=short(tp.name), stage=self._stage(tp, lang))
            )
            rows.append(
                [
                    InlineKeyboardButton(
                        short(tp.name),
                        callback_data=encode(Action.REVIEW, ReviewPress.OPEN, item.id),
                    )
                ]
            )
        if len(items) > len(shown):
            lines.append(t(lang, "map.more", n=len(items) - len(shown)))
        lines += ["", t(lang, "review.list.footer")]
        rows.append(
            [
                InlineKeyboardButton(
                    t(lang, "review.button.all_ok"),
                    callback_data=encode(Action.REVIEW, ReviewPress.ALL, owner.id),
                )
            ]
        )
        return "\n".join(lines), InlineKeyboardMarkup(rows)

    def rest(self, waiting: Waiting, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
        """After an answer: the list again, answered items ✓ and the open ones as buttons;
        after the last one a short summary ("" when the answer was a lone card)."""
        if not waiting.open:
            count = len(waiting.answered)
            return (t(lang, "review.list.finished", count=count) if count > 1 else ""), None
        total = len(waiting.open) + len(waiting.answered)
        lines = [t(lang, "review.list.left", left=len(waiting.open), total=total)]
        for item in waiting.answered:
            tp = self.touchpoints.get(item.touchpoint_id)
            if tp is not None:
                lines.append(t(lang, "review.list.done_line", touchpoint=short(tp.name)))
        text, markup = self.listing(waiting.owner, waiting.open, lang)
        return "\n".join(lines) + "\n" + text.split("\n", 1)[1], markup

    def message(
        self, owner: Member, items: list[Review], lang: str
    ) -> tuple[str, InlineKeyboardMarkup]:
        if len(items) == 1:
            return self.card(owner, items[0], lang)
        return self.listing(owner, items, lang)


async def card_message(
    svc: Services, owner: Member, items: list[Review], lang: str
) -> tuple[str, InlineKeyboardMarkup]:
    """One owner's message, reading the map afresh (after a button press)."""
    journey = await load_map(svc.store, owner.workshop_id, at=svc.clock.now())
    return Cards(journey).message(owner, items, lang)


async def after_review_flow(
    svc: Services, person_id: str, outcome: Outcome
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """A flow that answered a review ("Update KPI", "Add pain point"): its message with
    what is still open of the owner's list — the list's buttons instead of the question
    the person is back at (``/continue`` shows it) — or, after the last one, the summary
    before that question. None for any other outcome (it is sent as it is)."""
    answered = next(
        (str(r.params.get("answered")) for r in outcome.requests if r.kind == "review_answered"),
        "",
    )
    if not answered:
        return None
    waiting = await review_actions.waiting(svc.store, person_id, answered)
    rest, markup = await rest_of_list(svc, waiting, outcome.lang)
    if not rest:
        return None
    said = outcome.model_copy(
        update={"replies": [r for r in outcome.replies if r.kind != "prompt"]}
    )
    if markup is not None:
        return f"{message_text(said)}\n\n{rest}", markup
    question = outcome.model_copy(
        update={"replies": [r for r in outcome.replies if r.kind == "prompt"]}
    )
    return "\n\n".join(
        p for p in (message_text(said), rest, message_text(question)) if p
    ), keyboard(outcome)


async def rest_of_list(
    svc: Services, waiting: Waiting | None, lang: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """What is left of an owner's list after an answer (see :meth:`Cards.rest`)."""
    if waiting is None or (not waiting.open and len(waiting.answered) < 2):
        return "", None
    journey = await load_map(svc.store, waiting.owner.workshop_id, at=svc.clock.now())
    return Cards(journey).rest(waiting, lang)


def handover_choices(review_id: str, members: list[Member]) -> InlineKeyboardMarkup:
    """One button per colleague the touchpoint can be handed to."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    m.name[:LABEL_LIMIT] or "?",
                    callback_data=encode(Action.REVIEW, ReviewPress.HAND_TO, review_id, m.id),
                )
            ]
            for m in members
        ]
    )


def offer_buttons(offer_id: str, lang: str) -> InlineKeyboardMarkup:
    """Accept / Decline under a handover offer."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(lang, "review.handover.accept"),
                    callback_data=encode(Action.HANDOVER, HandoverReply.ACCEPT, offer_id),
                ),
                InlineKeyboardButton(
                    t(lang, "review.handover.decline"),
                    callback_data=encode(Action.HANDOVER, HandoverReply.DECLINE, offer_id),
                ),
            ]
        ]
    )
