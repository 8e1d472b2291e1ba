"""The conversation as a picture: a Mermaid flowchart (``flowchart TD``) of a catalog.

One subgraph per flow, its steps in order. A node is a step: its stable id and input kind
(optionally its question), rounded when the step is optional (it may be skipped). Edges
inside a flow:

- ``-->`` the next step;
- ``-.->|if|`` into a step asked only when its ``when`` holds, and ``-.->`` past it;
- a loop's back edge from the end of an iteration to the first step, ``next <item>``
  (the item named by the loop's progress key, ``progress.stage`` → stage); a ``repeat``
  flow's back edge is ``another for this <item>`` and its first step's exit button
  (``exit_key``) is the ``next <item>`` edge.

Edges between flows (``==>``, from subgraph to subgraph) are the flows' ``leads_to``; a
flow listed in its own ``leads_to`` gets an ``again`` edge back to its first step. A flow
without ``leads_to`` and without a ``finish`` hook goes home. To keep the chart readable,
an edge ``==>|or onwards|`` to a flow also stands for the edges to every flow that one
leads to: ``A ==>|or onwards| B`` means A goes to B, or passes B over to where B goes
(a department without some sections skips them).

The module receives the catalog; it knows nothing of the workshop's flows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from flows.conversation.spec import Catalog, Flow, Kind, Step

Question = Callable[[Step], str]

_UNSAFE = re.compile(r'[#"<>&|`\[\]{}()]')
_SPACE = re.compile(r"\s+")


def mermaid(catalog: Catalog, *, question: Question | None = None, width: int = 40) -> str:
    """The flowchart of every flow in ``catalog``; ``question`` (if given) adds each step's
    question text, cut to ``width`` characters, under its id."""
    for flow in catalog.values():
        unknown = [name for name in flow.leads_to if name not in catalog]
        if unknown:
            raise ValueError(f"flow {flow.name!r} leads to unknown flows {unknown}")
    ids = _Ids()
    lines = ["flowchart TD"]
    for flow in catalog.values():
        lines += _flow(flow, ids, question, width)
    lines += _transitions(catalog, ids)
    return "\n".join(lines) + "\n"


def escape(text: str) -> str:
    """Plain text safe inside a quoted Mermaid label: one line, and the characters Mermaid
    or HTML would read as syntax written as entity codes (``"`` → ``#34;``)."""
    text = _SPACE.sub(" ", text).strip()
    return _UNSAFE.sub(lambda m: f"#{ord(m.group())};", text)


def trim(text: str, width: int) -> str:
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= width else text[: max(width - 1, 1)].rstrip() + "…"


# ------------------------------------------------------------------------------ ids


class _Ids:
    """Mermaid identifiers: letters, digits and underscores, one per flow and per step of
    a flow (a step id may appear in two flows), never a keyword such as ``end``."""

    def __init__(self) -> None:
        self._taken: dict[tuple[str, ...], str] = {}
        self._used: set[str] = set()

    def _make(self, key: tuple[str, ...], raw: str) -> str:
        if key not in self._taken:
            base = re.sub(r"[^A-Za-z0-9]", "_", raw)
            ident, n = base, 1
            while ident in self._used:
                n += 1
                ident = f"{base}_{n}"
            self._used.add(ident)
            self._taken[key] = ident
        return self._taken[key]

    def flow(self, name: str) -> str:
        return self._make((name,), f"f_{name}")

    def step(self, flow: str, step: str) -> str:
        return self._make((flow, step), f"s_{flow}__{step}")


# ------------------------------------------------------------------------ one flow


def _noun(flow: Flow) -> str:
    progress = flow.loop.progress if flow.loop is not None else ""
    head, _, tail = progress.rpartition(".")
    return tail if head == "progress" and tail else "item"


def _title(flow: Flow) -> str:
    if flow.loop is None:
        return flow.name
    shown = f"{flow.name} · per {_noun(flow)}"
    return f"{shown}, repeated" if flow.repeat else shown


def _kind(step: Step) -> str:
    kind = step.kind.value
    if step.many:
        kind += ", several"
    if step.allow_text and step.kind in (Kind.CHOICE, Kind.MULTI):
        kind += " or typed"
    if step.optional:
        kind += ", optional"
    return kind


def _node(step: Step, ident: str, question: Question | None, width: int) -> str:
    label = f"{escape(step.id)}<br/>{escape(_kind(step))}"
    if question is not None:
        text = trim(question(step), width)
        if text:
            label += f"<br/>{escape(text)}"
    return f'{ident}("{label}")' if step.optional else f'{ident}["{label}"]'


def _edge(a: str, arrow: str, b: str, label: str = "") -> str:
    return f'{a} {arrow}|"{escape(label)}"| {b}' if label else f"{a} {arrow} {b}"


def _following(steps: tuple[Step, ...], i: int) -> Iterator[tuple[int | None, bool]]:
    """Where the engine may go after step ``i``: (index or None for the iteration's end,
    whether the way passes over conditional steps or into one)."""
    for k in range(i + 1, len(steps)):
        if steps[k].when is not None:
            yield k, True
            continue
        yield k, k > i + 1
        return
    yield None, i + 1 < len(steps)


def _flow(flow: Flow, ids: _Ids, question: Question | None, width: int) -> list[str]:
    nodes = [ids.step(flow.name, step.id) for step in flow.steps]
    out = [f'  subgraph {ids.flow(flow.name)}["{escape(_title(flow))}"]']
    out += [f"    {_node(s, n, question, width)}" for s, n in zip(flow.steps, nodes, strict=True)]
    noun = _noun(flow)
    for i, node in enumerate(nodes):
        for k, dashed in _following(flow.steps, i):
            arrow = "-.->" if dashed else "-->"
            if k is not None:
                out.append(
                    f"    {_edge(node, arrow, nodes[k], 'if' if flow.steps[k].when else '')}"
                )
            elif flow.loop is not None or flow.repeat:
                back = f"another for this {noun}" if flow.repeat else f"next {noun}"
                out.append(f"    {_edge(node, arrow, nodes[0], back)}")
    if flow.repeat and flow.loop is not None and flow.steps and flow.steps[0].exit_key:
        out.append(f"    {_edge(nodes[0], '-->', nodes[0], f'next {noun}')}")
    if nodes and flow.name in flow.leads_to:
        out.append(f"    {_edge(nodes[-1], '==>', nodes[0], 'again')}")
    out.append("  end")
    return out


# -------------------------------------------------------------------- between flows


def targets(catalog: Catalog, flow: Flow) -> tuple[str, ...]:
    """The flows ``flow`` goes to when it finishes (itself excluded)."""
    names = flow.leads_to or ((catalog.home,) if flow.finish is None else ())
    return tuple(dict.fromkeys(n for n in names if n != flow.name))


def drawn(catalog: Catalog, flow: Flow) -> list[tuple[str, bool]]:
    """The transitions drawn for ``flow``: (target, "or onwards"). A target whose own
    targets ``flow`` may all go to as well stands for them; they are not drawn again."""
    mine = targets(catalog, flow)
    allowed = set(mine) | {flow.name}
    covered: set[str] = set()
    edges: list[tuple[str, bool]] = []
    for name in mine:
        if name in covered:
            continue
        onward = set(targets(catalog, catalog[name]))
        absorbs = onward <= allowed and bool(onward & (set(mine) - covered - {name}))
        edges.append((name, absorbs))
        covered.add(name)
        if absorbs:
            covered |= onward
    return edges


def _transitions(catalog: Catalog, ids: _Ids) -> list[str]:
    out = []
    for flow in catalog.values():
        for name, onwards in drawn(catalog, flow):
            line = _edge(ids.flow(flow.name), "==>", ids.flow(name), "or onwards" * onwards)
            out.append(f"  {line}")
    return out
