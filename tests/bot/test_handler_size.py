"""Handlers only translate: parse the update, call one use case, hand the answer to
delivery. A handler function that grows past 20 lines is doing a use case's work."""

from __future__ import annotations

import ast
from pathlib import Path

import bot.telegram.handlers

LIMIT = 20
HANDLERS = Path(bot.telegram.handlers.__file__).parent


def too_long(source: str, limit: int = LIMIT) -> list[tuple[str, int, int]]:
    """(name, first line, length) of every function longer than ``limit`` lines."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            if length > limit:
                found.append((node.name, node.lineno, length))
    return found


def test_the_measure_counts_a_function_from_its_def_to_its_last_line() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(LIMIT - 1))
    assert too_long(f"def fits():\n{body}\n") == []
    assert too_long(f"async def grows():\n{body}\n    x = 0\n") == [("grows", 1, LIMIT + 1)]
    method = "\n".join("    " + line for line in f"def inner(self):\n{body}\n    y = 1".split("\n"))
    assert [name for name, _, _ in too_long(f"class C:\n{method}\n")] == ["inner"]


def test_no_handler_function_is_longer_than_20_lines() -> None:
    files = sorted(HANDLERS.glob("*.py"))
    assert files, HANDLERS
    offenders = [
        f"{path.name}:{line} {name} ({length} lines)"
        for path in files
        for name, line, length in too_long(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "handlers over 20 lines:\n" + "\n".join(offenders)
