"""``cjm-bot flows --mermaid``: the conversation graph drawn from the flow catalog.

Prints the Mermaid flowchart of every flow (``flows.conversation.graph``) to stdout;
``--questions`` adds each step's English question under its id; ``--update FILE``
rewrites the chart between the ``<!-- flows:begin -->`` and ``<!-- flows:end -->``
markers of FILE instead (``make flows-graph`` does it for the README).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from flows.conversation.graph import mermaid
from flows.steps.catalog import CATALOG
from flows.texts import t_plain

BEGIN, END = "<!-- flows:begin -->", "<!-- flows:end -->"


def chart(*, questions: bool = False) -> str:
    """The workshop's flowchart; step ids only unless ``questions`` (English)."""
    if not questions:
        return mermaid(CATALOG)
    return mermaid(CATALOG, question=lambda step: t_plain("en", step.ask_key))


def block(text: str) -> str:
    """The chart as it stands in a Markdown file, markers included."""
    return f"{BEGIN}\n```mermaid\n{text}```\n{END}"


def marked(document: str) -> str | None:
    """The marked block of ``document`` (markers included), None if it has none."""
    start, stop = document.find(BEGIN), document.find(END)
    if start < 0 or stop < start:
        return None
    return document[start : stop + len(END)]


def splice(document: str, text: str) -> str:
    """``document`` with its marked block replaced by the chart ``text``."""
    old = marked(document)
    if old is None:
        raise ValueError(f"no {BEGIN} … {END} markers")
    return document.replace(old, block(text), 1)


def main(args: argparse.Namespace, settings: Any) -> int:
    if not args.mermaid:
        print("cjm-bot flows: choose an output format: --mermaid", file=sys.stderr)
        return 2
    text = chart(questions=args.questions)
    if not args.update:
        sys.stdout.write(text)
        return 0
    path = Path(args.update)
    try:
        document = path.read_text(encoding="utf-8")
        updated = splice(document, text)
        if updated != document:
            path.write_text(updated, encoding="utf-8")
    except (OSError, ValueError) as exc:
        print(f"cjm-bot: {path}: {exc}", file=sys.stderr)
        return 1
    print(f"{path}: the conversation chart is {'updated' if updated != document else 'current'}")
    return 0
