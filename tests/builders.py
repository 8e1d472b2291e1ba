"""Workshops for tests, written straight into a real SQLite store through the real
repositories (no conversation is played).

``WorkshopBuilder`` declares a workshop piece by piece; every method returns the model it
made, so later pieces can point at earlier ones, and ``save`` writes it all in one unit of
work. After saving, the builder is the handle on what was written (``.id``,
``.workshop``, ``.owners``, ``.touchpoints``, ``.reviews``, ...).

Two ready-made workshops are built with it:

* ``review_workshop`` - published, with owners (Telegram users 100, 101, ...) holding
  touchpoints and KPIs and a facilitator (user 9000): for reminders and review cycles.
* ``complete_workshop`` - one of every kind of item, an anonymous pain point, an invited
  member, a deleted stage, an edited touchpoint and a saved position: for exports,
  imports and the operator tools.

Journey maps for the renderers (no store) come from ``bot.demo.sample.sample_map``, which
the demo and the benchmark share; ``long_map`` adds very long answers to one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from bot.demo.sample import sample_map
from flows.models import (
    Department,
    EmotionScore,
    EvidenceKind,
    Idea,
    Invite,
    Item,
    JourneyMap,
    Kpi,
    KpiReading,
    Member,
    NoteLane,
    PainPoint,
    Person,
    Persona,
    Position,
    Review,
    Role,
    Stage,
    StageNote,
    Touchpoint,
    Workshop,
    WorkshopStatus,
)
from flows.review import cycle
from storage.store import SqliteStore

if TYPE_CHECKING:
    from tests.bot.harness import BotHarness

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # Monday 10:00 in Warsaw
STALE = NOW - timedelta(days=40)  # longer ago than the 30-day review cadence


class WorkshopBuilder:
    def __init__(self, title: str = "Workshop", **fields: Any) -> None:
        self.workshop = Workshop(title=title, **fields)
        self.people: list[Person] = []
        self.items: list[Item] = []
        self.reviews: list[Review] = []
        self._deleted: list[Item] = []
        self._edits: list[tuple[Item, dict[str, Any]]] = []
        self._positions: list[Position] = []

    # -- what was built ---------------------------------------------------------------

    @property
    def id(self) -> str:
        return self.workshop.id

    def _all(self, cls: type[Item]) -> list[Any]:
        return [item for item in self.items if type(item) is cls]

    @property
    def members(self) -> list[Member]:
        return self._all(Member)

    @property
    def facilitator(self) -> Member | None:
        return next((m for m in self.members if m.role == Role.FACILITATOR), None)

    @property
    def owners(self) -> list[Member]:
        """Members owning at least one touchpoint, in the order they were added."""
        owning = {tp.owner_id for tp in self.touchpoints}
        return [m for m in self.members if m.id in owning]

    @property
    def stages(self) -> list[Stage]:
        return self._all(Stage)

    @property
    def touchpoints(self) -> list[Touchpoint]:
        return self._all(Touchpoint)

    # -- declaring the workshop -------------------------------------------------------

    def add(self, item: Item) -> Any:
        """Any other item, as it is."""
        self.items.append(item)
        return item

    def department(self, key: str | None = None, name: str = "", **fields: Any) -> Department:
        return self.add(Department(workshop_id=self.id, key=key, name=name, **fields))

    def member(
        self,
        name: str,
        *,
        tg: int | None = None,
        role: Role = Role.PARTICIPANT,
        department: Department | None = None,
        language: str | None = None,
        **fields: Any,
    ) -> Member:
        """A member who joined as Telegram user ``tg`` (their private chat has the same id),
        or, without ``tg``, one who was invited and has not joined yet."""
        person_id = None
        if tg is not None:
            person_id = f"tg:{tg}"
            self.people.append(
                Person(
                    id=person_id,
                    name=name,
                    chat_id=tg,
                    language=language or self.workshop.language,
                )
            )
        return self.add(
            Member(
                workshop_id=self.id,
                person_id=person_id,
                name=name,
                role=role,
                department_id=department.id if department else None,
                **fields,
            )
        )

    def stage(
        self, name: str = "", *, key: str | None = None, order: int | None = None, **fields: Any
    ) -> Stage:
        """The next stage (orders count from 1), named or a template stage by ``key``."""
        order = len(self.stages) + 1 if order is None else order
        return self.add(Stage(workshop_id=self.id, order=order, key=key, name=name, **fields))

    def touchpoint(
        self,
        stage: Stage,
        name: str,
        *,
        owner: Member | None = None,
        author: Member | None = None,
        confirmed: datetime | None = None,
        **fields: Any,
    ) -> Touchpoint:
        """A touchpoint of ``stage``, in its owner's department unless told otherwise;
        ``confirmed`` is when its owner last confirmed it (None: never)."""
        fields.setdefault("department_id", owner.department_id if owner else None)
        return self.add(
            Touchpoint(
                workshop_id=self.id,
                stage_id=stage.id,
                name=name,
                owner_id=owner.id if owner else None,
                author_id=author.id if author else None,
                last_confirmed_at=confirmed,
                **fields,
            )
        )

    def kpi(
        self,
        touchpoint: Touchpoint,
        name: str,
        *,
        readings: Iterable[tuple[datetime, float]] = (),
        **fields: Any,
    ) -> Kpi:
        """A KPI of ``touchpoint`` and its readings as (when, value), by the facilitator."""
        kpi = self.add(Kpi(workshop_id=self.id, touchpoint_id=touchpoint.id, name=name, **fields))
        for at, value in readings:
            self.add(
                KpiReading(
                    workshop_id=self.id, kpi_id=kpi.id, value=value, at=at, author_id=self._actor
                )
            )
        return kpi

    def pain(
        self,
        stage: Stage,
        description: str,
        *,
        touchpoint: Touchpoint | None = None,
        author: Member | None = None,
        department: Department | None = None,
        **fields: Any,
    ) -> PainPoint:
        """A pain point; an anonymous one (``anonymous=True``) has no author, only a
        department, as the bot stores it."""
        assert not (author and fields.get("anonymous")), "an anonymous pain has no author"
        return self.add(
            PainPoint(
                workshop_id=self.id,
                stage_id=stage.id,
                touchpoint_id=touchpoint.id if touchpoint else None,
                description=description,
                author_id=author.id if author else None,
                department_id=department.id if department else None,
                **fields,
            )
        )

    def idea(self, pain: PainPoint, description: str, **fields: Any) -> Idea:
        return self.add(
            Idea(workshop_id=self.id, pain_id=pain.id, description=description, **fields)
        )

    def invite(self, department: Department | None = None, **fields: Any) -> Invite:
        return self.add(
            Invite(
                workshop_id=self.id, department_id=department.id if department else None, **fields
            )
        )

    def persona(self, name: str, **fields: Any) -> Persona:
        return self.add(Persona(workshop_id=self.id, name=name, **fields))

    def note(self, stage: Stage, lane: NoteLane, text: str, **fields: Any) -> StageNote:
        return self.add(
            StageNote(workshop_id=self.id, stage_id=stage.id, lane=lane, text=text, **fields)
        )

    def emotion(self, stage: Stage, score: int, *, author: Member | None = None) -> EmotionScore:
        return self.add(
            EmotionScore(
                workshop_id=self.id,
                stage_id=stage.id,
                score=score,
                author_id=author.id if author else None,
            )
        )

    def delete(self, item: Item) -> None:
        """Delete ``item`` after it was written (it stays in the history)."""
        self._deleted.append(item)

    def edit(self, item: Item, **changes: Any) -> None:
        """Change ``item`` after it was written (an "update" in its history)."""
        self._edits.append((item, changes))

    def position(self, member: Member, flow: str, step: str, **fields: Any) -> Position:
        """Where ``member`` stands in a conversation of this workshop."""
        assert member.person_id is not None, "only a member who joined has a position"
        position = Position(
            person_id=member.person_id, workshop_id=self.id, flow=flow, step=step, **fields
        )
        self._positions.append(position)
        return position

    # -- writing ----------------------------------------------------------------------

    @property
    def _actor(self) -> str | None:
        """Whom the history names for the builder's writes: the facilitator."""
        return self.facilitator.id if self.facilitator else None

    async def save(
        self, store: SqliteStore, *, schedule: datetime | None = None
    ) -> WorkshopBuilder:
        """Write everything; with ``schedule``, also schedule the reviews of a published
        workshop as if the bot started at that moment (``self.reviews``)."""
        async with store.write() as uow:
            await uow.workshops.add(self.workshop)
            for person in self.people:
                await uow.people.save(person)
            for item in self.items:
                await uow.items.add(item, actor=self._actor)
            for item in self._deleted:
                await uow.items.delete(item, actor=self._actor)
            for item, changes in self._edits:
                for name, value in changes.items():
                    setattr(item, name, value)
                await uow.items.update(item, actor=self._actor)
            for position in self._positions:
                await uow.positions.save(position)
            if schedule is not None:
                self.reviews = await cycle.schedule_workshop(uow, self.workshop, schedule)
        return self


