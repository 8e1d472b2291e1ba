"""Every flow of the workshop by name, and the engine that runs them with the workshop's
entry points: setting up a workshop, following an invite, and "Add pain point" or
"Update KPI" from a review card. The generic engine (``flows.conversation``) receives
this catalog, so it never imports a section."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from flows.conversation.engine import Engine
from flows.conversation.outcome import Outcome
from flows.conversation.spec import Catalog, Ctx
from flows.ports import Clock, Store
from flows.review import kpi_value as review_kpi
from flows.review import pain as review_pain
from flows.review import reading as kpi_reading
from flows.review import rule_pain, rules_flow
from flows.review.cycle import ReviewError
from flows.steps import (
    emotions,
    home,
    ideas,
    join,
    kpis,
    owners,
    pains,
    persona,
    setup,
    stages,
    touchpoints,
)

CATALOG = Catalog(
    (
        setup.SETUP,
        setup.SETUP_SECTIONS,
        setup.SETUP_FINAL,
        join.JOIN,
        home.HOME,
        persona.FLOW,
        stages.FLOW,
        emotions.FLOW,
        touchpoints.FLOW,
        owners.FLOW,
        kpis.FLOW,
        pains.FLOW,
        ideas.FLOW,
        review_pain.FLOW,
        review_kpi.FLOW,
        kpi_reading.FLOW,
        rules_flow.FLOW,
        rule_pain.FLOW,
    ),
    home=home.HOME.name,
)


class WorkshopEngine(Engine):
    """The engine over :data:`CATALOG`, with the entry points into a workshop."""

    def __init__(self, store: Store, clock: Clock, **options: Any) -> None:
        super().__init__(store, clock, flows=CATALOG, **options)

    async def start_setup(
        self, person_id: str, *, name: str = "", language: str | None = None
    ) -> Outcome:
        """Begin creating a workshop (``/new``); a setup in progress starts over."""
        return await self.start(person_id, setup.begin, name=name, language=language, fresh=True)

    async def join(
        self, person_id: str, code: str, *, name: str = "", language: str | None = None
    ) -> Outcome:
        """Follow an invite (deep-link payload ``code``): confirm, name, position, sections."""

        async def begin(ctx: Ctx) -> None:
            await join.begin(ctx, code)

        return await self.start(person_id, begin, name=name, language=language)

    async def record_reading(self, person_id: str, workshop_id: str) -> Outcome:
        """``/kpi``: a reading of one of the person's KPIs, then back where they were."""
        return await self.start(person_id, kpi_reading.begin, workshop_id=workshop_id)

    async def review_pain(self, person_id: str, review_id: str, workshop_id: str) -> Outcome:
        """ "Add pain point" on a review card: the pain-point flow for that touchpoint, then
        back to where the person was (their workshop too). A review that is not theirs or
        no longer open gives a ``review.error.*`` message."""

        async def begin(ctx: Ctx, came_from: str | None) -> None:
            await review_pain.begin(ctx, review_id, came_from)

        return await self._from_card(person_id, workshop_id, begin)

    async def review_kpi(
        self, person_id: str, review_id: str, workshop_id: str, kpi_id: str = ""
    ) -> Outcome:
        """ "Update KPI" on a review card: which KPI (when several; ``kpi_id`` chooses) and
        its value, recorded as a reading that answers the review; then back to where the
        person was, as with :meth:`review_pain`."""

        async def begin(ctx: Ctx, came_from: str | None) -> None:
            await review_kpi.begin(ctx, review_id, kpi_id, came_from)

        return await self._from_card(person_id, workshop_id, begin)

    async def _from_card(
        self, person_id: str, workshop_id: str, begin: Callable[[Ctx, str | None], Awaitable[None]]
    ) -> Outcome:
        """A detour from a review card, in the review's workshop; the person's workshop is
        theirs again afterwards (or at once, when the review refuses)."""
        async with self.store.read() as uow:
            person = await uow.people.get(person_id)
        came_from = person.current_workshop_id if person else None

        async def start(ctx: Ctx) -> None:
            try:
                await begin(ctx, came_from)
            except ReviewError as exc:
                ctx.info(exc.key)
                ctx.person.current_workshop_id = came_from

        return await self.start(person_id, start, workshop_id=workshop_id)
