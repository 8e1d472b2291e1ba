"""Every flow by name, and the order of the sections a participant goes through."""

from __future__ import annotations

from flows.conversation.spec import Flow


def register(*flows: Flow) -> None:
    for flow in flows:
        FLOWS[flow.name] = flow


def _load() -> None:
    from flows.review import pain as review_pain
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

    register(setup.SETUP, setup.SETUP_SECTIONS, setup.SETUP_FINAL, join.JOIN, home.HOME)
    register(persona.FLOW, stages.FLOW, emotions.FLOW, touchpoints.FLOW, owners.FLOW)
    register(kpis.FLOW, pains.FLOW, ideas.FLOW, review_pain.FLOW)


class _Lazy(dict[str, Flow]):
    """Flow modules import the runner; fill the table on first use to avoid a cycle."""

    def _fill(self) -> None:
        if not dict.__len__(self):
            _load()

    def get(self, key: str, default: Flow | None = None) -> Flow | None:  # type: ignore[override]
        self._fill()
        return dict.get(self, key, default)

    def __getitem__(self, key: str) -> Flow:
        self._fill()
        return dict.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        self._fill()
        return dict.__contains__(self, key)

    def values(self):  # type: ignore[no-untyped-def,override]
        self._fill()
        return dict.values(self)

    def keys(self):  # type: ignore[no-untyped-def,override]
        self._fill()
        return dict.keys(self)


FLOWS = _Lazy()