async def review_workshop(
    store: SqliteStore,
    *,
    owners: int,
    touchpoints_each: int = 1,
    kpis: int = 0,
    confirmed: datetime | None = STALE,
    schedule: datetime | None = None,
) -> WorkshopBuilder:
    """A published workshop (Europe/Warsaw, reviews every 30 days at 10:00) with one stage.
    Owner i ("Owner i", Telegram user 100 + i) owns touchpoints "TP i.j", each with
    KPIs "KPI k" (target 50), last confirmed at ``confirmed``. The facilitator "Fac" is
    Telegram user 9000. Everyone speaks English."""
    b = WorkshopBuilder(
        "Dealership",
        timezone="Europe/Warsaw",
        status=WorkshopStatus.PUBLISHED,
        reminder_time=time(10, 0),
        review_cadence_days=30,
    )
    stage = b.stage("Test drive")
    b.member("Fac", tg=9000, role=Role.FACILITATOR)
    for i in range(owners):
        owner = b.member(f"Owner {i}", tg=100 + i)
        for j in range(touchpoints_each):
            tp = b.touchpoint(stage, f"TP {i}.{j}", owner=owner, confirmed=confirmed)
            for k in range(kpis):
                b.kpi(tp, f"KPI {k}", target=50)
    return await b.save(store, schedule=schedule)


