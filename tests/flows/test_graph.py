"""The conversation chart (``cjm-bot flows --mermaid``): drawn from the catalog, well-formed,
true to the flows' ``leads_to`` — which must agree with their finish hooks — and the copy
in the README is the current one."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot import flowgraph
from bot.cli import main as cli
from flows.conversation import runner
from flows.conversation.graph import mermaid
from flows.conversation.spec import Catalog, Flow, Kind, Loop, Step
from flows.models import ALL_SECTIONS
from flows.review import pain as review_pain
from flows.steps import sections
from flows.steps.catalog import CATALOG

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = [s.value for s in ALL_SECTIONS]
SETUP = ("setup", "setup_sections", "setup_final")  # before the workshop exists

ID = r"[A-Za-z_][A-Za-z0-9_]*"
LABEL = r'"[^"]*"'  # a quoted label never holds a raw quote
SUBGRAPH = re.compile(rf"^  subgraph ({ID})\[{LABEL}\]$")
NODE = re.compile(rf'^    ({ID})(?:\[("[^"]*")\]|\(("[^"]*")\))$')
EDGE = re.compile(rf"^ +({ID}) (-->|-\.->|==>)(?:\|({LABEL})\|)? ({ID})$")


class Chart:
    """The chart parsed line by line; any line that is not a known statement fails."""

    def __init__(self, text: str) -> None:
        lines = text.splitlines()
        assert lines[0] == "flowchart TD"
        self.subgraphs: dict[str, list[str]] = {}  # subgraph id -> its node ids
        self.labels: dict[str, str] = {}
        self.rounded: set[str] = set()
        self.edges: list[tuple[str, str, str, str]] = []  # (a, arrow, label, b)
        self.inside: dict[tuple[str, str], str] = {}  # (a, b) -> subgraph of an inner edge
        current: str | None = None
        for line in lines[1:]:
            if m := SUBGRAPH.match(line):
                assert current is None, f"nested subgraph: {line!r}"
                assert m[1] not in self.subgraphs, f"subgraph declared twice: {m[1]}"
                current = m[1]
                self.subgraphs[current] = []
            elif line == "  end":
                assert current is not None, "an end without a subgraph"
                current = None
            elif m := NODE.match(line):
                assert current is not None, f"a node outside a subgraph: {line!r}"
                assert m[1] not in self.labels, f"node declared twice: {m[1]}"
                self.subgraphs[current].append(m[1])
                self.labels[m[1]] = (m[2] or m[3]).strip('"')
                if m[3]:
                    self.rounded.add(m[1])
            elif m := EDGE.match(line):
                self.edges.append((m[1], m[2], (m[3] or "").strip('"'), m[4]))
                if current is not None:
                    self.inside[(m[1], m[4])] = current
            else:
                raise AssertionError(f"not a statement of the chart: {line!r}")
        assert current is None, "a subgraph is not closed"

    def flow_of(self, node: str) -> str:
        return next(s for s, nodes in self.subgraphs.items() if node in nodes)

    def transitions(self) -> dict[tuple[str, str], str]:
        return {(a, b): label for a, arrow, label, b in self.edges if a in self.subgraphs}


def _flow_ids(chart: Chart) -> dict[str, str]:
    """Flow name -> subgraph id, by the subgraph titles' first word."""
    titles = {}
    for line in mermaid(CATALOG).splitlines():
        if m := re.match(rf'^  subgraph ({ID})\["([^" ]+)', line):
            titles[m[2]] = m[1]
    assert set(titles) == set(CATALOG)
    return titles


# ------------------------------------------------------------------- the README copy


def test_the_readme_shows_the_current_chart() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    copy = flowgraph.marked(readme)
    assert copy is not None, "README.md lost its <!-- flows:begin --> … <!-- flows:end --> block"
    assert copy == flowgraph.block(mermaid(CATALOG)), (
        "README.md's conversation chart is out of date: run `make flows-graph` "
        "(it rewrites the block between the flows markers) and commit README.md"
    )


# ------------------------------------------------------------------- well-formed


