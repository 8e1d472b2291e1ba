"""The Customer Journey Map as pydantic models. No I/O here.

Every item of a workshop (department, member, persona, stage, ...) derives from
:class:`Item`, which carries its author, department and times. Storage keeps each item
as a JSON document keyed by ``kind`` and soft-deletes it; the audit trail keeps history.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

TEXT_LIMIT = 1000


def new_id() -> str:
    """A short, unguessable, URL- and callback-safe identifier (11 characters), never
    starting with "-" (a command line would read it as an option: ``--workshop -x1``)."""
    while (found := secrets.token_urlsafe(8)).startswith("-"):
        pass
    return found


def new_invite_code() -> str:
    """An invite code: 128 bits of randomness, safe for a Telegram deep link."""
    return secrets.token_urlsafe(16)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Model(BaseModel):
    model_config = ConfigDict(use_enum_values=False, validate_assignment=True, extra="forbid")


# ---------------------------------------------------------------------------- enums


class Role(StrEnum):
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"


class WorkshopStatus(StrEnum):
    DRAFT = "draft"
    COLLECTING = "collecting"
    PUBLISHED = "published"
    CLOSED = "closed"


class StageTemplate(StrEnum):
    AIDA = "aida"
    FIVE = "five"
    SIX = "six"
    CUSTOM = "custom"


STAGE_TEMPLATES: dict[StageTemplate, tuple[str, ...]] = {
    StageTemplate.AIDA: ("awareness", "interest", "desire", "action"),
    StageTemplate.FIVE: ("awareness", "evaluation", "deal", "experience", "repeat"),
    StageTemplate.SIX: ("need", "search", "choice", "purchase", "use", "loyalty"),
    StageTemplate.CUSTOM: (),
}


class Section(StrEnum):
    """What a department fills in, in the order participants meet them."""

    PERSONA = "persona"
    STAGES = "stages"
    EMOTIONS = "emotions"
    TOUCHPOINTS = "touchpoints"
    OWNERS = "owners"
    KPIS = "kpis"
    PAINS = "pains"
    IDEAS = "ideas"


ALL_SECTIONS: tuple[Section, ...] = tuple(Section)
DEFAULT_DEPARTMENTS: tuple[str, ...] = ("marketing", "sales", "support")


class Basis(StrEnum):
    DATA = "data"
    HYPOTHESIS = "hypothesis"


class Channel(StrEnum):
    """The channel catalogue (SPEC §2). A touchpoint may also name a custom channel."""

    WEBSITE = "website"
    LANDING = "landing_page"
    SEARCH_ADS = "search_ads"
    SOCIAL_ADS = "social_ads"
    BANNER_ADS = "banner_ads"
    TRANSACTIONAL_EMAIL = "transactional_email"
    NEWSLETTER = "email_newsletter"
    MESSENGER = "messenger"
    MOBILE_APP = "mobile_app"
    REVIEWS = "third_party_reviews"
    ONLINE_MEDIA = "online_media"
    PODCAST = "podcast"
    OPINION_LEADERS = "opinion_leaders"
    PRINT_RADIO_TV = "print_radio_tv"
    WORD_OF_MOUTH = "word_of_mouth"
    POSTAL_MAIL = "postal_mail"
    STORE = "store_office_showroom"
    EXHIBITION = "exhibition"
    CALL_CENTER = "call_center"
    POS_MATERIALS = "pos_materials"
    PRINTED = "printed_materials"
    DELIVERY = "courier_delivery"


OFFLINE_CHANNELS: frozenset[Channel] = frozenset(
    {
        Channel.PRINT_RADIO_TV,
        Channel.WORD_OF_MOUTH,
        Channel.POSTAL_MAIL,
        Channel.STORE,
        Channel.EXHIBITION,
        Channel.CALL_CENTER,
        Channel.POS_MATERIALS,
        Channel.PRINTED,
        Channel.DELIVERY,
    }
)


def channel_is_online(channel: str) -> bool:
    """Catalogue channels know whether they are online; custom ones default to online."""
    try:
        return Channel(channel) not in OFFLINE_CHANNELS
    except ValueError:
        return True


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class EvidenceKind(StrEnum):
    ANALYTICS = "analytics"
    TICKETS = "support_tickets"
    INTERVIEWS = "interviews"
    SURVEY = "survey_nps"
    REVIEWS = "reviews"
    OBSERVATION = "observation"


class Effort(StrEnum):
    S = "S"
    M = "M"
    L = "L"


class IdeaStatus(StrEnum):
    PROPOSED = "proposed"
    PLANNED = "planned"
    DONE = "done"


class PainStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class NoteLane(StrEnum):
    GOAL = "goal"
    ACTIONS = "actions"
    THOUGHTS = "thoughts"


# ----------------------------------------------------------------------- base items

ShortText = Annotated[str, Field(max_length=TEXT_LIMIT)]
Score = Annotated[int, Field(ge=-2, le=2)]


class Item(Model):
    """Common fields of everything a workshop holds."""

    kind: ClassVar[str] = "item"

    id: str = Field(default_factory=new_id)
    workshop_id: str
    author_id: str | None = None  # member id; None for anonymous or system-made items
    department_id: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None

    @field_validator("created_at", "updated_at", "deleted_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Workshop(Model):
    id: str = Field(default_factory=new_id)
    title: ShortText
    product: ShortText = ""
    language: str = "en"
    timezone: str = "UTC"
    stage_template: StageTemplate = StageTemplate.AIDA
    review_cadence_days: int = Field(default=30, ge=1, le=365)
    reminder_time: time = time(10, 0)
    working_days: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4])  # Mon=0
    quiet_start: time = time(20, 0)
    quiet_end: time = time(9, 0)
    deadline: date | None = None
    status: WorkshopStatus = WorkshopStatus.DRAFT
    created_by: str = ""  # person id
    group_chat_id: int | None = None
    last_digest_at: datetime | None = None
    published_at: datetime | None = None  # when its latest version was frozen
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


class Person(Model):
    """Somebody who talks to the bot: a Telegram user, or a name in the terminal."""

    id: str  # "tg:<user id>" or "cli:<name>"
    name: str = ""
    language: str | None = None
    timezone: str | None = None
    chat_id: int | None = None
    current_workshop_id: str | None = None
    unreachable: bool = False
    updated_at: datetime = Field(default_factory=utcnow)


class Department(Item):
    kind: ClassVar[str] = "department"
    key: str | None = None  # "marketing", "sales", "support" for the built-in ones
    name: ShortText = ""
    sections: list[Section] = Field(default_factory=lambda: list(ALL_SECTIONS))


class Member(Item):
    kind: ClassVar[str] = "member"
    person_id: str | None = None  # None for an invited person who has not joined yet
    name: ShortText = ""
    position: ShortText = ""
    role: Role = Role.PARTICIPANT
    timezone: str | None = None
    away_until: date | None = None
    unreachable: bool = False
    finished_at: datetime | None = None
    last_nudged_at: datetime | None = None


class Invite(Item):
    kind: ClassVar[str] = "invite"
    code: str = Field(default_factory=new_invite_code)
    role: Role = Role.PARTICIPANT
    revoked_at: datetime | None = None


class PersonaAlternative(Model):
    """A colleague's answer for a persona field that differs from the one on the card:
    kept beside it (a disagreement to discuss), never overwriting it."""

    field: str
    text: ShortText
    department_id: str | None = None


class Persona(Item):
    kind: ClassVar[str] = "persona"
    name: ShortText
    segment: ShortText = ""
    age: ShortText = ""
    gender: ShortText = ""
    occupation: ShortText = ""
    family: ShortText = ""
    geography: ShortText = ""
    income: ShortText = ""
    interests: ShortText = ""
    social_networks: ShortText = ""
    buying_habits: ShortText = ""
    technology: ShortText = ""
    goals: ShortText = ""
    frustrations: ShortText = ""
    opinion_leaders: ShortText = ""
    brands: ShortText = ""
    basis: Basis = Basis.HYPOTHESIS
    sources: ShortText = ""
    alternatives: list[PersonaAlternative] = Field(default_factory=list)


class Stage(Item):
    kind: ClassVar[str] = "stage"
    persona_id: str | None = None
    order: int
    key: str | None = None  # template stage key, for a translated name
    name: ShortText = ""


class StageNote(Item):
    """One person's goal, actions or thoughts for a stage; many merge into the map."""

    kind: ClassVar[str] = "stage_note"
    stage_id: str
    persona_id: str | None = None  # one persona's (None: the same for every persona)
    lane: NoteLane
    text: ShortText