async def complete_workshop(store: SqliteStore) -> WorkshopBuilder:
    """A small Russian workshop with one of everything: two departments, a facilitator and
    an invited member, a live and a deleted stage, a touchpoint (edited once) with a KPI
    and a reading, an anonymous pain point with evidence and an idea, an invite, a
    persona, a note, an emotion score, and the facilitator's saved position. The title
    holds HTML and the texts emoji."""
    b = WorkshopBuilder("Клиника «Здоровье» <b>", product="Check-up", language="ru")
    sales = b.department("sales", "Sales")
    support = b.department("support", "Support")
    anna = b.member("Anna", tg=1, role=Role.FACILITATOR, department=sales)
    b.member("Bob (invited)", department=support)
    stage = b.stage(key="awareness")
    b.delete(b.stage("Deleted stage"))
    site = b.touchpoint(stage, "Сайт 🙂", owner=anna, author=anna, channel="website")
    b.kpi(
        site,
        "Conversion",
        unit="%",
        target=3.5,
        readings=[(datetime(2026, 1, 2, tzinfo=UTC), 2.5)],
    )
    pain = b.pain(
        stage,
        "Долго грузится",
        touchpoint=site,
        evidence_kind=EvidenceKind.ANALYTICS,
        evidence="GA: 8s",
        severity=3,
        anonymous=True,
        department=support,
    )
    b.invite(sales)
    b.persona("Мария, 35", segment="B2C")
    b.note(stage, NoteLane.GOAL, "Find a doctor")
    b.emotion(stage, -2, author=anna)
    b.idea(pain, "CDN", quick_win=True, due=date(2026, 3, 1))
    b.edit(site, description="edited")
    b.position(anna, "pains", "pain.severity", cursor={"stage": 1})
    return await b.save(store)


async def make_current(bot: BotHarness, person: str, workshop_id: str) -> None:
    """Make ``workshop_id`` the person's current workshop (commands act on it)."""
    async with bot.services.store.write() as uow:
        who = await uow.people.get(person)
        who.current_workshop_id = workshop_id
        await uow.people.save(who)


LONG_RU = (
    "Клиентка долго сравнивает предложения, перечитывает условия, звонит в колл-центр и "
    "спрашивает про скидки, подготовку к анализам и парковку 🚗; Płatność kartą nie działa, "
    "więc wraca jutro. <b>HTML</b> & $x^2$ остаётся текстом. Суперкалифрагилистикэкспиалидошес"
    "ныйоченьдлинноесловобезпробелов "
) * 4


def long_map(n_stages: int, *, seed: int = 7) -> JourneyMap:
    """A sample map (no store) whose every stage also has long Cyrillic/Polish answers in
    each lane."""
    jm = sample_map(n_stages, seed=seed, template=None)
    for stage in jm.stages:
        for lane in ("goal", "actions", "thoughts"):
            for _ in range(3):
                jm.notes.append(
                    StageNote(
                        workshop_id=jm.workshop.id,
                        stage_id=stage.id,
                        lane=lane,
                        text=LONG_RU[:990],
                        department_id=jm.departments[0].id,
                    )
                )
    return jm