def test_every_edge_joins_declared_nodes_and_every_step_is_drawn() -> None:
    chart = Chart(mermaid(CATALOG))
    declared = set(chart.labels) | set(chart.subgraphs)
    for a, _, _, b in chart.edges:
        assert a in declared and b in declared, (a, b)
    flows = _flow_ids(chart)
    for name, flow in CATALOG.items():
        labels = [chart.labels[n].split("<br/>")[0] for n in chart.subgraphs[flows[name]]]
        assert labels == [step.id for step in flow.steps], name
    for (a, b), subgraph in chart.inside.items():  # a flow's own edges stay in its box
        assert chart.flow_of(a) == chart.flow_of(b) == subgraph, (a, b)


def test_the_steps_paths_follow_the_catalog() -> None:
    chart = Chart(mermaid(CATALOG))
    by_label = {(chart.flow_of(n), chart.labels[n].split("<br/>")[0]): n for n in chart.labels}
    flows = _flow_ids(chart)

    def node(flow: str, step: str) -> str:
        return by_label[(flows[flow], step)]

    edges = {(a, b): (arrow, label) for a, arrow, label, b in chart.edges}
    # a conditional step: dashed "if" into it, dashed past it
    assert edges[(node("setup", "setup.template"), node("setup", "setup.stages"))] == ("-.->", "if")
    assert edges[(node("setup", "setup.template"), node("setup", "setup.departments"))] == (
        "-.->",
        "",
    )
    assert edges[(node("setup", "setup.title"), node("setup", "setup.product"))] == ("-->", "")
    # loops and repeats come back to the first step
    name, desc = (
        node("touchpoints", "touchpoints.name"),
        node("touchpoints", "touchpoints.controllable"),
    )
    assert edges[(desc, name)] == ("-->", "another for this stage")
    assert edges[(name, name)] == ("-->", "next stage")
    score = node("emotions", "emotions.score")
    assert edges[(score, score)] == ("-.->", "next stage")  # past "which persona?" (if several)
    assert edges[(score, node("emotions", "emotions.persona"))] == ("-.->", "if")
    assert "next department" in {label for _, _, label, _ in chart.edges}
    # optional steps are rounded, required ones square
    optional = {node(f, s.id) for f, flow in CATALOG.items() for s in flow.steps if s.optional}
    assert chart.rounded == optional and len(optional) > 10
    assert all("optional" in chart.labels[n] for n in optional)
    assert "optional" not in chart.labels[node("setup", "setup.title")]
    channel = node("touchpoints", "touchpoints.channel")
    assert edges[(channel, node("touchpoints", "touchpoints.online"))] == ("-.->", "if")
    # "«X» is already there — use it?" only for a near-duplicate name
    assert edges[(name, node("touchpoints", "touchpoints.same"))] == ("-.->", "if")


def test_every_transition_is_drawn_and_every_drawn_one_is_true() -> None:
    chart = Chart(mermaid(CATALOG))
    flows = _flow_ids(chart)
    drawn_edges = chart.transitions()
    reached: dict[str, set[str]] = {name: set() for name in CATALOG}
    for (a, b), label in drawn_edges.items():
        source = next(n for n, i in flows.items() if i == a)
        target = next(n for n, i in flows.items() if i == b)
        assert target in CATALOG[source].leads_to, (source, target)
        reached[source].add(target)
        if label == "or onwards":
            onward = set(CATALOG[target].leads_to) - {target}
            assert onward <= set(CATALOG[source].leads_to) | {source}, (source, target)
            reached[source] |= onward
        else:
            assert label == "", label
    for name, flow in CATALOG.items():
        assert set(flow.leads_to) - {name} <= reached[name], name
        again = [e for e in chart.edges if e[2] == "again" and chart.flow_of(e[0]) == flows[name]]
        assert bool(again) == (name in flow.leads_to), name


# -------------------------------------------------------------- escaping, ids, errors


def _tiny(*flows: Flow, home: str = "end") -> Catalog:
    return Catalog(flows, home=home)