class EmotionScore(Item):
    kind: ClassVar[str] = "emotion"
    stage_id: str
    persona_id: str | None = None  # one persona's (None: the same for every persona)
    score: Score


class Touchpoint(Item):
    kind: ClassVar[str] = "touchpoint"
    stage_id: str
    name: ShortText
    channel: str = Channel.WEBSITE.value
    online: bool = True
    controllable: bool = True
    owner_id: str | None = None  # member id
    description: ShortText = ""
    # other departments that said "use it" for their own (their KPIs are asked for it)
    shared_with: list[str] = Field(default_factory=list)
    review_cadence_days: int | None = Field(default=None, ge=1, le=365)
    last_confirmed_at: datetime | None = None


class Kpi(Item):
    kind: ClassVar[str] = "kpi"
    touchpoint_id: str | None = None
    stage_id: str | None = None
    name: ShortText
    unit: str = ""
    direction: Direction = Direction.HIGHER
    target: float | None = None
    last_confirmed_at: datetime | None = None


class KpiReading(Item):
    kind: ClassVar[str] = "kpi_reading"
    kpi_id: str
    value: float
    at: datetime = Field(default_factory=utcnow)
    source: ShortText = ""


class PainPoint(Item):
    kind: ClassVar[str] = "pain"
    stage_id: str
    persona_id: str | None = None  # one persona's (None: the same for every persona)
    touchpoint_id: str | None = None
    description: ShortText
    evidence_kind: EvidenceKind | None = None
    evidence: ShortText = ""
    severity: int = Field(default=2, ge=1, le=3)
    anonymous: bool = False
    status: PainStatus = PainStatus.OPEN

    @property
    def is_hypothesis(self) -> bool:
        return self.evidence_kind is None and not self.evidence


