"""Tests that start the bot (or any other program) as a separate process get the marker
``live``: mutmut records which functions a test reaches only inside its own process, so
``make mutate`` leaves these out (``-m "not live"`` in ``[tool.mutmut]``); ``make test``
runs them as always.

A test is live when its function — or a helper function of its module that it calls, at
any depth — names ``LiveBot``, ``TelegramPlayer`` or ``subprocess``. New subprocess tests
are marked without anyone remembering to."""

from __future__ import annotations

import inspect
import types

import pytest

SPAWNS = frozenset({"LiveBot", "TelegramPlayer", "subprocess"})


def _names(code: types.CodeType, module: dict[str, object], seen: set[types.CodeType]) -> set[str]:
    """Every global or attribute name ``code`` uses, with those of the module's own
    functions it calls."""
    if code in seen:
        return set()
    seen.add(code)
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const, module, seen)
    for name in list(names):
        helper = module.get(name)
        if isinstance(helper, types.FunctionType) and helper.__module__ == module["__name__"]:
            names |= _names(helper.__code__, module, seen)
    return names


def spawns_a_process(function: types.FunctionType) -> bool:
    function = inspect.unwrap(function)
    return bool(SPAWNS & _names(function.__code__, function.__globals__, set()))


def pytest_itemcollected(item: pytest.Item) -> None:
    function = getattr(item, "function", None)
    if isinstance(function, types.FunctionType) and spawns_a_process(function):
        item.add_marker(pytest.mark.live)