def test_labels_are_escaped_and_ids_are_never_keywords() -> None:
    async def items(ctx: Any) -> list[str]:
        return []

    async def label(ctx: Any, item: str) -> str:
        return item

    odd = Flow(
        name="end",
        steps=(
            Step("end.subgraph", Kind.TEXT),
            Step("end.x", Kind.CHOICE, optional=True),
        ),
        loop=Loop(items, label),
        leads_to=("graph",),
    )
    other = Flow(name="graph", steps=(Step("a.b", Kind.YESNO),), leads_to=("end", "graph"))
    question = 'Say "hi" [now] (or {later}) <b>&</b> | `x` #1'
    text = mermaid(_tiny(odd, other), question=lambda step: question, width=200)
    chart = Chart(text)  # well-formed: no raw quote inside a label, every line parses
    assert not {"end", "graph", "subgraph"} & (set(chart.labels) | set(chart.subgraphs))
    label_text = chart.labels[next(iter(chart.labels))]
    assert "#34;hi#34;" in label_text and "#91;now#93;" in label_text
    assert "<b>" not in label_text and "#60;b#62;" in label_text
    assert "next item" in {e[2] for e in chart.edges}  # a loop without a progress noun
    long = mermaid(_tiny(odd, other), question=lambda step: "word " * 30, width=20)
    assert max(len(m) for m in re.findall(r"<br/>([^<\"]*)\"", long)) <= 20


def test_a_flow_leading_to_an_unknown_flow_is_refused() -> None:
    lost = Flow(name="end", steps=(Step("end.a", Kind.TEXT),), leads_to=("nowhere",))
    with pytest.raises(ValueError, match="nowhere"):
        mermaid(_tiny(lost))


def test_a_flow_without_a_finish_goes_home() -> None:
    home = Flow(name="rest", steps=(Step("rest.a", Kind.TEXT),), leads_to=("rest",))
    plain = Flow(name="plain", steps=(Step("plain.a", Kind.TEXT),))
    chart = Chart(mermaid(_tiny(home, plain, home="rest")))
    assert set(chart.transitions()) == {("f_plain", "f_rest")}


# --------------------------------------------------- leads_to agrees with the hooks


def test_leads_to_names_flows_of_the_catalog() -> None:
    for name, flow in CATALOG.items():
        assert flow.leads_to, f"{name} has a finish hook but no leads_to"
        assert set(flow.leads_to) <= set(CATALOG), name
        assert len(set(flow.leads_to)) == len(flow.leads_to), name


def test_sections_lead_on_in_the_order_of_all_sections() -> None:
    assert CATALOG["setup"].leads_to == ("setup_sections",)
    assert CATALOG["setup_sections"].leads_to == ("setup_final",)
    assert CATALOG["setup_final"].leads_to == (CATALOG.home,)
    for i, name in enumerate(SECTIONS):
        assert CATALOG[name].leads_to == (*SECTIONS[i + 1 :], CATALOG.home), name
    assert CATALOG["join"].leads_to == (*SECTIONS, CATALOG.home)
    assert CATALOG["home"].leads_to == (*SECTIONS, CATALOG.home)
    # back where the person was: any flow of a workshop position
    assert set(CATALOG[review_pain.NAME].leads_to) == set(CATALOG) - set(SETUP)