class Idea(Item):
    kind: ClassVar[str] = "idea"
    pain_id: str
    description: ShortText
    quick_win: bool = False
    effort: Effort = Effort.M
    owner_id: str | None = None
    due: date | None = None
    status: IdeaStatus = IdeaStatus.PROPOSED


class MapVersion(Item):
    kind: ClassVar[str] = "map_version"
    number: int
    changes: list[str] = Field(default_factory=list)
    snapshot: dict[str, object] = Field(default_factory=dict)


class ReviewStatus(StrEnum):
    SCHEDULED = "scheduled"
    SENT = "sent"
    DONE = "done"
    CANCELLED = "cancelled"


class ReviewOutcome(StrEnum):
    UP_TO_DATE = "up_to_date"
    KPI_UPDATED = "kpi_updated"
    PAIN_ADDED = "pain_added"
    SNOOZED = "snoozed"
    HANDED_OVER = "handed_over"


class Review(Item):
    """One due review of one touchpoint by its owner; the schedule lives in the database."""

    kind: ClassVar[str] = "review"
    touchpoint_id: str
    owner_id: str
    round_id: str | None = None
    due_at: datetime
    sent_at: datetime | None = None  # claimed for sending
    claim: str | None = None  # the delivery pass that claimed it (its fence token)
    delivered_at: datetime | None = None  # Telegram accepted the message
    answered_at: datetime | None = None
    escalated_at: datetime | None = None
    snoozed_until: datetime | None = None
    status: ReviewStatus = ReviewStatus.SCHEDULED
    outcome: ReviewOutcome | None = None


class ReviewRound(Item):
    kind: ClassVar[str] = "review_round"
    number: int
    started_by: str | None = None
    closes_at: datetime
    completed_at: datetime | None = None
    version_id: str | None = None


class HandoverStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Handover(Item):
    kind: ClassVar[str] = "handover"
    touchpoint_id: str
    from_id: str
    to_id: str
    status: HandoverStatus = HandoverStatus.PENDING
    answered_at: datetime | None = None


class RuleTrigger(StrEnum):
    """What a rule of the living map watches; each comes with its action (see
    ``flows.review.rules``). Stored: never change a value."""

    KPI_MISSES = "kpi_misses"  # N missed readings in a row → ask the owner, tell facilitators
    UNCONFIRMED = "unconfirmed"  # not confirmed for N cadences → escalate in the weekly digest
    PAIN_WITHOUT_IDEA = "pain_without_idea"  # severity 3, no idea for N days → its department


class Rule(Item):
    """A facilitator's rule: when ``trigger`` has held ``count`` times (readings, cadences
    or days), act. Switched off rules are kept but not evaluated."""

    kind: ClassVar[str] = "rule"
    trigger: RuleTrigger
    count: int = Field(ge=1, le=365)
    enabled: bool = True


class RuleFiring(Item):
    """One firing of a rule for one instance of its condition (``key``: rule, subject and
    instance — the first reading of a miss run, the last confirmation, ...): recorded once,
    so the same condition never fires twice."""

    kind: ClassVar[str] = "rule_firing"
    rule_id: str
    subject_id: str  # the KPI, touchpoint or pain point it fired for
    key: str
    at: datetime
    reported_at: datetime | None = None  # an escalation: when a digest listed it


ITEM_TYPES: dict[str, type[Item]] = {
    cls.kind: cls
    for cls in (
        Department,
        Member,
        Invite,
        Persona,
        Stage,
        StageNote,
        EmotionScore,
        Touchpoint,
        Kpi,
        KpiReading,
        PainPoint,
        Idea,
        MapVersion,
        Review,
        ReviewRound,
        Handover,
        Rule,
        RuleFiring,
    )
}


# -------------------------------------------------------------- conversation position


class Position(Model):
    """Where one person is in one conversation. Stored, so a restart resumes here."""

    person_id: str
    workshop_id: str = ""  # "" while a facilitator sets up a workshop not yet created
    flow: str = ""
    step: str = ""
    cursor: dict[str, str | int | None] = Field(default_factory=dict)
    draft: dict[str, object] = Field(default_factory=dict)
    history: list[dict[str, object]] = Field(default_factory=list)
    message_id: int | None = None  # the bot message holding the current question
    version: int = 0
    updated_at: datetime = Field(default_factory=utcnow)


# --------------------------------------------------------------------- the whole map


class JourneyMap(Model):
    """Everything of one workshop, as the renderer and the exports read it."""

    workshop: Workshop
    departments: list[Department] = Field(default_factory=list)
    members: list[Member] = Field(default_factory=list)
    personas: list[Persona] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    notes: list[StageNote] = Field(default_factory=list)
    emotions: list[EmotionScore] = Field(default_factory=list)
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    readings: list[KpiReading] = Field(default_factory=list)
    pains: list[PainPoint] = Field(default_factory=list)
    ideas: list[Idea] = Field(default_factory=list)
    version: int = 0
    generated_at: datetime = Field(default_factory=utcnow)

    FIELDS: ClassVar[dict[str, str]] = {
        "department": "departments",
        "member": "members",
        "persona": "personas",
        "stage": "stages",
        "stage_note": "notes",
        "emotion": "emotions",
        "touchpoint": "touchpoints",
        "kpi": "kpis",
        "kpi_reading": "readings",
        "pain": "pains",
        "idea": "ideas",
    }

    @classmethod
    def from_items(
        cls, workshop: Workshop, items: list[Item], version: int = 0, at: datetime | None = None
    ) -> JourneyMap:
        """Build the map of the live (not deleted) items, stages in their order."""
        lists: dict[str, list[Item]] = {name: [] for name in cls.FIELDS.values()}
        for item in items:
            name = cls.FIELDS.get(item.kind)
            if name is not None and item.deleted_at is None:
                lists[name].append(item)
        lists["stages"].sort(key=lambda s: s.order)  # type: ignore[attr-defined]
        return cls.model_validate(
            {"workshop": workshop, "version": version, "generated_at": at or utcnow(), **lists}
        )

    @property
    def published_at(self) -> datetime | None:
        """When the map's version was published (None for a draft, or a version frozen
        before publication dates were kept)."""
        return self.workshop.published_at if self.version else None

    def member_name(self, member_id: str | None) -> str:
        for m in self.members:
            if m.id == member_id:
                return m.name
        return ""


AuditAction = Literal["create", "update", "delete", "restore"]