async def test_a_section_goes_only_where_its_leads_to_says(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every department's choice of sections: each section's finish, join's way in and
    the home menu's choice name a flow of their ``leads_to``."""
    chosen: list[str] = []

    async def assigned(ctx: Any) -> list[str]:
        return list(chosen)

    async def finished(ctx: Any) -> None:
        return None

    monkeypatch.setattr(sections, "assigned", assigned)
    monkeypatch.setattr(sections, "_finished", finished)
    seen: set[tuple[str, str]] = set()
    for r in range(1, len(SECTIONS) + 1):
        for subset in itertools.combinations(SECTIONS, r):
            chosen[:] = subset
            first = await sections.next_section(SimpleNamespace(draft={}), None)
            assert first == subset[0] and first in CATALOG["join"].leads_to
            for name in subset:
                for redo in (False, True):
                    ctx = SimpleNamespace(draft={"_redo": 1} if redo else {})
                    # None is the runner's way to say "home"
                    nxt = await CATALOG[name].finish(ctx) or CATALOG.home  # type: ignore[misc]
                    assert nxt in CATALOG[name].leads_to, (subset, name, nxt)
                    seen.add((name, nxt))
    for name in SECTIONS:  # every listed way out is taken by some department
        assert {b for a, b in seen if a == name} == set(CATALOG[name].leads_to), name
    for choice in (*SECTIONS, ""):
        ctx = SimpleNamespace(draft={"_next": choice} if choice else {})
        nxt = await CATALOG["home"].finish(ctx) or CATALOG.home  # type: ignore[misc]
        assert nxt in CATALOG["home"].leads_to


async def test_review_pain_returns_where_the_person_was() -> None:
    for back in (*CATALOG[review_pain.NAME].leads_to, ""):
        position = SimpleNamespace(flow=review_pain.NAME, step="", cursor={}, draft={}, history=[])
        saved = {"flow": back, "step": "x", "cursor": {}, "draft": {}, "history": []}
        ctx = SimpleNamespace(
            draft={"_return": saved, "_came_from": "w1"},
            person=SimpleNamespace(current_workshop_id=None),
            position=position,
        )
        nxt = await CATALOG[review_pain.NAME].finish(ctx)  # type: ignore[misc]
        assert (nxt or CATALOG.home) in CATALOG[review_pain.NAME].leads_to
        assert ctx.person.current_workshop_id == "w1"


async def test_the_demo_workshop_moves_only_along_leads_to(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bot.demo.play import play
    from flows.ports import FixedClock
    from tests.flows.flowkit import T0, make_engine

    moves: list[tuple[str, str]] = []
    finishing: list[str] = []
    enter, finish = runner.enter, runner.finish

    async def entering(ctx: Any, name: str) -> None:
        if finishing and finishing[-1]:
            moves.append((finishing[-1], name))
            finishing[-1] = ""
        await enter(ctx, name)

    async def finishing_flow(ctx: Any, flow: Flow) -> None:
        finishing.append(flow.name)
        try:
            await finish(ctx, flow)
        finally:
            if finishing.pop() and ctx.position.flow:  # moved by the hook itself
                moves.append((flow.name, ctx.position.flow))

    monkeypatch.setattr(runner, "enter", entering)
    monkeypatch.setattr(runner, "finish", finishing_flow)
    clock = FixedClock(T0)
    await play(make_engine(store, clock), clock, "en")
    assert {a for a, _ in moves} >= {"setup", "setup_sections", "setup_final", "join", *SECTIONS}
    for a, b in moves:
        assert b in CATALOG[a].leads_to, (a, b)


# ---------------------------------------------------------------------------- the CLI


def test_cjm_bot_flows_prints_the_chart(capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli(["flows", "--mermaid"]) == 0
    assert capsys.readouterr().out == mermaid(CATALOG)
    assert cli(["flows", "--mermaid", "--questions"]) == 0
    out = capsys.readouterr().out
    Chart(out)
    assert "which channel is it?" in out
    assert cli(["flows"]) == 2
    assert "--mermaid" in capsys.readouterr().err


def test_cjm_bot_flows_update_rewrites_only_the_marked_block(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "doc.md"
    doc.write_text(f"# Title\n\n{flowgraph.BEGIN}\nold\n{flowgraph.END}\n\ntail\n", "utf-8")
    assert cli(["flows", "--mermaid", "--update", str(doc)]) == 0
    assert "updated" in capsys.readouterr().out
    text = doc.read_text("utf-8")
    assert text == f"# Title\n\n{flowgraph.block(mermaid(CATALOG))}\n\ntail\n"
    assert cli(["flows", "--mermaid", "--update", str(doc)]) == 0
    assert "current" in capsys.readouterr().out and doc.read_text("utf-8") == text
    bare = tmp_path / "bare.md"
    bare.write_text("no markers\n", "utf-8")
    assert cli(["flows", "--mermaid", "--update", str(bare)]) == 1
    assert "markers" in capsys.readouterr().err and bare.read_text("utf-8") == "no markers\n"
